"""What-if (模拟) of the classification before a run or a scorecard change is published: how many entities would
change class, as a transition matrix (A→B …), if the cut-offs changed. Computed from a run's stored points and
overrides with the run's own arithmetic (`classing.class_of`), grouped in the database; nothing is written."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from jianguan.core.errors import ValidationFailed
from jianguan.core.scoping import HasScope

from . import classing, selectors
from . import scorecard as cards
from .models import ClassificationRun, EntityClass


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
