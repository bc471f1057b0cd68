"""Complaints and reports in an entity's information chain, within the reader's scope."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianguan.core.registry import ChainEntry, ChainQuery

from .models import Complaint

KINDS = {"complaint": _("投诉举报")}


def _records(query: ChainQuery):
    records = Complaint.objects.visible_to(query.reader).filter(entity_id=query.entity_id)
    if query.since:
        records = records.filter(received_at__date__gte=query.since)
    if query.until:
        records = records.filter(received_at__date__lte=query.until)
    return records


def entries(query: ChainQuery) -> list[ChainEntry]:
    if not query.wants("complaint"):
        return []
    return [ChainEntry("complaint", str(KINDS["complaint"]), timezone.localtime(c.received_at).date(),
                       f"{c.get_kind_display()}：{c.get_category_display()}（{c.number}）",
                       f"{c.get_status_display()}。{c.content[:80]}", source=c.get_channel_display(),
                       department=c.department.name)
            for c in _records(query).select_related("department").order_by("-received_at")[:query.limit]]


def counts(query: ChainQuery) -> dict[str, int]:
    return {"complaint": _records(query).count()} if query.wants("complaint") else {}
