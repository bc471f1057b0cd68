"""`/api/v1/spotchecks/…`: tasks and the transcripts of their draws."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from jianguan.accounts.contracts import AUTH
from jianguan.core.api import ErrorOut, page_bounds, principal, require_reader
from jianguan.core.errors import NotFound
from jianguan.core.roles import ApiScope

from . import drawing, selectors
from .models import Draw

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
    tasks = selectors.task_list(reader=require_reader(request, ApiScope.READ)).prefetch_related("draws")
    return list(tasks[offset:offset + limit])


class _Anyone:
    """The caller without credentials: the public transcript is served to them, nothing else."""

    def __call__(self, request: HttpRequest) -> str:
        return "anyone"


@router.get("/spotchecks/draws/{draw_id}/transcript", auth=[*AUTH, _Anyone()],
            response={200: dict[str, Any], 404: ErrorOut, 409: ErrorOut})
def draw_transcript(request: HttpRequest, draw_id: int):
    """The draw's transcript (protocol `jianguan-draw-v1`, docs/draw-protocol.md): check it with
    `python -m jianguan.spotchecks.verify`. A reader in the draw's scope gets it in full; anyone else (no sign-in
    needed) gets the public form of a published draw, the inspectors and excluded pairs by their committed hashes,
    and 404 for any other draw."""
    if principal(request) != "anyone":
        try:
            draw = selectors.draw_get(reader=require_reader(request, ApiScope.READ), draw_id=draw_id)
        except NotFound:  # out of scope: perhaps public all the same
            draw = None
        if draw is not None:
            return HttpResponse(drawing.transcript_bytes(draw), content_type="application/json")
    try:
        draw = selectors.public_draw_get(draw_id=draw_id)
    except Draw.DoesNotExist:
        raise NotFound() from None
    return HttpResponse(drawing.public_transcript_bytes(draw), content_type="application/json")
