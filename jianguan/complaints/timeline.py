"""Complaints and reports in an entity's information chain, within the reader's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianguan.core.registry import ChainEntry, ChainQuery, chain_rows

from .models import Category, Channel, Complaint, ComplaintKind, ComplaintStatus

KINDS = {"complaint": _("投诉举报")}
FIELDS = ("pk", "received_at", "kind", "category", "number", "status", "content", "channel", "department__name")


def read(query: ChainQuery) -> tuple[list[ChainEntry], dict[str, int]]:
    if not query.wants("complaint"):
        return [], {}
    rows, count = chain_rows(Complaint.objects, query, date_field="received_at", fields=FIELDS,
                             period_lookup="received_at__date")
    kinds, categories = dict(ComplaintKind.choices), dict(Category.choices)
    statuses, channels = dict(ComplaintStatus.choices), dict(Channel.choices)
    return [ChainEntry("complaint", str(KINDS["complaint"]), timezone.localtime(row["received_at"]).date(),
                       f"{kinds[row['kind']]}：{categories[row['category']]}（{row['number']}）",
                       f"{statuses[row['status']]}。{row['content'][:80]}", source=str(channels[row["channel"]]),
                       department=row["department__name"], url=reverse("complaints:detail", args=[row["pk"]]))
            for row in rows], {"complaint": count}
