"""Writes of the credit-risk classification (ADR 0040, docs/credit-classes.md): publishing a scorecard version (its
points checked for monotonicity against the outcomes observed now), starting a run, computing it (every entity of
the object library, in chunks, its rows copied in at once) and publishing it. Every write is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from jianguan.accounts.contracts import line_body
from jianguan.accounts.models import DepartmentKind, Region
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, SystemActor, actor_ref
from jianguan.core.bulk import bulk_insert
from jianguan.core.errors import NotFound, ValidationFailed
from jianguan.core.numbering import next_number
from jianguan.subjects.models import MarketEntity

from . import adjustments, classing, features
from . import scorecard as cards
from .models import ClassificationRun, EntityClass, RunStatus, Scorecard
from .workflow import RUNS, Facts, publisher_refusal

Progress = Callable[[int], None]


def publisher_department_id() -> int | None:
    body = line_body(region=_locality(), kind=DepartmentKind.SCJG)
    return body.pk if body else None


def _locality() -> Region:
    return Region.objects.get(code=settings.JIANGUAN_LOCALITY)


def _facts(run: ClassificationRun, actor: Actor) -> Facts:
    return Facts(run.status, actor, publisher_department_id(), len(run.violations))


def tally(card: cards.Scorecard, *, as_of: dt.date) -> classing.Tally:
    """Entities and problems per indicator and bin over the whole object library as of `as_of`."""
    counted = classing.Tally(card)
    score = classing.Scorer(card, counted.counts)
    for chunk in features.chunks(as_of=as_of):
        for _, values, problem in chunk:
            score(values, problem)
    score.fold()
    return counted


@transaction.atomic
def scorecard_publish(*, name: str, version: str, actor: Actor) -> Scorecard:
    """Put a scorecard file in force for runs: the file checked, its points checked against the problem rate
    observed today (refused naming indicator and bins when they run against it), stored with its digest."""
    refusal = publisher_refusal(actor, publisher_department_id())
    if refusal is not None:
        raise refusal
    card = cards.load(name, version)
    if Scorecard.objects.filter(name=name, version=version).exists():
        raise ValidationFailed(f"评分卡 {card.key} 已发布，修改请另立版本", code="scorecard_published", field="version")
    table = tally(card, as_of=timezone.localdate()).table()
    problems = classing.violations(card, table)
    if problems:
        raise ValidationFailed(f"评分卡 {cards.path_of(name, version).name} 不能发布：" +
                               "；".join(v.message() for v in problems), code="monotonicity_violated",
                               field="scorecard", extra={"violations": [v.as_json() for v in problems]})
    raw = cards.path_of(name, version).read_bytes()
    published = Scorecard.objects.create(name=name, version=version, title=card.title,
                                         sha256=hashlib.sha256(raw).hexdigest(), definition=json.loads(raw),
                                         monotonicity=table, published_at=timezone.now(),
                                         published_by=actor_ref(actor).label)
    record(actor=actor, verb="credit.scorecard_published", target=published,
           data={"scorecard": card.key, "sha256": published.sha256})
    return published


def _month_of(month: str | None) -> tuple[dt.date, dt.date]:
    """(first day, day the inputs are read as of) of `month` (YYYY-MM; this month when None)."""
    today = timezone.localdate()
    if not month:
        return today.replace(day=1), today
    try:
        first = dt.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise ValidationFailed(f"月份“{month}”格式应为 YYYY-MM", code="month_invalid", field="month") from None
    if first > today:
        raise ValidationFailed("不能对未来的月份分类", code="month_in_future", field="month")
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, min(today, following - dt.timedelta(days=1))


@transaction.atomic
def run_start(*, actor: Actor, month: str | None = None) -> ClassificationRun:
    """A queued run of the newest published scorecard for `month` (this month when None)."""
    first, as_of = _month_of(month)
    card = Scorecard.objects.order_by("-published_at", "-pk").first()
    if card is None:
        raise ValidationFailed("尚无已发布的评分卡，请先发布评分卡", code="scorecard_missing", field="scorecard")
    number = next_number(f"FL{first:%Y%m}-", scope="FL", period=f"{first:%Y%m}",
                         issued=ClassificationRun.objects.all(), width=3)
    run = ClassificationRun.objects.create(number=number, month=first, as_of=as_of, scorecard=card,
                                           region=_locality(), started_by=actor_ref(actor).label)
    record(actor=actor, verb="credit.classification_started", target=run,
           data={"number": number, "scorecard": str(card), "as_of": as_of.isoformat()})
    return run


def _move(run_id: int, action: str, actor: Actor, **fields: Any) -> ClassificationRun:
    with transaction.atomic():
        run: ClassificationRun = ClassificationRun.objects.select_for_update().get(pk=run_id)
        edge = RUNS.check(action, _facts(run, actor))
        for key, value in {"status": edge.target, **fields}.items():
            setattr(run, key, value)
        run.save()
        record(actor=actor, verb=f"credit.classification_{action}", target=run,
               data={"number": run.number, **{k: v for k, v in fields.items() if k in ("entities", "shares",
                                                                                         "cutoffs", "error")}})
    return run


class _Results:
    """The run's per-entity results held compactly until the cut-offs are known: about 16 bytes an entity."""

    def __init__(self) -> None:
        self.ids = array("q")
        self.points = array("i")
        self.floors = array("b")
        self.texts = array("I")  # index of the (forced, reasons) pair in `pairs`
        self.pairs: list[tuple[str, str]] = []
        self._known: dict[tuple[str, str], int] = {}
        self.histogram: Counter[int] = Counter()

    def add(self, pk: int, scored: classing.Scored) -> None:
        pair = (scored.forced, scored.reasons)
        index = self._known.get(pair)
        if index is None:
            index = self._known[pair] = len(self.pairs)
            self.pairs.append(pair)
        self.ids.append(pk)
        self.points.append(scored.points)
        self.floors.append(scored.floor)
        self.texts.append(index)
        self.histogram[scored.points] += 1

    def rows(self, run_id: int, cuts: tuple[int, int, int], shares: Counter[str]) -> Iterator[tuple[Any, ...]]:
        for pk, points, floor, text in zip(self.ids, self.points, self.floors, self.texts, strict=True):
            klass = classing.class_of(points, floor, cuts)
            shares[klass] += 1
            forced, reasons = self.pairs[text]
            yield (run_id, pk, klass, points, forced, reasons)


def compute(run: ClassificationRun, *, progress: Progress | None = None, chunk: int = features.CHUNK,
            card: cards.Scorecard | None = None) -> tuple[_Results, classing.Tally]:
    """Every entity scored under the run's scorecard, or `card` in its place (a what-if; no write)."""
    card = card or cards.parse(run.scorecard.definition, f"{run.scorecard}.json")
    results = _Results()
    counted = classing.Tally(card)
    score = classing.Scorer(card, counted.counts)
    add = results.add
    for rows in features.chunks(as_of=run.as_of, size=chunk):
        for pk, values, problem in rows:
            add(pk, score(values, problem))
        if progress is not None:
            progress(len(results.ids))
    score.fold()
    return results, counted


def run_execute(*, run_id: int, actor: Actor, chunk: int = features.CHUNK) -> ClassificationRun:
    """Compute a queued run: the inputs read from now on (the snapshot time; records dated after the run's day
    are left out), each entity's class, points and top reasons copied in, the monotonicity of every indicator
    checked again on this run's outcomes (a violation keeps the run from being published)."""
    run = _move(run_id, "start", actor, snapshot_at=timezone.now())
    try:
        def progress(done: int) -> None:
            ClassificationRun.objects.filter(pk=run_id).update(progress=done)

        results, counted = compute(run, progress=progress, chunk=chunk)
        card = cards.parse(run.scorecard.definition, f"{run.scorecard}.json")
        cuts = classing.cutoffs(results.histogram, card)
        problems = [v.as_json() for v in classing.violations(card, counted.table())]
        shares: Counter[str] = Counter()
        with transaction.atomic():
            bulk_insert(EntityClass, ("run_id", "entity_id", "risk_class", "points", "forced", "reasons"),
                        results.rows(run.pk, cuts, shares))
            return _move(run_id, "finish", actor, entities=len(results.ids), progress=len(results.ids),
                         shares={k: shares[k] for k in cards.CLASSES}, cutoffs=list(cuts), violations=problems,
                         finished_at=timezone.now())
    except Exception as error:
        _move(run_id, "fail", actor, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now())
        raise


@transaction.atomic
def run_publish(*, run_id: int, actor: Actor) -> ClassificationRun:
    """Publish a draft run: the run published before it is superseded, and each entity's class is copied to the
    object library's entity (the spot checks' strata read it there until they read `contracts.entity_class`), an
    approved manual adjustment in force taking the place of the computed class (ADR 0041)."""
    run = ClassificationRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    RUNS.check("publish", _facts(run, actor))
    for earlier in ClassificationRun.objects.select_for_update().filter(status=RunStatus.PUBLISHED):
        _move(earlier.pk, "supersede", actor)
    published = _move(run_id, "publish", actor, published_by=actor_ref(actor).label, published_at=timezone.now())
    classes = EntityClass.objects.filter(run_id=run_id, entity_id=OuterRef("pk")).values("risk_class")[:1]
    MarketEntity.objects.update(risk_class=Coalesce(Subquery(classes), Value("")))
    adjustments.adjustments_expire(actor=SystemActor("credit:adjustment_expiry"))
    adjustments.entities_adjust()
    return published

