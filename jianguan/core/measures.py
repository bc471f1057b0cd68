"""The figures of the department evaluation (部门考核), each kept by the app whose records it counts.

An app's `kpi.py` (考核指标) defines `MEASURES`, a list of `Measure`: of the things a department had due in a period,
how many it did in time. The evaluation (`jianguan.evaluation`) finds them through `core.registry`, weighs them
by its scheme and never reads the apps' tables itself; an app that adds a duty adds its measure beside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

Counts = dict[int, tuple[int, int]]  # department id -> (done in time, due)


@dataclass(frozen=True)
class Measure:
    code: str
    title: str
    basis: str  # what is counted, in Chinese, shown beside the figure
    count: Callable[[dt.date, dt.date], Counts]


def on_time(rows: models.QuerySet[Any], *, due: str, done: str, first: dt.date, last: dt.date,
            department: str = "department_id") -> Counts:
    """Per department: the rows whose `due` date falls in [first, last] (and not after today), and of them those
    whose `done` date or time falls on or before `due`, counted in the platform's time zone. A row not yet done
    when its date passed counts as due and not done."""
    last = min(last, timezone.localdate())
    field = rows.model._meta.get_field(done)
    day = TruncDate(done, tzinfo=timezone.get_current_timezone()) if isinstance(field, models.DateTimeField) \
        else F(done)
    grouped = (rows.filter(**{f"{due}__range": (first, last)}).values(department).order_by()
               .annotate(due_n=Count("pk"), done_n=Count("pk", filter=LessThanOrEqual(day, F(due))))
               .values_list(department, "done_n", "due_n"))
    return {pk: (done_n, due_n) for pk, done_n, due_n in grouped if pk is not None}
