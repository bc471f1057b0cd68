"""Fairness audit of a draw (spot-checks.md §7): the draw re-run over many seeds from its frozen inputs.

Objects: each stratum's inclusion counts against n/N, by a χ² test (scaled for drawing without replacement).
Inspectors: how often each is assigned, with the spread (min, max, Gini) — constraints make chances unequal, and
the audit shows by how much, and anyone near zero.

The statistics (inclusion counts, Pearson's χ² and its upper tail) live here beside the audit, their only user;
like `protocol.py`, this module needs nothing but the standard library, so that an outsider can repeat the audit.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
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


def inclusion_frequencies(strata: Mapping[str, Mapping[str, Any]], pool: Mapping[str, Sequence[str]],
                          seeds: Iterable[bytes | str]) -> dict[str, dict[str, int]]:
    """How often each object is drawn over many seeds: the empirical side of "every object has the same chance"."""
    frequencies = {name: dict.fromkeys(ids, 0) for name, ids in pool.items()}
    for one in seeds:
        for name, ids in protocol.select(one, strata, pool).items():
            stratum = frequencies[name]
            for i in ids:
                stratum[i] += 1
    return frequencies


def chi_square(observed: Sequence[int] | Mapping[str, int],
               expected: float | Sequence[float] | Mapping[str, float]) -> tuple[float, int]:
    """Pearson's statistic Σ (O − E)² / E and its degrees of freedom (cells − 1). `expected` is one count for
    every cell or one per cell (a mapping is matched by key)."""
    cells = list(observed.values()) if isinstance(observed, Mapping) else list(observed)
    if isinstance(expected, int | float):
        wanted = [float(expected)] * len(cells)
    elif isinstance(expected, Mapping):
        if not isinstance(observed, Mapping) or set(expected) != set(observed):
            raise ValueError("observed and expected must have the same keys")
        wanted = [float(expected[k]) for k in observed]
    else:
        wanted = [float(e) for e in expected]
    if len(cells) < 2 or len(wanted) != len(cells):
        raise ValueError("chi square needs at least two cells and one expected count per cell")
    if any(e <= 0 for e in wanted):
        raise ValueError("expected counts must be positive")
    return math.fsum((o - e) ** 2 / e for o, e in zip(cells, wanted, strict=True)), len(cells) - 1


def inclusion_chi_square(frequencies: Mapping[str, int], draws: int, n: int) -> tuple[float, int]:
    """χ² of one stratum's inclusion counts over `draws` draws of n out of N, scaled by (N − 1)/(N − n).

    Each draw takes n objects without replacement, so the counts vary less than multinomial cells: Pearson's sum
    then averages N − n instead of N − 1 and would pass too easily. The scaled statistic follows χ²(N − 1)."""
    size = len(frequencies)
    if not 0 < n < size or draws < 1:
        raise ValueError("need 0 < n < N and at least one draw")
    statistic, dof = chi_square(frequencies, draws * n / size)
    return statistic * (size - 1) / (size - n), dof


def _upper_gamma_regularized(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x)/Γ(a): a power series for P = 1 − Q below x = a + 1, Lentz's continued fraction above."""
    if x <= 0:
        return 1.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        denominator = a
        for _ in range(100_000):
            denominator += 1
            term *= x / denominator
            total += term
            if abs(term) <= abs(total) * 1e-16:
                break
        return min(1.0, max(0.0, 1.0 - total * math.exp(log_front)))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for k in range(1, 100_000):
        an = -k * (k - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) <= 1e-16:
            break
    return min(1.0, max(0.0, math.exp(log_front) * h))


def chi_square_p(statistic: float, dof: int) -> float:
    """P(χ²(dof) ≥ statistic), the upper tail: Q(dof/2, statistic/2). Small values mean the counts are unlikely
    under equal chances."""
    if not isinstance(dof, int) or isinstance(dof, bool) or dof < 1:
        raise ValueError("degrees of freedom must be a positive integer")
    if not math.isfinite(statistic) or statistic < 0:
        raise ValueError("the statistic must be a finite number ≥ 0")
    return _upper_gamma_regularized(dof / 2, statistic / 2)


def audit(frozen: dict[str, Any], runs: int = 2000, assign_runs: int = 200) -> Audit:
    """Re-run selection `runs` times and assignment `assign_runs` times with seeds derived from the frozen inputs'
    commitment (deterministic, so the audit itself can be repeated)."""
    base = protocol.commitment(frozen)
    seeds = [hashlib.sha256(f"{base}:{n}".encode()).digest() for n in range(runs)]
    counts = protocol.counts(frozen["strata"], frozen["pool"])
    frequencies = inclusion_frequencies(frozen["strata"], frozen["pool"], seeds)
    reports = []
    for name, per_object in frequencies.items():
        n, size = counts[name], len(per_object)
        if 0 < n < size:
            statistic, dof = inclusion_chi_square(per_object, runs, n)
            reports.append(StratumReport(name, size, n, statistic, dof, chi_square_p(statistic, dof)))
    assigned = dict.fromkeys((i["id"] for i in frozen["inspectors"]), 0)
    for seed in seeds[:assign_runs]:
        selected = protocol.select(seed, frozen["strata"], frozen["pool"])
        assignments, _ = protocol.assign(seed, selected, frozen["task"], frozen["object_regions"],
                                         frozen["inspectors"], frozen["excluded_pairs"])
        for inspector in {i for names in assignments.values() for i in names}:
            assigned[inspector] += 1
    share = {inspector: count / max(1, assign_runs) for inspector, count in assigned.items()}
    return Audit(runs, reports, share, _gini(list(share.values())))
