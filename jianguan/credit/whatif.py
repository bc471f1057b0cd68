"""What-if (模拟) of the classification before a run or a scorecard change is published: how many entities would
change class, as a transition matrix (A→B …). Other cut-offs: computed from a run's stored points and overrides
with the run's own arithmetic (`classing.class_of`), grouped in the database, nothing written. Another weight of one
indicator: the run's inputs scored again in the background (`tasks.whatif_execute`) with its progress, the result
kept in a `WhatIf` row; the run and its results are never touched."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role
from jianguan.core.scoping import HasScope

from . import classification, classing, selectors
from . import scorecard as cards
from .models import ClassificationRun, EntityClass, WhatIf, WhatIfStatus
from .workflow import publisher_refusal


@dataclass(frozen=True)
class Transitions:
    """Entities by (class now, class under the change): `rows` per class now, its counts per class after."""

    run: ClassificationRun
    before: tuple[int, ...]
    after: tuple[int, ...]
    rows: list[tuple[str, list[int]]]
    changed: int
    total: int
    shares: list[tuple[str, int]]


def parse_cutoffs(value: str) -> tuple[int, int, int]:
    """Three integers (the highest points of A, of B and of C), not decreasing, separated by `/`, `,` or spaces."""
    parts = value.replace("/", " ").replace(",", " ").replace("，", " ").split()
    try:
        cuts = tuple(int(part) for part in parts)
    except ValueError:
        cuts = ()
    if len(cuts) != 3 or not cuts[0] <= cuts[1] <= cuts[2] or max(map(abs, cuts)) > 1_000_000:
        raise ValidationFailed(f"“分界分值”应为 3 个不递减的整数（A / B / C 类的最高分值），实为“{value}”",
                               code="cutoffs_invalid", field="cutoffs")
    return (cuts[0], cuts[1], cuts[2])


def cutoffs_whatif(*, reader: HasScope, run_id: int, cutoffs: str) -> Transitions:
    """The transition matrix of the run's entities from their computed class to the class under `cutoffs` (the
    overrides still raise the class as in the run)."""
    run = selectors.run_get(reader=reader, run_id=run_id)
    if not run.cutoffs:
        raise ValidationFailed("该批次尚未计算完成", code="run_not_computed", field="run")
    cuts = parse_cutoffs(cutoffs)
    card = cards.parse(run.scorecard.definition, f"{run.scorecard}.json")
    floor_of = {code: index for code, _, index in card.floors}
    index = {klass: i for i, klass in enumerate(cards.CLASSES)}
    matrix = [[0] * len(cards.CLASSES) for _ in cards.CLASSES]
    grouped = (EntityClass.objects.filter(run_id=run.pk).values_list("points", "forced", "risk_class")
               .annotate(n=Count("*")).order_by())
    for points, forced, klass, n in grouped:
        floor = max((floor_of.get(code, 0) for code in forced.split()), default=0)
        matrix[index[klass]][index[classing.class_of(points, floor, cuts)]] += n
    total = sum(map(sum, matrix))
    changed = total - sum(matrix[i][i] for i in range(len(matrix)))
    after = [sum(row[j] for row in matrix) for j in range(len(cards.CLASSES))]
    return Transitions(run, tuple(run.cutoffs), cuts, list(zip(cards.CLASSES, matrix, strict=True)), changed, total,
                       list(zip(cards.CLASSES, after, strict=True)))


def weight_whatif_start(*, actor: Actor, run_id: int, indicator: str, weight: str) -> WhatIf:
    """A queued what-if of the run with `indicator`'s weight set to `weight` (checked as a scorecard would be); the
    head of the city 市场监督管理局 or a 数据管理员. The caller enqueues `tasks.whatif_execute` on commit."""
    if publisher_refusal(actor, classification.publisher_department_id()) is not None and not (
            isinstance(actor, User) and actor.has_role(Role.DATA_ADMIN)):
        raise AccessDenied("只有本级市场监督管理局负责人或数据管理员可以模拟", code="forbidden")
    run = selectors.run_get(reader=actor, run_id=run_id) if isinstance(actor, HasScope) else \
        ClassificationRun.objects.get(pk=run_id)
    if not run.cutoffs:
        raise ValidationFailed("该批次尚未计算完成", code="run_not_computed", field="run")
    definition = copy.deepcopy(run.scorecard.definition)
    found = [item for family in definition.get("families", []) for item in family.get("indicators", [])
             if item.get("id") == indicator]
    if not found:
        raise ValidationFailed(f"评分卡 {run.scorecard} 没有指标“{indicator}”", code="indicator_unknown",
                               field="indicator")
    found[0]["weight"] = str(weight).strip()
    cards.parse(definition, f"{run.scorecard}.json")  # a weight that does not parse is refused naming the indicator
    with transaction.atomic():
        asked = WhatIf.objects.create(run=run, region_id=run.region_id, indicator=indicator,
                                      weight=str(weight).strip()[:30], definition=definition,
                                      total=run.entities, started_by=actor_ref(actor).label)
        record(actor=actor, verb="credit.whatif_started", target=asked,
               data={"run": run.number, "indicator": indicator, "weight": asked.weight})
    return asked


def weight_whatif_execute(*, whatif_id: int) -> WhatIf:
    """Compute a queued what-if: every entity scored again as of the run's day under the changed scorecard, the
    cut-offs set to the targets, each entity's class compared with the one the run stored (in entity order)."""
    asked = WhatIf.objects.select_related("run__scorecard").get(pk=whatif_id)
    WhatIf.objects.filter(pk=whatif_id).update(status=WhatIfStatus.RUNNING)
    try:
        card = cards.parse(asked.definition, f"{asked.run.scorecard}.json")

        def progress(done: int) -> None:
            WhatIf.objects.filter(pk=whatif_id).update(progress=done)

        results, _ = classification.compute(asked.run, card=card, progress=progress)
        cuts = classing.cutoffs(results.histogram, card)
        index = {klass: i for i, klass in enumerate(cards.CLASSES)}
        matrix = [[0] * len(cards.CLASSES) for _ in cards.CLASSES]
        stored = iter(EntityClass.objects.filter(run_id=asked.run_id).order_by("entity_id")
                      .values_list("entity_id", "risk_class").iterator(chunk_size=20_000))
        current = next(stored, None)
        for pk, points, floor in zip(results.ids, results.points, results.floors, strict=True):
            while current is not None and current[0] < pk:
                current = next(stored, None)
            if current is not None and current[0] == pk:
                matrix[index[current[1]]][index[classing.class_of(points, floor, cuts)]] += 1
        total = sum(map(sum, matrix))
        WhatIf.objects.filter(pk=whatif_id).update(
            status=WhatIfStatus.DONE, matrix=matrix, cutoffs=list(cuts), total=total, progress=len(results.ids),
            changed=total - sum(matrix[i][i] for i in range(len(matrix))), finished_at=timezone.now())
    except Exception as error:
        WhatIf.objects.filter(pk=whatif_id).update(status=WhatIfStatus.FAILED, finished_at=timezone.now(),
                                                   error=f"{type(error).__name__}: {error}"[:2000])
        raise
    return WhatIf.objects.get(pk=whatif_id)


def whatif_list(*, reader: HasScope) -> QuerySet[WhatIf]:
    """The reader's jurisdiction's what-ifs, newest first."""
    return WhatIf.objects.visible_to(reader).select_related("run").order_by("-created_at", "-pk")
