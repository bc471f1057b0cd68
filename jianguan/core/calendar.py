"""Working days under the Chinese holiday calendar (法定节假日 and 调休).

Statutory clocks count working days where the law says so (行政处罚法 art. 85: its periods of 2, 3, 5 and 7 days
are working days; 行政强制法 art. 69: periods of 10 days or less are working days). The packaged calendar
(`chinese_calendar`) knows the State Council's published years; an administrator adds or corrects dates in
`CalendarDay`, which wins. For a year the package does not know, the administrator's dates for that year plus
the ordinary week decide. For a year that neither source knows, the ordinary week alone decides: holidays
only lengthen a period, so a deadline counted without them falls no later than the lawful one (the
administration is held to the stricter date, never the party), and `unknown_years` lets the dashboard ask the
administrator to enter that year's schedule.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

from .models import CalendarDay


def _overrides() -> dict[dt.date, bool]:
    return dict(CalendarDay.objects.values_list("date", "is_working_day"))


@lru_cache(maxsize=1)
def _package_years() -> frozenset[int]:
    return frozenset(d.year for d in chinese_calendar.holidays)


def is_working_day(day: dt.date, *, overrides: dict[dt.date, bool] | None = None) -> bool:
    """Whether `day` is a working day (overrides first, then the packaged calendar)."""
    overrides = _overrides() if overrides is None else overrides
    if day in overrides:
        return overrides[day]
    if day.year in _package_years():
        return bool(chinese_calendar.is_workday(day))
    # The administrator's dates for this year (already applied above), otherwise the ordinary week.
    return day.weekday() < 5


def unknown_years(*, start: dt.date, days: int = 366) -> list[int]:
    """Years between `start` and `start + days` that neither the package nor the administrator has configured."""
    configured = _package_years() | {day.year for day in CalendarDay.objects.dates("date", "year")}
    years = range(start.year, (start + dt.timedelta(days=days)).year + 1)
    return [year for year in years if year not in configured]


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the start day itself is not counted)."""
    overrides = _overrides()
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current, overrides=overrides):
            remaining -= 1
    return current
