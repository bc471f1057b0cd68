"""Reads of non-on-site supervision, each within the reader's scope."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.core.scoping import HasScope
from jianguan.subjects.models import MarketEntity

from .models import AlarmState, MonitoredPoint, PointKind, Reading, SurveyFinding

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


def survey_departments(*, reader: HasScope, own: int | None) -> list[Department]:
    """The departments whose findings or survey points the reader sees, their own first."""
    ids = set(SurveyFinding.objects.visible_to(reader).values_list("department_id", flat=True).distinct())
    ids |= set(point_list(reader=reader, kind=PointKind.SURVEY).values_list("department_id", flat=True).distinct())
    if own is not None:
        ids.add(own)
    return sorted(Department.objects.filter(pk__in=ids).select_related("region"),
                  key=lambda d: (d.pk != own, d.region_id, d.pk))


def finding_list(*, reader: HasScope, department_id: int) -> QuerySet[SurveyFinding]:
    return (SurveyFinding.objects.visible_to(reader).filter(department_id=department_id)
            .prefetch_related("entities").order_by("-observed_on", "-pk"))


def finding_get(*, reader: HasScope, finding_id: int) -> SurveyFinding:
    finding: SurveyFinding = SurveyFinding.objects.visible_to(reader).prefetch_related("entities").get_visible(
        reader, pk=finding_id)
    return finding


def entity_places(*, reader: HasScope, entity_ids: Iterable[int]) -> dict[int, tuple[float, float]]:
    """{entity: (longitude, latitude)} of the entities the reader sees, from their located points (the first by
    code) of whichever department: the object library keeps no coordinates, and where an entity stands is
    object-library information, scoped by region like its address — nothing of the point itself is read (ADR
    0065)."""
    places: dict[int, tuple[float, float]] = {}
    visible = MarketEntity.objects.visible_to(reader).filter(pk__in=list(entity_ids)).values("pk")
    rows = (MonitoredPoint.objects.filter(entity_id__in=visible, longitude__isnull=False, latitude__isnull=False)
            .order_by("code").values_list("entity_id", "longitude", "latitude"))
    for entity, lng, lat in rows:
        places.setdefault(entity, (float(lng), float(lat)))
    return places
