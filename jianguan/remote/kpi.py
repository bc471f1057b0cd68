"""The figures of non-on-site supervision (issue 20 item 6), within a reader's scope over a span of days:

- 非现场检查占比: of the 行政检查 records dated in the span, those made with the method 非现场 (a remote check);
- 每点告警数: alarms opened in the span (each opening of a rule's state is one alarm, its `episode`) per point;
- 误报率: of the alarms disposed in the span (first disposal in it), those an officer's head marked 误报 (`dismiss`);
- 告警处置时长: hours from an alarm's opening to its first disposal, the median and the 90th percentile.

The first is also a measure of the department evaluation (`core.measures`, `MEASURES`): per department, remote
checks of all checks dated in the month; a scheme may weigh it (ADR 0064).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from jianguan.behaviour.models import Inspection
from jianguan.core.errors import ValidationFailed
from jianguan.core.measures import Counts, Measure
from jianguan.core.scoping import HasScope

from .disposal import METHOD
from .models import AlarmStep, Disposal, MonitoredPoint


@dataclass(frozen=True)
class Figures:
    first: dt.date
    last: dt.date
    checks: int
    remote_checks: int
    points: int
    alarms: int
    disposed: int
    false_alarms: int
    hours: tuple[float, ...]  # alarm to first disposal, each disposed alarm, in order

    @property
    def remote_share(self) -> float | None:
        return self.remote_checks / self.checks if self.checks else None

    @property
    def alarms_per_point(self) -> float | None:
        return self.alarms / self.points if self.points else None

    @property
    def false_alarm_rate(self) -> float | None:
        return self.false_alarms / self.disposed if self.disposed else None

    @property
    def hours_median(self) -> float | None:
        return round(statistics.median(self.hours), 2) if self.hours else None

    @property
    def hours_p90(self) -> float | None:
        """The nearest-rank 90th percentile: the smallest value at or above 90 % of the values."""
        return round(self.hours[math.ceil(0.9 * len(self.hours)) - 1], 2) if self.hours else None

    def as_dict(self) -> dict[str, object]:
        return {"first": self.first, "last": self.last, "checks": self.checks, "remote_checks": self.remote_checks,
                "remote_share": self.remote_share, "points": self.points, "alarms": self.alarms,
                "alarms_per_point": self.alarms_per_point, "disposed": self.disposed,
                "false_alarms": self.false_alarms, "false_alarm_rate": self.false_alarm_rate,
                "disposal_hours_median": self.hours_median, "disposal_hours_p90": self.hours_p90}


DEFAULT_DAYS = 30
MAX_DAYS = 366


def span(first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    """The days asked for: by default the last 30 days up to today; at most a year, `first` not after `last`."""
    last = last or timezone.localdate()
    first = first or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationFailed("起始日期不得晚于截止日期", code="date_order", field="first")
    if (last - first).days >= MAX_DAYS:
        raise ValidationFailed(f"统计区间（起止日期）不得超过 {MAX_DAYS} 天", code="span_too_long", field="first")
    return first, last


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def figures(*, reader: HasScope, first: dt.date, last: dt.date) -> Figures:
    """The figures of the records `reader` may see, over the days `first` to `last` (platform time zone)."""
    start, end = _bounds(first, last)
    checks = Inspection.objects.visible_to(reader).filter(date__range=(first, last)).aggregate(
        all=Count("pk"), remote=Count("pk", filter=Q(method=METHOD)))
    points = MonitoredPoint.objects.visible_to(reader).filter(created_at__lt=end).count()
    visible = MonitoredPoint.objects.visible_to(reader).values("pk")
    alarms = AlarmStep.objects.filter(alarm__point__in=visible, action="opened", at__gte=start, at__lt=end).count()
    disposals = (Disposal.objects.visible_to(reader).filter(at__lt=end).order_by("alarm_id", "episode", "at", "pk")
                 .values_list("alarm_id", "episode", "action", "at"))
    firsts: dict[tuple[int, int], tuple[str, dt.datetime]] = {}
    dismissed: set[tuple[int, int]] = set()
    for alarm_id, episode, action, at in disposals:
        firsts.setdefault((alarm_id, episode), (action, at))
        if action == "dismiss":
            dismissed.add((alarm_id, episode))
    counted = {key: at for key, (_action, at) in firsts.items() if start <= at < end}
    opened = {(alarm_id, episode): at for alarm_id, episode, at in AlarmStep.objects.filter(
        alarm_id__in={key[0] for key in counted}, action="opened").values_list("alarm_id", "episode", "at")}
    hours = sorted((at - opened[key]).total_seconds() / 3600 for key, at in counted.items() if key in opened)
    return Figures(first=first, last=last, checks=checks["all"], remote_checks=checks["remote"], points=points,
                   alarms=alarms, disposed=len(counted), false_alarms=len(dismissed & counted.keys()),
                   hours=tuple(hours))


def _remote_share(first: dt.date, last: dt.date) -> Counts:
    rows = (Inspection.objects.filter(date__range=(first, min(last, timezone.localdate())))
            .values("department_id").order_by()
            .annotate(all=Count("pk"), remote=Count("pk", filter=Q(method=METHOD)))
            .values_list("department_id", "remote", "all"))
    return {pk: (remote, total) for pk, remote, total in rows}


MEASURES = [Measure("remote_checks_share", "非现场检查占比", "本月行政检查中以非现场方式实施的", _remote_share)]
