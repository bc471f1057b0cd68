"""Reads of non-on-site supervision, each within the reader's scope."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jianguan.core.scoping import HasScope

from .models import AlarmState, MonitoredPoint, Reading

OFFLINE_INTERVALS = 3


def point_list(*, reader: HasScope, kind: str | None = None) -> QuerySet[MonitoredPoint]:
    points = MonitoredPoint.objects.visible_to(reader).select_related("entity", "department")
    return points.filter(kind=kind) if kind else points


def point_get(*, reader: HasScope, point_id: int) -> MonitoredPoint:
    point: MonitoredPoint = MonitoredPoint.objects.visible_to(reader).get_visible(reader, pk=point_id)
    return point


def online(point: MonitoredPoint, now: dt.datetime | None = None) -> bool:
    """Whether the point reported within `OFFLINE_INTERVALS` of its interval."""
    if point.last_reading_at is None:
        return False
    gap = (now or timezone.now()) - point.last_reading_at
    return gap <= dt.timedelta(seconds=point.interval_seconds * OFFLINE_INTERVALS)


def alarm_list(*, reader: HasScope, open_only: bool = True, point_id: int | None = None) -> QuerySet[AlarmState]:
    """The alarms the reader may see, most severe and newest first; `open_only` leaves out cleared ones."""
    alarms = AlarmState.objects.visible_to(reader).exclude(opened_at=None).select_related("point", "entity")
    if open_only:
        alarms = alarms.filter(level__gt=0)
    if point_id is not None:
        alarms = alarms.filter(point_id=point_id)
    return alarms.order_by("-level", "-changed_at", "-pk")


def alarm_get(*, reader: HasScope, alarm_id: int) -> AlarmState:
    alarm: AlarmState = AlarmState.objects.visible_to(reader).select_related("point", "entity").get_visible(
        reader, pk=alarm_id)
    return alarm


def board(*, reader: HasScope) -> dict[str, Any]:
    """The monitoring board's figures: points online and offline by kind, open alarms by level."""
    points = list(point_list(reader=reader))
    now = timezone.now()
    up = sum(1 for p in points if online(p, now))
    levels = Counter(alarm_list(reader=reader).values_list("level", flat=True))
    return {"points": points, "online": up, "offline": len(points) - up, "levels": sorted(levels.items())}


def readings_of(point: MonitoredPoint, *, hours: int = 48, until: dt.datetime | None = None
                ) -> dict[str, list[tuple[dt.datetime, Any]]]:
    """{factor: [(time, value)]} of the point's last `hours` hours, oldest first."""
    end = until or timezone.now()
    rows = Reading.objects.filter(point=point, at__gt=end - dt.timedelta(hours=hours), at__lte=end,
                                  value__isnull=False).order_by("at").values_list("code", "at", "value")[:20000]
    series: dict[str, list[tuple[dt.datetime, Any]]] = {}
    for code, at, value in rows:
        series.setdefault(code, []).append((at, value))
    return series
