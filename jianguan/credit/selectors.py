"""Reads of the credit-risk classification. The class is internal (国市监信发〔2022〕6号: a reference for allocating
supervision, not public and not a credit rating, disclosure-credit.md §8): it is read by other apps only through
`contracts.entity_class` / `classes_of`, for a record their reader already may see, and never by a public page,
the public API or the exchange."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import QuerySet
from django.utils import timezone

from jianguan.core.scoping import HasScope
from jianguan.subjects.models import RiskClass

from . import scorecard as cards
from .models import ClassAdjustment, ClassificationRun, EntityClass, RunStatus, Scorecard


@dataclass(frozen=True)
class Reason:
    code: str
    title: str


@dataclass(frozen=True)
class Adjusted:
    """An approved manual adjustment in force (ADR 0041)."""

    id: int
    target_class: str
    reason: str
    expires_on: str
    approved_by: str


@dataclass(frozen=True)
class ClassCard:
    """An entity's class in the newest published run, with what produced it; where an approved manual adjustment
    is in force, `risk_class` is its class and `computed_class` the run's."""

    entity_id: int
    risk_class: str
    points: int
    forced: bool
    reasons: tuple[Reason, ...]
    run_number: str
    as_of: str
    scorecard: str
    computed_class: str = ""
    adjustment: Adjusted | None = None
    month: str = ""

    @property
    def label(self) -> str:
        return str(RiskClass(self.risk_class).label)

    @property
    def computed_label(self) -> str:
        return str(RiskClass(self.computed_class or self.risk_class).label)


@lru_cache(maxsize=16)
def _titles(scorecard_id: int) -> dict[str, str]:
    stored = Scorecard.objects.get(pk=scorecard_id)
    return cards.parse(stored.definition, f"{stored}.json").reason_titles()


def published_run() -> ClassificationRun | None:
    """The newest published run: the classification in force."""
    return (ClassificationRun.objects.filter(status=RunStatus.PUBLISHED).select_related("scorecard")
            .order_by("-published_at", "-pk").first())


def _card(run: ClassificationRun, row: EntityClass, adjustment: ClassAdjustment | None) -> ClassCard:
    titles = _titles(run.scorecard_id)
    adjusted = None if adjustment is None else Adjusted(
        adjustment.pk, adjustment.target_class, adjustment.reason, adjustment.expires_on.isoformat(),
        adjustment.decided_by.full_name if adjustment.decided_by else "")
    return ClassCard(row.entity_id, adjustment.target_class if adjustment else row.risk_class, row.points,
                     bool(row.forced), tuple(Reason(code, titles.get(code, code)) for code in row.reasons.split()),
                     run.number, run.as_of.isoformat(), str(run.scorecard), row.risk_class, adjusted,
                     f"{run.month:%Y-%m}")


def adjustments_in_force(entity_ids: Iterable[int], *, today: dt.date | None = None) -> dict[int, ClassAdjustment]:
    """entity id → its approved manual adjustment in force on `today` (approved, not past its expiry date)."""
    rows = (ClassAdjustment.objects.in_force(today or timezone.localdate()).filter(entity_id__in=list(entity_ids))
            .select_related("decided_by").defer("evidence"))
    return {row.entity_id: row for row in rows}


def classes_of(entity_ids: Iterable[int]) -> dict[int, ClassCard]:
    """entity id → its class card in the run in force, an approved adjustment in force applied (entities the run
    did not classify are absent)."""
    run = published_run()
    if run is None:
        return {}
    rows = list(EntityClass.objects.filter(run_id=run.pk, entity_id__in=list(entity_ids)))
    adjusted = adjustments_in_force([row.entity_id for row in rows])
    return {row.entity_id: _card(run, row, adjusted.get(row.entity_id)) for row in rows}


def entity_class(uscc: str) -> ClassCard | None:
    """The class card of the entity of code `uscc` in the run in force, an approved adjustment in force applied;
    None when none classifies it. The caller has read the entity as its reader may (the class is never shown where
    the entity is not)."""
    run = published_run()
    if run is None:
        return None
    row = EntityClass.objects.filter(run_id=run.pk, entity__uscc=uscc.strip().upper()).first()
    return None if row is None else _card(run, row, adjustments_in_force([row.entity_id]).get(row.entity_id))


@dataclass(frozen=True)
class HistoryRow:
    run_number: str
    month: str
    risk_class: str
    points: int


def class_history(entity_id: int, *, limit: int = 24) -> list[HistoryRow]:
    """The entity's computed class in each published run (the one in force and those it superseded), newest
    first."""
    runs = {run.pk: run for run in ClassificationRun.objects.filter(
        status__in=(RunStatus.PUBLISHED, RunStatus.SUPERSEDED)).order_by("-published_at", "-pk")[:limit]}
    rows = EntityClass.objects.filter(run_id__in=list(runs), entity_id=entity_id)
    found = sorted(rows, key=lambda row: (runs[row.run_id].published_at, row.run_id), reverse=True)
    return [HistoryRow(runs[r.run_id].number, f"{runs[r.run_id].month:%Y-%m}", r.risk_class, r.points)
            for r in found]


def adjustment_list(*, reader: HasScope, entity_id: int | None = None) -> QuerySet[ClassAdjustment]:
    """Manual adjustments the reader may see (their department's and those of the departments they read), newest
    first; without the evidence's bytes."""
    rows = ClassAdjustment.objects.visible_to(reader).select_related("proposed_by", "decided_by", "entity")
    if entity_id is not None:
        rows = rows.filter(entity_id=entity_id)
    return rows.defer("evidence").order_by("-proposed_at", "-pk")


def adjustment_get(*, reader: HasScope, adjustment_id: int) -> ClassAdjustment:
    found: ClassAdjustment = ClassAdjustment.objects.select_related("entity", "proposed_by", "decided_by") \
        .get_visible(reader, pk=adjustment_id)
    return found


def run_list(*, reader: HasScope) -> QuerySet[ClassificationRun]:
    """The runs of the reader's jurisdiction (a run covers the locality), newest first."""
    return (ClassificationRun.objects.visible_to(reader).select_related("scorecard")
            .order_by("-created_at", "-pk"))


def run_get(*, reader: HasScope, run_id: int) -> ClassificationRun:
    run: ClassificationRun = ClassificationRun.objects.select_related("scorecard").get_visible(reader, pk=run_id)
    return run


CHUNK = 20_000


def in_force() -> bool:
    """Whether a published classification is in force."""
    return published_run() is not None


def _adjusted_letters() -> dict[int, str]:
    """entity id → the class of its approved manual adjustment in force today (few: read whole)."""
    return dict(ClassAdjustment.objects.in_force(timezone.localdate()).values_list("entity_id", "target_class"))


def class_letters(entity_ids: Iterable[int]) -> dict[int, str]:
    """entity id → its class letter in the run in force, an approved adjustment in force applied, read in chunks
    (a draw's pool is a city's entities); entities the run did not classify are absent. The letters only, for a
    draw's strata."""
    run = published_run()
    if run is None:
        return {}
    ids = list(entity_ids)
    letters: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        letters.update(EntityClass.objects.filter(run_id=run.pk, entity_id__in=ids[start:start + CHUNK])
                       .values_list("entity_id", "risk_class"))
    letters.update((entity, letter) for entity, letter in _adjusted_letters().items() if entity in letters)
    return letters


def class_members(letter: str) -> list[int]:
    """The ids of the entities of class `letter` in the run in force, approved adjustments in force applied (e.g.
    D: the key-supervision list)."""
    run = published_run()
    if run is None:
        return []
    adjusted = _adjusted_letters()
    computed = set(EntityClass.objects.filter(run_id=run.pk, risk_class=letter).values_list("entity_id", flat=True))
    classified = set(EntityClass.objects.filter(run_id=run.pk, entity_id__in=[e for e, to in adjusted.items()
                                                                              if to == letter])
                     .values_list("entity_id", flat=True))
    return sorted({e for e in computed if adjusted.get(e, letter) == letter} | classified)
