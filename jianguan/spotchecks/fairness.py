"""Fairness audit of a draw (spot-checks.md §7): the draw re-run over many seeds from its frozen inputs.

Objects: each stratum's inclusion counts against n/N, by a χ² test (scaled for drawing without replacement).
Inspectors: how often each is assigned, with the spread (min, max, Gini) — constraints make chances unequal, and
the audit shows by how much, and anyone near zero.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from . import protocol


@dataclass(frozen=True)
class StratumReport:
    name: str
    size: int
    drawn: int
    statistic: float
    dof: int
    p_value: float


@dataclass(frozen=True)
class Audit:
    runs: int
    strata: list[StratumReport]
    inspector_share: dict[str, float]  # inspector → share of runs in which they were assigned at least once
    gini: float

    def passes(self, alpha: float = 0.001) -> bool:
        return all(s.p_value >= alpha for s in self.strata)


def _gini(values: list[float]) -> float:
    ordered = sorted(values)
    total = sum(ordered)
    if not ordered or total == 0:
        return 0.0
    weighted = sum((index + 1) * value for index, value in enumerate(ordered))
    return (2 * weighted) / (len(ordered) * total) - (len(ordered) + 1) / len(ordered)


def audit(frozen: dict[str, Any], runs: int = 2000, assign_runs: int = 200) -> Audit:
    """Re-run selection `runs` times and assignment `assign_runs` times with seeds derived from the frozen inputs'
    commitment (deterministic, so the audit itself can be repeated)."""
    base = protocol.commitment(frozen)
    seeds = [hashlib.sha256(f"{base}:{n}".encode()).digest() for n in range(runs)]
    counts = protocol.counts(frozen["strata"], frozen["pool"])
    frequencies = protocol.inclusion_frequencies(frozen["strata"], frozen["pool"], seeds)
    reports = []
    for name, per_object in frequencies.items():
        n, size = counts[name], len(per_object)
        if 0 < n < size:
            statistic, dof = protocol.inclusion_chi_square(per_object, runs, n)
            reports.append(StratumReport(name, size, n, statistic, dof, protocol.chi_square_p(statistic, dof)))
    assigned = dict.fromkeys((i["id"] for i in frozen["inspectors"]), 0)
    for seed in seeds[:assign_runs]:
        selected = protocol.select(seed, frozen["strata"], frozen["pool"])
        assignments, _ = protocol.assign(seed, selected, frozen["task"], frozen["object_regions"],
                                         frozen["inspectors"], frozen["excluded_pairs"])
        for inspector in {i for names in assignments.values() for i in names}:
            assigned[inspector] += 1
    share = {inspector: count / max(1, assign_runs) for inspector, count in assigned.items()}
    return Audit(runs, reports, share, _gini(list(share.values())))
