"""`/api/v1/remote/…`: monitored points, readings (the batch intake of analysis services and other systems, scope
`remote:write`, and a point's readings), alarms and their disposal steps — each within the caller's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from jianguan.accounts.contracts import allow
from jianguan.core.api import (
    ErrorOut,
    InputSchema,
    Page,
    PageQuery,
    ScopedOut,
    paginate,
    principal,
    require_person,
    require_reader,
)
from jianguan.core.roles import ApiScope, Role

from . import batch, disposal, kpi, selectors
from .models import AlarmState, MonitoredPoint, Reading

router = Router(tags=["非现场监管 remote"])


class ReadingBatchIn(InputSchema):
    items: list[Any]


class OutcomeOut(Schema):
    accepted: int
    duplicates: int


@router.post("/remote/readings", auth=allow(Role.DATA_ADMIN, systems=ApiScope.REMOTE_WRITE),
             response={201: OutcomeOut, 400: ErrorOut, 403: ErrorOut})
def readings_receive(request: HttpRequest, data: ReadingBatchIn) -> Any:
    """Take in a batch of readings (`point`, `code`, `at`, `value`, optional `period`, `flag`, `unit`), stored
    whole or refused whole with each item's problem; a reading sent again is a duplicate and stores nothing."""
    who = require_reader(request, ApiScope.REMOTE_WRITE)
    outcomes = batch.readings_receive(actor=principal(request) or who, sender=who, items=data.items)
    return Status(201, {"accepted": sum(o.accepted for o in outcomes),
                        "duplicates": sum(o.duplicates for o in outcomes)})


class FactorOut(Schema):
    code: str
    name: str
    unit: str
    lower: float | None
    upper: float | None
    basis: str


class PointOut(ScopedOut):
    id: int
    code: str
    name: str
    kind: str
    entity: str
    implementation_code: str
    interval_seconds: int
    last_reading_at: dt.datetime | None
    online: bool
    factors: list[FactorOut]
    department: int
    department_name: str
    region: str

    @staticmethod
    def resolve_entity(obj: MonitoredPoint) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_online(obj: MonitoredPoint) -> bool:
        return selectors.online(obj)

    @staticmethod
    def resolve_factors(obj: MonitoredPoint) -> list[Any]:
        return list(obj.factors.all())


class PointFilter(PageQuery):
    kind: str | None = None


@router.get("/remote/points", response=Page[PointOut])
def point_list(request: HttpRequest, filters: Query[PointFilter]) -> dict[str, Any]:
    points = selectors.point_list(reader=require_reader(request, ApiScope.READ), kind=filters.kind)
    return paginate(points.prefetch_related("factors").select_related("region"), filters)


class ReadingOut(Schema):
    code: str
    at: dt.datetime
    period: str
    value: float | None
    flag: str


class ReadingFilter(PageQuery):
    point: int
    code: str | None = None


@router.get("/remote/readings", response={200: Page[ReadingOut], 404: ErrorOut})
def reading_list(request: HttpRequest, filters: Query[ReadingFilter]) -> dict[str, Any]:
    """A point's readings, newest first."""
    point = selectors.point_get(reader=require_reader(request, ApiScope.READ), point_id=filters.point)
    readings = Reading.objects.filter(point=point).order_by("-at", "code")
    if filters.code:
        readings = readings.filter(code=filters.code)
    return paginate(readings, filters)


class AlarmOut(ScopedOut):
    id: int
    point: str
    entity: str
    rule: str
    rule_version: str
    title: str
    level: int
    episode: int
    opened_at: dt.datetime | None
    changed_at: dt.datetime
    detail: str
    disposal: str
    evidence: list[dict[str, Any]]
    department: int
    department_name: str
    region: str

    @staticmethod
    def resolve_point(obj: AlarmState) -> str:
        return obj.point.code

    @staticmethod
    def resolve_entity(obj: AlarmState) -> str:
        return obj.entity.uscc


class AlarmFilter(PageQuery):
    all: bool = False


@router.get("/remote/alarms", response=Page[AlarmOut])
def alarm_list(request: HttpRequest, filters: Query[AlarmFilter]) -> dict[str, Any]:
    alarms = selectors.alarm_list(reader=require_reader(request, ApiScope.READ), open_only=not filters.all)
    return paginate(alarms.select_related("department", "region"), filters)


@router.get("/remote/alarms/{alarm_id}", response={200: AlarmOut, 404: ErrorOut})
def alarm_get(request: HttpRequest, alarm_id: int) -> AlarmState:
    return selectors.alarm_get(reader=require_reader(request, ApiScope.READ), alarm_id=alarm_id)


class AlarmTransitionIn(InputSchema):
    action: str
    data: dict[str, Any] = {}


@router.post("/remote/alarms/{alarm_id}/transitions", auth=allow(Role.OFFICER, Role.HEAD),
             response={200: AlarmOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def alarm_transition(request: HttpRequest, alarm_id: int, data: AlarmTransitionIn) -> AlarmState:
    """One disposal step (`notify`, `remote_check`, `onsite`, `clue`, `dismiss`) with its fields in `data`."""
    actor = require_person(request)
    disposal.alarm_transition(actor=actor, alarm_id=alarm_id, action=data.action, data=data.data)
    return selectors.alarm_get(reader=actor, alarm_id=alarm_id)


class RemoteMetricsOut(Schema):
    first: dt.date
    last: dt.date
    checks: int
    remote_checks: int
    remote_share: float | None
    points: int
    alarms: int
    alarms_per_point: float | None
    disposed: int
    false_alarms: int
    false_alarm_rate: float | None
    disposal_hours_median: float | None
    disposal_hours_p90: float | None


class RemoteMetricsQuery(Schema):
    first: dt.date | None = None
    last: dt.date | None = None


@router.get("/remote/metrics", response={200: RemoteMetricsOut, 400: ErrorOut})
def metrics_get(request: HttpRequest, query: Query[RemoteMetricsQuery]) -> dict[str, Any]:
    """The figures of non-on-site supervision within the caller's scope over `first`–`last` (default: the last 30
    days): share of checks made remotely, alarms per point, false-alarm rate, hours from alarm to disposal."""
    reader = require_reader(request, ApiScope.READ)
    first, last = kpi.span(query.first, query.last)
    return kpi.figures(reader=reader, first=first, last=last).as_dict()
