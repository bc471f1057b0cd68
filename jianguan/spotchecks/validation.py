"""Validation of the credit-risk classes by spot-check outcomes (issue 17 item 4; disclosure-credit.md §8): the
rate at which checks find a problem, per class the entity had when it was drawn (the result's stratum), with a
Wilson 95 % interval, must rise A < B < C < D; the A-class control sample (stratum AC, drawn at random from the
A-class entities nothing pointed at) shows what the scorecard misses. Per month of the check and per department
leading the task, within the reader's scope.

A result counts once entered: a problem found when any code but 未发现问题 (1) and 未发现开展本次抽查涉及的经营活动
(F) is given; a result with only status codes (关闭停业, 注销, 吊销, 撤销, 迁出: 7, 9–12) is not a check of the
entity and is left out, as are results of unstratified (ALL) draws, whose class at the draw is unknown.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jianguan.core.scoping import HasScope

from .models import CheckResult, DrawStatus
from .policy import CLASSES, CONTROL

Z95 = 1.959963984540054
NO_PROBLEM = frozenset({"1", "F"})
STATUS_ONLY = frozenset({"7", "9", "10", "11", "12"})
ROWS = (*CLASSES, CONTROL)


def wilson(problems: int, checked: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (problems of checked); (0, 1) when nothing was checked."""
    if checked == 0:
        return 0.0, 1.0
    p = problems / checked
    denominator = 1 + z * z / checked
    centre = (p + z * z / (2 * checked)) / denominator
    half = z * math.sqrt(p * (1 - p) / checked + z * z / (4 * checked * checked)) / denominator
    low = 0.0 if problems == 0 else max(0.0, centre - half)  # exact at the ends, where rounding would miss them
    return low, 1.0 if problems == checked else min(1.0, centre + half)


@dataclass(frozen=True)
class Rate:
    """One class's checks and problems found, the rate and its Wilson 95 % interval."""

    name: str
    checked: int
    problems: int

    @property
    def rate(self) -> float | None:
        return self.problems / self.checked if self.checked else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.problems, self.checked)


@dataclass(frozen=True)
class Flag:
    """A neighbouring pair of classes whose rates do not rise; `clear` when the intervals do not even overlap."""

    lower: str
    higher: str
    clear: bool


@dataclass(frozen=True)
class Row:
    """The rates of one group (all, a month, a department): A … D (A with its control sample), the control sample
    alone, and where the rates do not rise."""

    label: str
    rates: dict[str, Rate]
    flags: tuple[Flag, ...] = field(default=())


@dataclass(frozen=True)
class Report:
    overall: Row
    months: tuple[Row, ...]
    departments: tuple[Row, ...]
    left_out: int


def outcome(codes: Iterable[str]) -> bool | None:
    """True when the check found a problem, False when not, None when the result is not a check of the entity."""
    given = set(codes)
    if not given or given <= STATUS_ONLY:
        return None
    return bool(given - NO_PROBLEM - STATUS_ONLY)


def flags(rates: dict[str, Rate]) -> tuple[Flag, ...]:
    """Each neighbouring pair of classes, both checked, whose rate does not rise from the lower to the higher."""
    found = []
    for lower, higher in itertools.pairwise(CLASSES):
        low, high = rates[lower], rates[higher]
        if low.rate is None or high.rate is None or low.rate < high.rate:
            continue
        found.append(Flag(lower, higher, low.interval[0] > high.interval[1]))
    return tuple(found)


def _row(label: str, tally: dict[str, list[int]]) -> Row:
    """A, as the scorecard classed it, holds its control sample too; the control sample also stands alone."""
    counts = {name: tally.get(name, [0, 0]) for name in ROWS}
    rates = {name: Rate(name, *counts[name]) for name in CLASSES if name != "A"}
    rates["A"] = Rate("A", counts["A"][0] + counts[CONTROL][0], counts["A"][1] + counts[CONTROL][1])
    rates[CONTROL] = Rate(CONTROL, *counts[CONTROL])
    return Row(label, rates, flags(rates))


def _tallies(rows: Iterable[tuple[str, Any, Any, str]]) -> tuple[dict[str, dict[str, list[int]]], int]:
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    left_out = 0
    for stratum, codes, checked_on, department in rows:
        found = outcome(codes)
        if stratum not in ROWS or found is None or checked_on is None:
            left_out += 1
            continue
        for key in ("", f"m:{checked_on:%Y-%m}", f"d:{department}"):
            groups[key][stratum][0] += 1
            groups[key][stratum][1] += int(found)
    return groups, left_out


def report(*, reader: HasScope, department: int | None = None) -> Report:
    """The report over the entered results the reader may see (optionally of one lead department)."""
    results = CheckResult.objects.visible_to(reader).exclude(entered_at=None).filter(draw__status=DrawStatus.DRAWN)
    if department:
        results = results.filter(draw__task__lead_id=department)
    rows = results.distinct().order_by("pk").values_list("pk", "stratum", "codes", "checked_on",
                                                          "draw__task__lead__name")  # the key keeps equal rows apart
    groups, left_out = _tallies(row[1:] for row in rows.iterator())
    months = sorted(key for key in groups if key.startswith("m:"))
    departments = sorted(key for key in groups if key.startswith("d:"))
    return Report(_row("", groups.get("", {})), tuple(_row(key[2:], groups[key]) for key in months),
                  tuple(_row(key[2:], groups[key]) for key in departments), left_out)
