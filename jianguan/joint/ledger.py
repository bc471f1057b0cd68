"""The burden ledger (检查负担台账, ADR 0054): every on-site visit to an entity, counted per entity and year by
department, read from the records the platform keeps — 行政检查 records of the 现场检查 category (behaviour
library: field inspections, spot checks and the exchange's records all land there) and spot-check results entered
without a 行政检查 record. A visit is one department on one day; departments on the same entity on the same day made
one joint visit (联合检查: 进一次门、查多项事), counted once in the entity's burden.

The budget is a number of visits per year by credit-risk class (`JIANGUAN_JOINT_VISIT_BUDGET`, read through
`credit.contracts.class_letters`); the 30-day repeat-visit monitor finds entities visited by two departments within
`JIANGUAN_JOINT_REPEAT_DAYS` days on different days (not joint). The ledger shows who visited and when, never a
record's contents: whoever may read the entity reads its ledger.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection, models

from jianguan.accounts.models import Department
from jianguan.behaviour.models import Inspection
from jianguan.core.scoping import Scope
from jianguan.credit import contracts as credit
from jianguan.spotchecks.models import CheckResult, Draw
from jianguan.spotchecks.models import Task as SpotCheckTask

ON_SITE = "1"  # 检查类别: 现场检查
CHUNK = 2000
_DATE = models.DateField()


@dataclass(frozen=True)
class Visit:
    day: dt.date
    departments: tuple[str, ...]
    records: int

    @property
    def joint(self) -> bool:
        return len(self.departments) > 1


@dataclass(frozen=True)
class Ledger:
    year: int
    visits: tuple[Visit, ...]
    by_department: tuple[tuple[str, int], ...]
    risk_class: str
    budget: int | None

    @property
    def count(self) -> int:
        return len(self.visits)

    @property
    def joint(self) -> int:
        return sum(1 for v in self.visits if v.joint)

    @property
    def over(self) -> bool:
        return self.budget is not None and self.count > self.budget


def _records(entity_ids: list[int], first: dt.date, last: dt.date) -> list[tuple[int, dt.date, int]]:
    """(entity, day, department) of every on-site record and unrecorded spot-check result in [first, last]."""
    rows = list(Inspection.objects.filter(entity_id__in=entity_ids, date__range=(first, last), category=ON_SITE,
                                          withdrawn_at__isnull=True)
                .values_list("entity_id", "date", "department_id"))
    rows += [(e, d, dept) for e, d, dept, numbers in CheckResult.objects.filter(
        entity_id__in=entity_ids, checked_on__range=(first, last)).values_list(
        "entity_id", "checked_on", "draw__task__lead_id", "inspection_numbers") if not numbers]
    return rows


def visits_in(*, scope: Scope, first: dt.date, last: dt.date) -> Iterator[tuple[int, dt.date, int]]:
    """(entity, day, department) of every on-site record and unrecorded spot-check result in [first, last] about
    the entities of the scope's jurisdiction (the figures of `metrics`)."""
    yield from Inspection.objects.filter(scope.region_q("entity__region_id"), date__range=(first, last),
                                         category=ON_SITE, entity__isnull=False, withdrawn_at__isnull=True).values_list(
        "entity_id", "date", "department_id").iterator(chunk_size=CHUNK)
    for entity, day, department, numbers in CheckResult.objects.filter(
            scope.region_q("entity__region_id"), checked_on__range=(first, last)).values_list(
            "entity_id", "checked_on", "draw__task__lead_id", "inspection_numbers").iterator(chunk_size=CHUNK):
        if not numbers:
            yield entity, day, department


@cache
def _one_entity_sql() -> str:
    """One statement for one entity's ledger: its on-site records and unrecorded spot-check results of the period,
    each with its department's name (read by the (entity, date) index of 行政检查 records and the entity index of
    spot-check results; a result's 行政检查 numbers read with it, those with records left to the records). Written
    out rather than composed: the page and the API read it on every call, and two querysets, a names look-up and
    the classification's look-up cost several times the statement (BENCHMARKS.md, burden ledger)."""
    inspection, result = Inspection._meta.db_table, CheckResult._meta.db_table
    draw, task = Draw, SpotCheckTask
    department = Department._meta.db_table
    return f"""
        SELECT i.date, d.name, NULL FROM {inspection} i JOIN {department} d ON d.id = i.department_id
         WHERE i.entity_id = %s AND i.date BETWEEN %s AND %s AND i.category = %s AND i.withdrawn_at IS NULL
        UNION ALL
        SELECT r.checked_on, d.name, r.inspection_numbers FROM {result} r
          JOIN {draw._meta.db_table} w ON w.id = r.draw_id JOIN {task._meta.db_table} t ON t.id = w.task_id
          JOIN {department} d ON d.id = t.lead_id
         WHERE r.entity_id = %s AND r.checked_on BETWEEN %s AND %s
    """  # noqa: S608 (table names from the models; the values are parameters)


def ledger_of(entity_id: int, year: int, *, risk_class: str | None = None) -> Ledger:
    """One entity's visits of `year`, the departments' counts, its class and budget. `risk_class`: the entity's
    class in force when the caller has read it (`MarketEntity.risk_class`, kept by the classification's publication
    and by adjustments), else read from the classification in force."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    with connection.cursor() as cursor:
        cursor.execute(_one_entity_sql(), [entity_id, first, last, ON_SITE, entity_id, first, last])
        rows = cursor.fetchall()
    numbers = CheckResult._meta.get_field("inspection_numbers")
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for day, name, recorded in rows:
        # a result with no 行政检查 record counts; one with records is counted by them
        if recorded is None or not numbers.from_db_value(recorded, None, connection):  # type: ignore[arg-type]
            by_day[_DATE.to_python(day)].append(name)
    visits = tuple(Visit(day, tuple(sorted(set(by_day[day]))), len(by_day[day])) for day in sorted(by_day))
    counts: dict[str, int] = defaultdict(int)
    for visit in visits:
        for name in visit.departments:
            counts[name] += 1
    letter = credit.class_letters([entity_id]).get(entity_id, "") if risk_class is None else risk_class
    return Ledger(year, visits, tuple(sorted(counts.items())), letter,
                  settings.JIANGUAN_JOINT_VISIT_BUDGET.get(letter) if letter else None)


def visit_counts(entity_ids: Iterable[int], year: int) -> dict[int, int]:
    """entity → its visits (distinct days) of `year`, in chunks."""
    ids = list(entity_ids)
    days: dict[int, set[dt.date]] = defaultdict(set)
    for start in range(0, len(ids), CHUNK):
        for entity, day, _ in _records(ids[start:start + CHUNK], dt.date(year, 1, 1), dt.date(year, 12, 31)):
            days[entity].add(day)
    return {entity: len(found) for entity, found in days.items()}


def over_budget(entity_ids: Iterable[int], year: int) -> int:
    """How many of the entities one more visit in `year` would take past their class's budget."""
    ids = list(entity_ids)
    letters = credit.class_letters(ids)
    counts = visit_counts(ids, year)
    budget = settings.JIANGUAN_JOINT_VISIT_BUDGET
    return sum(1 for e in ids if e in letters and counts.get(e, 0) + 1 > budget[letters[e]])


@dataclass(frozen=True)
class Repeat:
    entity_id: int
    first: dt.date
    second: dt.date
    departments: tuple[int, int]


def repeat_visits(*, region_codes: Iterable[str] | None, today: dt.date, days: int | None = None) -> list[Repeat]:
    """Entities visited by two departments within `days` on different days (not joint), the later visit in the
    last `days` days; the region's entities only when `region_codes` is given."""
    days = days or settings.JIANGUAN_JOINT_REPEAT_DAYS
    rows = Inspection.objects.filter(date__range=(today - dt.timedelta(days=2 * days), today), category=ON_SITE,
                                     entity__isnull=False, withdrawn_at__isnull=True)
    if region_codes is not None:
        rows = rows.filter(region_id__in=list(region_codes))
    visits: dict[int, dict[dt.date, set[int]]] = defaultdict(lambda: defaultdict(set))
    for entity, day, department in rows.values_list("entity_id", "date", "department_id").iterator():
        visits[entity][day].add(department)
    found = []
    for entity, by_day in visits.items():
        repeat = _repeat(entity, by_day, today, days)
        if repeat is not None:
            found.append(repeat)
    return found


def _repeat(entity: int, by_day: dict[dt.date, set[int]], today: dt.date, days: int) -> Repeat | None:
    ordered = sorted(by_day)
    for n, later in enumerate(ordered):
        if (today - later).days > days:
            continue
        for earlier in ordered[:n]:
            if (later - earlier).days <= days:
                others = [(a, b) for a in by_day[earlier] for b in by_day[later] if a != b]
                if others:
                    return Repeat(entity, earlier, later, others[0])
    return None
