"""Joint-supervision figures by month (issue 19 item 6, ADR 0056), read from the same visits as the burden ledger
(`ledger.visits_in`): a visit is one entity on one day; it is joint when two or more departments were there
(进一次门、查多项事). The joint-inspection share is joint visits / all on-site visits — for the city, over the
entities of the reader's jurisdiction; for a department, over the visits it took part in. Visits saved are those of
the accepted merge proposals, in the month their merged visit starts; repeat visits are the 30-day monitor's
entities (two departments on different days within `JIANGUAN_JOINT_REPEAT_DAYS`), counted once in the month of the
later visit. Scoped: the reader's jurisdiction, and the departments it reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import ExtractMonth

from jianguan.accounts.models import Department
from jianguan.core.scoping import HasScope

from . import ledger
from .models import MergeProposal, MergeStatus
from .selectors import visible


@dataclass(frozen=True)
class Row:
    label: str
    visits: int
    joint: int
    saved: int = 0
    repeats: int = 0

    @property
    def share(self) -> float:
        return round(100 * self.joint / self.visits, 1) if self.visits else 0.0


@dataclass(frozen=True)
class Figures:
    year: int
    city: Row
    months: tuple[Row, ...]
    departments: tuple[Row, ...]


Days = dict[tuple[int, dt.date], set[int]]  # (entity, day) -> departments there


def _by_visit(reader: HasScope, first: dt.date, last: dt.date) -> Days:
    found: Days = defaultdict(set)
    for entity, day, department in ledger.visits_in(scope=reader.scope, first=first, last=last):
        found[entity, day].add(department)
    return found


def _mine(reader: HasScope, departments: set[int]) -> bool:
    ids = reader.scope.department_ids
    return ids is None or reader.scope.everything or bool(departments & ids)


def repeats_by_month(visits: Days, year: int, days: int) -> dict[int, int]:
    """month -> entities with a repeat visit whose later visit falls in that month of `year`."""
    by_entity: dict[int, dict[dt.date, set[int]]] = defaultdict(dict)
    for (entity, day), departments in visits.items():
        by_entity[entity][day] = departments
    counted: dict[int, set[int]] = defaultdict(set)
    for entity, by_day in by_entity.items():
        ordered = sorted(by_day)
        for n, later in enumerate(ordered):
            if later.year != year or entity in counted.get(later.month, ()):
                continue
            if any(0 < (later - earlier).days <= days and any(a != b for a in by_day[earlier] for b in by_day[later])
                   for earlier in ordered[:n]):
                counted[later.month].add(entity)
    return {month: len(entities) for month, entities in counted.items()}


def _saved(reader: HasScope, year: int) -> dict[int, int]:
    rows = visible(MergeProposal, reader).filter(status=MergeStatus.ACCEPTED, window_start__year=year).annotate(
        month=ExtractMonth("window_start")).values("month").annotate(saved=Sum("visits_saved"))
    return {row["month"]: row["saved"] or 0 for row in rows}


def figures(*, reader: HasScope, year: int) -> Figures:
    """The year's figures by month and by department, within the reader's scope."""
    days = settings.JIANGUAN_JOINT_REPEAT_DAYS
    visits = _by_visit(reader, dt.date(year, 1, 1) - dt.timedelta(days=days), dt.date(year, 12, 31))
    repeats, saved = repeats_by_month(visits, year, days), _saved(reader, year)
    months: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    departments: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    readable = reader.scope.department_ids
    for (_, day), there in visits.items():
        if day.year != year or not _mine(reader, there):
            continue
        joint = len(there) > 1
        months[day.month][0] += 1
        months[day.month][1] += joint
        for department in there if readable is None else there & readable:
            departments[department][0] += 1
            departments[department][1] += joint
    names = dict(Department.objects.filter(pk__in=list(departments)).values_list("pk", "name"))
    month_rows = tuple(Row(f"{year}-{m:02d}", months[m][0], months[m][1], saved.get(m, 0), repeats.get(m, 0))
                       for m in range(1, 13))
    city = Row(str(year), sum(r.visits for r in month_rows), sum(r.joint for r in month_rows),
               sum(r.saved for r in month_rows), sum(r.repeats for r in month_rows))
    return Figures(year, city, month_rows, tuple(sorted(
        (Row(names[d], counts[0], counts[1]) for d, counts in departments.items()), key=lambda r: (-r.share, r.label))))


def month_share(*, reader: HasScope, today: dt.date) -> Row:
    """This month's visits and joint visits so far, within the reader's scope (the dashboard tile)."""
    visits = _by_visit(reader, today.replace(day=1), today)
    mine = [len(there) > 1 for there in visits.values() if _mine(reader, there)]
    return Row(f"{today:%Y-%m}", len(mine), sum(mine))
