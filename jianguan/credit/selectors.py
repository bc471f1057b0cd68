"""Reads of the credit-risk classification. The class is internal (国市监信发〔2022〕6号: a reference for allocating
supervision, not public and not a credit rating, disclosure-credit.md §8): it is read by other apps only through
`contracts.entity_class` / `classes_of`, for a record their reader already may see, and never by a public page,
the public API or the exchange."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import QuerySet

from jianguan.core.scoping import HasScope
from jianguan.subjects.models import RiskClass

from . import scorecard as cards
from .models import ClassificationRun, EntityClass, RunStatus, Scorecard


@dataclass(frozen=True)
class Reason:
    code: str
    title: str


@dataclass(frozen=True)
class ClassCard:
    """An entity's class in the newest published run, with what produced it."""

    entity_id: int
    risk_class: str
    points: int
    forced: bool
    reasons: tuple[Reason, ...]
    run_number: str
    as_of: str
    scorecard: str

    @property
    def label(self) -> str:
        return str(RiskClass(self.risk_class).label)


@lru_cache(maxsize=16)
def _titles(scorecard_id: int) -> dict[str, str]:
    stored = Scorecard.objects.get(pk=scorecard_id)
    return cards.parse(stored.definition, f"{stored}.json").reason_titles()


def published_run() -> ClassificationRun | None:
    """The newest published run: the classification in force."""
    return (ClassificationRun.objects.filter(status=RunStatus.PUBLISHED).select_related("scorecard")
            .order_by("-published_at", "-pk").first())


def _card(run: ClassificationRun, row: EntityClass) -> ClassCard:
    titles = _titles(run.scorecard_id)
    return ClassCard(row.entity_id, row.risk_class, row.points, bool(row.forced),
                     tuple(Reason(code, titles.get(code, code)) for code in row.reasons.split()), run.number,
                     run.as_of.isoformat(), str(run.scorecard))


def classes_of(entity_ids: Iterable[int]) -> dict[int, ClassCard]:
    """entity id → its class card in the run in force (entities the run did not classify are absent)."""
    run = published_run()
    if run is None:
        return {}
    rows = EntityClass.objects.filter(run_id=run.pk, entity_id__in=list(entity_ids))
    return {row.entity_id: _card(run, row) for row in rows}


def entity_class(uscc: str) -> ClassCard | None:
    """The class card of the entity of code `uscc` in the run in force; None when none classifies it. The caller
    has read the entity as its reader may (the class is never shown where the entity is not)."""
    run = published_run()
    if run is None:
        return None
    row = EntityClass.objects.filter(run_id=run.pk, entity__uscc=uscc.strip().upper()).first()
    return None if row is None else _card(run, row)


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


def class_letters(entity_ids: Iterable[int]) -> dict[int, str]:
    """entity id → its class letter in the run in force, read in chunks (a draw's pool is a city's entities);
    entities the run did not classify are absent. The letters only, for a draw's strata."""
    run = published_run()
    if run is None:
        return {}
    ids = list(entity_ids)
    letters: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        letters.update(EntityClass.objects.filter(run_id=run.pk, entity_id__in=ids[start:start + CHUNK])
                       .values_list("entity_id", "risk_class"))
    return letters


def class_members(letter: str) -> list[int]:
    """The ids of the entities of class `letter` in the run in force (e.g. D: the key-supervision list)."""
    run = published_run()
    if run is None:
        return []
    return list(EntityClass.objects.filter(run_id=run.pk, risk_class=letter).order_by("entity_id")
                .values_list("entity_id", flat=True))
