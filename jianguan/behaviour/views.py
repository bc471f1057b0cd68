"""Pages of the behaviour library: one record with all its data elements, within the reader's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.http import record_fields

from .timeline import KINDS, MODELS

HIDDEN = ("record_id", "raw", "created_at", "updated_at")


@login_required
def record_detail(request: SignedInRequest, kind: str, record_id: int) -> HttpResponse:
    if kind not in MODELS:
        raise Http404
    record = MODELS[kind].objects.select_related("department", "entity", "region").get_visible(request.user,
                                                                                                pk=record_id)
    return render(request, "portal/record.html", {
        "title": f"{KINDS[kind]} {record.number}", "fields": record_fields(record, hidden=HIDDEN),
        "entity_uscc": record.entity.uscc if record.entity else ""})
