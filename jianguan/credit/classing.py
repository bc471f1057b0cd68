"""The classification arithmetic, pure (no database): an entity's points and reasons under a scorecard, the tally
of outcomes by indicator and bin, the monotonicity test over that tally, the cut-offs that meet the target shares,
and the class (docs/credit-classes.md).

国市监信发〔2022〕6号 (disclosure-credit.md §8): hard overrides first (严重违法失信名单 → D; 经营异常名录 or an
unperformed penalty → at least C), then the points of the indicators with their reason codes; the cut-offs are set
so that the class shares meet the targets."""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .features import Values
from .scorecard import CLASSES, TOP_REASONS, Scorecard


class Scored(NamedTuple):
    points: int
    floor: int  # index into CLASSES of the lowest class the overrides allow (0: none)
    forced: str  # the codes of the overrides that set the floor, joined by spaces
    reasons: str  # the top reason codes, strongest first, joined by spaces


class Tally:
    """Entities and problems observed per indicator and bin (the missing-value bin last)."""

    def __init__(self, card: Scorecard) -> None:
        self.card = card
        self.counts = [[0] * (2 * (len(i.points) + 1)) for i in card.indicators]

    def table(self) -> list[dict[str, object]]:
        """Per indicator and bin: points, entities, problems (the stored monotonicity table)."""
        rows: list[dict[str, object]] = []
        for indicator, counts in zip(self.card.indicators, self.counts, strict=True):
            for bin_index in [*range(len(indicator.points)), -1]:
                n, k = counts[2 * bin_index] + counts[2 * bin_index + 1], counts[2 * bin_index + 1]
                if n:
                    rows.append({"indicator": indicator.id, "bin": indicator.bin_label(bin_index),
                                 "points": indicator.points_of(bin_index), "entities": n, "problems": k})
        return rows


def score(card: Scorecard, values: Values, counts: list[list[int]] | None = None, problem: bool = False) -> Scored:
    """The entity's points, floor and reasons; with `counts` (a `Tally`'s), the entity is also counted in the bin
    of each indicator (the missing value's last) as it is scored. Written for a million calls a run."""
    total = 0
    contributions = []
    offset = 1 if problem else 0
    for number, (position, uppers, table, reason) in enumerate(card.compiled):
        value = values[position]
        bin_index = -1 if value is None else bisect_right(uppers, value)
        points = table[bin_index]
        if counts is not None:
            counts[number][2 * bin_index + offset] += 1
        if points > 0:
            total += points
            contributions.append((-points, reason))
    floor = 0
    forced = ""
    for code, position, at_least in card.floors:
        if values[position]:
            forced = f"{forced} {code}" if forced else code
            floor = max(floor, at_least)
    contributions.sort()
    reasons = [*forced.split(), *(code for _, code in contributions)][:TOP_REASONS]
    return Scored(total, floor, forced, " ".join(reasons))


class Scorer:
    """`score` for a whole run: entities whose values fall in the same bin of every indicator (and set the same
    overrides) share one `Scored`, computed once, and are counted in the tally once per such group (`fold`). A
    run of a million entities has a few thousand groups."""

    def __init__(self, card: Scorecard, counts: list[list[int]]) -> None:
        self.card = card
        self.counts = counts
        self.known: dict[tuple[int, ...], Scored] = {}
        self.seen: Counter[tuple[tuple[int, ...], int]] = Counter()
        self._bins = [(position, uppers) for position, uppers, _, _ in card.compiled]
        self._floors = [position for _, position, _ in card.floors]

    def __call__(self, values: Values, problem: bool) -> Scored:
        key = (*[-1 if (value := values[position]) is None else bisect_right(uppers, value)
                 for position, uppers in self._bins], *[1 if values[position] else 0 for position in self._floors])
        self.seen[key, 1 if problem else 0] += 1
        scored = self.known.get(key)
        if scored is None:
            scored = self.known[key] = score(self.card, values)
        return scored

    def fold(self) -> None:
        """Add the groups counted so far to the tally's counts (as `score` with `counts` would have)."""
        for (key, offset), n in self.seen.items():
            for number, bin_index in enumerate(key[:len(self._bins)]):
                self.counts[number][2 * bin_index + offset] += n
        self.seen.clear()


def cutoffs(histogram: Counter[int], card: Scorecard) -> tuple[int, int, int]:
    """The highest points of A, of B and of C: each where the cumulative share of entities comes closest to the
    cumulative target (entities of equal points share a class, so a share can only be met as closely as the ties
    allow; an exact tie goes to the lower class); a lower class never ends above a higher one."""
    total = sum(histogram.values())
    values = sorted(histogram)
    if not values:
        return (0, 0, 0)
    candidates = [(values[0] - 1, 0)]  # (highest points of the class, entities at or below), exact integers
    for value in values:
        candidates.append((value, candidates[-1][1] + histogram[value]))
    found: list[int] = []
    target = Decimal(0)
    for klass in CLASSES[:-1]:
        target += card.targets[klass]
        wanted = target * total
        least = found[-1] if found else candidates[0][0]
        allowed = [(v, n) for v, n in candidates if v >= least]
        found.append(min(allowed, key=lambda c: (abs(c[1] - wanted), c[0]))[0])
    return (found[0], found[1], found[2])


def class_of(points: int, floor: int, cuts: Sequence[int]) -> str:
    by_points = next((i for i, cut in enumerate(cuts) if points <= cut), len(cuts))
    return CLASSES[max(by_points, floor)]


@dataclass(frozen=True)
class Violation:
    indicator: str
    lower: str  # the bin with fewer points …
    higher: str  # … whose problem rate is nonetheless significantly higher
    lower_rate: float
    higher_rate: float
    z: float

    def as_json(self) -> dict[str, object]:
        return {"indicator": self.indicator, "lower": self.lower, "higher": self.higher,
                "lower_rate": round(self.lower_rate, 4), "higher_rate": round(self.higher_rate, 4),
                "z": round(self.z, 2) if math.isfinite(self.z) else None}

    def message(self) -> str:
        return (f"指标 {self.indicator}：分值较低的分箱“{self.lower}”问题发现率 {self.lower_rate:.1%}，"
                f"显著高于分值较高的分箱“{self.higher}”的 {self.higher_rate:.1%}")


@dataclass
class _Group:
    entities: int = 0
    problems: int = 0
    bins: str = ""


def _groups(rows: Iterable[dict[str, object]], indicator: str) -> list[tuple[int, _Group]]:
    """(points, group) with the bins of equal points merged, by points."""
    merged: dict[int, _Group] = {}
    for row in rows:
        if row["indicator"] == indicator:
            group = merged.setdefault(int(str(row["points"])), _Group())
            group.entities += int(str(row["entities"]))
            group.problems += int(str(row["problems"]))
            group.bins = f"{group.bins}、{row['bin']}" if group.bins else str(row["bin"])
    return sorted(merged.items())


def violations(card: Scorecard, table: list[dict[str, object]]) -> list[Violation]:
    """Each pair of neighbouring bins (by points, those with at least `min_count` entities) where the bin with
    fewer points shows a problem rate higher than the bin with more points by more than `z` standard errors
    (two-proportion test, one-sided): points that run against the observed problem rate."""
    found = []
    for indicator in card.indicators:
        groups = [g for _, g in _groups(table, indicator.id) if g.entities >= card.min_count]
        for low, high in itertools.pairwise(groups):
            n1, k1, n2, k2 = low.entities, low.problems, high.entities, high.problems
            r1, r2 = k1 / n1, k2 / n2
            if r1 <= r2:
                continue
            pooled = (k1 + k2) / (n1 + n2)
            error = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            z = (r1 - r2) / error if error else math.inf
            if z > card.z:
                found.append(Violation(indicator.id, low.bins, high.bins, r1, r2, z))
    return found
