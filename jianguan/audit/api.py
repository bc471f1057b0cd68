"""`/api/v1/audit/…`: the caller's view of the audit chain, and chain verification."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from jianguan.core.api import ErrorOut, Page, PageQuery, paginate, require_person
from jianguan.core.roles import Role

from . import selectors, tasks
from .models import AuditEvent

router = Router(tags=["审计 audit"])


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_kind: str
    actor_id: str
    actor_label: str
    verb: str
    target_type: str
    target_id: str
    target_label: str
    region_code: str
    department_id: int | None
    payload: dict[str, Any]
    algorithm: str
    prev_hash: str
    hash: str


class EventFilter(PageQuery):
    verb: str | None = None
    target_type: str | None = None
    target_id: str | None = None


@router.get("/audit/events", response=Page[EventOut])
def event_list(request: HttpRequest, filters: Query[EventFilter]) -> dict[str, Any]:
    """Events of the caller's departments and jurisdiction, newest first."""
    events = selectors.event_list(reader=require_person(request), verb=filters.verb, target_type=filters.target_type,
                                  target_id=filters.target_id)
    return paginate(events, filters)


@router.get("/audit/events/{seq}", response={200: EventOut, 404: ErrorOut})
def event_get(request: HttpRequest, seq: int) -> AuditEvent:
    return selectors.event_get(reader=require_person(request), seq=seq)


class VerifyQueued(Schema):
    task_id: str
    status: str


@router.post("/audit/verify", response={202: VerifyQueued, 403: ErrorOut})
def verify_start(request: HttpRequest) -> Status[dict[str, str]]:
    """Queue a verification of the whole chain (data and system administrators)."""
    require_person(request, Role.DATA_ADMIN, Role.SYSTEM_ADMIN)
    result = tasks.chain_verify.enqueue()
    return Status(202, {"task_id": str(result.id), "status": str(result.status)})
