"""Calendar months as the monthly reports and evaluations name them (`YYYY-MM`), in the platform's time zone."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.utils import timezone

from .errors import ValidationFailed

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def parse_month(value: object, *, field: str = "month") -> str:
    """`value` as a month `YYYY-MM` not after the current one, else ValidationFailed naming the field."""
    month = str(value or "").strip()
    if not _MONTH.fullmatch(month):
        raise ValidationFailed("月份应为 YYYY-MM 格式，例如 2026-11", code="month_invalid", field=field)
    if month > timezone.localdate().strftime("%Y-%m"):
        raise ValidationFailed("月份不能晚于本月", code="month_future", field=field)
    return month


def month_days(month: str) -> tuple[dt.date, dt.date]:
    """The first and the last day of `month`."""
    year, number = int(month[:4]), int(month[5:])
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of `month` and of the month after, in the platform's time zone."""
    first, last = month_days(month)
    start = dt.datetime.combine(first, dt.time())
    return timezone.make_aware(start), timezone.make_aware(start + dt.timedelta(days=(last - first).days + 1))


def previous_month(today: dt.date) -> str:
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def months_before(month: str, count: int) -> list[str]:
    """`count` months ending with `month`, oldest first."""
    first, _ = month_days(month)
    found = [month]
    for _ in range(count - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        found.append(first.strftime("%Y-%m"))
    return found[::-1]


def month_filter(value: object) -> str:
    """A list page's `month` filter: the month given (YYYY-MM), or "" (no filter) when blank or not a month."""
    try:
        return parse_month(value) if value else ""
    except ValidationFailed:
        return ""
