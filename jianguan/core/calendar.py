"""Working days under the Chinese holiday calendar (法定节假日 and 调休).

Statutory clocks count working days where the law says so (行政处罚法 art. 85: its periods of 2, 3, 5 and 7 days
are working days; 行政强制法 art. 69: periods of 10 days or less are working days). The packaged calendar
(`chinese_calendar`) knows the State Council's published years; an administrator adds or corrects dates in
`CalendarDay`, which wins. For a year the package does not know, the administrator's dates for that year
plus the ordinary week decide; for a year that neither source knows, `is_working_day` refuses to guess.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

from .errors import DomainError
from .models import CalendarDay


class CalendarUnknown(DomainError):
    code = "calendar_unknown"


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
        return chinese_calendar.is_workday(day)
    if any(d.year == day.year for d in overrides):
        # The administrator entered this year's holidays and 调休 days: other dates follow the week.
        return day.weekday() < 5
    raise CalendarUnknown(
        f"{day.year} 年的节假日安排尚未配置，请管理员在节假日调整中补充",
        extra={"year": day.year},
    )


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
