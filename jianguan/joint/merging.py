"""Which planned visits to merge (ADR 0054): pure, over the tasks' shapes, so the bench runs it without Django.

The rules that cut visits by 15 % in 海宁 (进一次门、查多项事), each named in a proposal:

- `same_target` — the two tasks plan the same entity (the proposal covers the entities they share);
- `other_departments` — they are not one department's (or one group's) own tasks;
- `windows_within` — their windows overlap or lie within `window_days` of each other
  (`JIANGUAN_JOINT_MERGE_WINDOW_DAYS`); otherwise the merge is refused `windows_incompatible`;
- `related_content` — the same “综合查一次” scenario, or a task without one (two different scenarios are different
  premises: a construction site is not a restaurant);
- `similar_duration` — the longer visit at most twice the shorter; or `rare_folded` — a rarer check (fewer per
  year) folded into a more frequent one's visit when it is not the longer visit.

The lead is the more frequent task's lead (then the longer visit, then the earlier task). The candidates are found
through an inverted index entity → tasks, so only tasks that share an entity are compared;
`candidates_pairwise` compares every pair's object lists and is kept as the bench's baseline (same answer).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    id: int
    lead_id: int
    departments: frozenset[int]
    window_start: dt.date
    window_end: dt.date
    visit_hours: int
    times_per_year: int
    scenario: str
    entities: Sequence[int]


@dataclass(frozen=True)
class Candidate:
    first: int
    second: int
    lead_task: int
    entities: tuple[int, ...]
    rules: tuple[str, ...]
    window_start: dt.date
    window_end: dt.date


def gap_days(a: Shape, b: Shape) -> int:
    """Days between the two windows (0 or less when they overlap)."""
    return (max(a.window_start, b.window_start) - min(a.window_end, b.window_end)).days


def windows_compatible(a: Shape, b: Shape, window_days: int) -> bool:
    return gap_days(a, b) <= window_days


def _lead(a: Shape, b: Shape) -> Shape:
    return min((a, b), key=lambda t: (-t.times_per_year, -t.visit_hours, t.id))


def rules_for(a: Shape, b: Shape, window_days: int) -> tuple[str, ...] | None:
    """The rules under which the visits of `a` and `b` merge, or None when one does not hold."""
    if a.departments == b.departments or not windows_compatible(a, b, window_days):
        return None
    if a.scenario and b.scenario and a.scenario != b.scenario:
        return None
    rules = ["same_target", "other_departments", "windows_within", "related_content"]
    short, long = sorted((a.visit_hours, b.visit_hours))
    lead = _lead(a, b)
    other = b if lead is a else a
    if long <= 2 * max(short, 1):
        rules.append("similar_duration")
    if other.times_per_year < lead.times_per_year and other.visit_hours <= lead.visit_hours:
        rules.append("rare_folded")
    if rules[-1] not in ("similar_duration", "rare_folded"):
        return None
    return tuple(rules)


def _window(a: Shape, b: Shape) -> tuple[dt.date, dt.date]:
    """The merged visit's window: where both windows overlap, else the lead's (the rare check folded into it)."""
    start, end = max(a.window_start, b.window_start), min(a.window_end, b.window_end)
    if start <= end:
        return start, end
    lead = _lead(a, b)
    return lead.window_start, lead.window_end


def _candidate(a: Shape, b: Shape, shared: Iterable[int], window_days: int) -> Candidate | None:
    rules = rules_for(a, b, window_days)
    if rules is None:
        return None
    first, second = (a, b) if a.id < b.id else (b, a)
    start, end = _window(a, b)
    return Candidate(first=first.id, second=second.id, lead_task=_lead(a, b).id, entities=tuple(sorted(shared)),
                     rules=rules, window_start=start, window_end=end)


def candidates(tasks: Sequence[Shape], window_days: int) -> list[Candidate]:
    """Every pair of tasks that share an entity and merge under the rules, by an inverted index entity → tasks."""
    index: dict[int, list[int]] = defaultdict(list)
    for position, task in enumerate(tasks):
        for entity in task.entities:
            index[entity].append(position)
    shared: dict[tuple[int, int], list[int]] = defaultdict(list)
    for entity, positions in index.items():
        if len(positions) < 2:
            continue
        for n, i in enumerate(positions):
            for j in positions[n + 1:]:
                shared[(i, j)].append(entity)
    found = (_candidate(tasks[i], tasks[j], entities, window_days) for (i, j), entities in shared.items())
    return sorted((c for c in found if c is not None), key=lambda c: (c.first, c.second))


def candidates_pairwise(tasks: Sequence[Shape], window_days: int) -> list[Candidate]:
    """The baseline: every pair of tasks, their object lists intersected."""
    found = []
    for i, a in enumerate(tasks):
        mine = set(a.entities)
        for b in tasks[i + 1:]:
            shared = [e for e in b.entities if e in mine]
            if shared:
                candidate = _candidate(a, b, shared, window_days)
                if candidate is not None:
                    found.append(candidate)
    return sorted(found, key=lambda c: (c.first, c.second))
