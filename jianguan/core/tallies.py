"""Grouped counts for the leaders' dashboard (领导驾驶舱, ADR 0066), each kept by the app whose records it counts.

An app's `tallies.py` defines `TALLIES`, a list of `Tally`: a chart's title, its count (one grouped query giving rows
of region code, department id or None, month "YYYY-MM" or "" for the present state, key, count), the keys' labels
and the link to the app's own list behind each key, filtered by it. The leaders' app stores the counts
(`jianguan.leaders`) and never reads the apps' tables itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

TallyRow = tuple[str, int | None, str, str, int]


@dataclass(frozen=True)
class Tally:
    """One chart's figures. `kind` "month": a bar per month, a series per key; "share": one slice per key (the
    present state, or the months shown added up). `link(key, month)` is the list behind a key (and month, "" for
    all), the reader's own scope applied by that page as always."""

    code: str
    title: str
    count: Callable[[dt.date, dt.date], list[TallyRow]]
    labels: Mapping[str, Any]
    link: Callable[[str, str], str]
    kind: str = "month"
    order: int = 100


def by_month(rows: models.QuerySet[Any], *, date: str, key: str, first: dt.date, last: dt.date,
             department: str | None = "department_id", region: str = "region_id") -> list[TallyRow]:
    """`rows` whose `date` falls in [first, last], counted per region, department, month of `date` (in the
    platform's time zone) and `key`."""
    model, *path, name = [rows.model, *date.split("__")]
    for step in path:
        model = model._meta.get_field(step).related_model
    field = model._meta.get_field(name)
    if isinstance(field, models.DateTimeField):
        start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
        end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
        rows = rows.filter(**{f"{date}__gte": start, f"{date}__lt": end})
        month = TruncMonth(date, tzinfo=timezone.get_current_timezone())
    else:
        rows = rows.filter(**{f"{date}__range": (first, last)})
        month = TruncMonth(date)
    names = [region, department or region, key]
    grouped = rows.annotate(month_=month).values(*names, "month_").order_by().annotate(n=Count("pk"))
    return [(row[region], row[department] if department else None, row["month_"].strftime("%Y-%m"),
             str(row[key]), row["n"]) for row in grouped]


def present(rows: models.QuerySet[Any], *, key: str, department: str | None = "department_id",
            region: str = "region_id") -> list[TallyRow]:
    """`rows` as they stand, counted per region, department and `key` (month "")."""
    names = [region, department or region, key]
    grouped = rows.values(*names).order_by().annotate(n=Count("pk"))
    return [(row[region], row[department] if department else None, "", str(row[key]), row["n"])
            for row in grouped]
