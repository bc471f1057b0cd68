"""`/api/v1/spotchecks/…`: tasks and the transcripts of their draws."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from jianguan.core.api import ErrorOut, page_bounds, require_reader
from jianguan.core.roles import ApiScope

from . import selectors, services

router = Router(tags=["双随机一公开 spotchecks"])


class DrawOut(Schema):
    id: int
    number: str
    status: str
    commitment: str
    beacon: dict[str, Any]
    transcript_hash: str
    drawn_at: dt.datetime | None
    results_written_at: dt.datetime | None


class TaskOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    window_start: dt.date
    window_end: dt.date
    strata: dict[str, Any]
    items: list[str]
    draws: list[DrawOut]

    @staticmethod
    def resolve_draws(obj) -> list:
        return list(obj.draws.all())


@router.get("/spotchecks/tasks", response=list[TaskOut])
def task_list(request: HttpRequest, limit: int = 50, offset: int = 0):
    """Tasks of the caller's departments (joint tasks included), newest first, with their draws."""
    limit, offset = page_bounds(limit, offset)
    tasks = selectors.tasks(reader=require_reader(request, ApiScope.READ)).prefetch_related("draws")
    return list(tasks[offset:offset + limit])


@router.get("/spotchecks/draws/{draw_id}/transcript", response={200: dict[str, Any], 404: ErrorOut, 409: ErrorOut})
def draw_transcript(request: HttpRequest, draw_id: int):
    """The draw's transcript (protocol `jianguan-draw-v1`, docs/draw-protocol.md): check it with
    `python -m jianguan.spotchecks.verify`."""
    draw = selectors.draw_get(reader=require_reader(request, ApiScope.READ), draw_id=draw_id)
    return HttpResponse(services.transcript_bytes(draw), content_type="application/json")
