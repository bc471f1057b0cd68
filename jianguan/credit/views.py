"""Pages of credit records: one record with its source, within the reader's jurisdiction."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.http import record_fields

from .models import CreditRecord


@login_required
def record_detail(request: SignedInRequest, record_id: int) -> HttpResponse:
    record = CreditRecord.objects.select_related("entity", "region").get_visible(request.user, pk=record_id)
    return render(request, "portal/record.html", {
        "title": f"{record.get_kind_display()} {record.source_ref}",
        "fields": record_fields(record, hidden=("created_at", "updated_at", "imported")),
        "entity_uscc": record.entity.uscc})
