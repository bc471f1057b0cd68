"""Reads of disclosure items (ADR 0047): a department's items with their clocks and the overdue ones (scoped),
one item with its steps, the counts the dashboard shows, and the public reads — published items (and withdrawn
ones with their reason) with the published copy only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope

from . import search
from .models import DisclosureItem, ItemStatus, PublishedPdf

OPEN = (ItemStatus.PENDING, ItemStatus.PREPARED)
PUBLIC = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
PUBLIC_FIELDS = ("number", "source_kind", "department__name", "party_name", "decision_number", "decided_on",
                 "redacted", "published_on", "period_ends_on", "status", "withdrawn_on", "withdraw_reason",
                 "updated_at", "region_id")


def overdue_q(today: dt.date) -> Q:
    """Not published by the due day (the due day itself is in time), or not withdrawn by the withdrawal's due
    day once the decision was changed, revoked or found illegal."""
    return (Q(status__in=OPEN, due_on__lt=today)
            | Q(status=ItemStatus.PUBLISHED, withdraw_due__isnull=False, withdraw_due__lt=today))


def item_list(*, reader: HasScope, status: str = "", kind: str = "", overdue: bool = False,
              today: dt.date | None = None, q: str = "") -> QuerySet[DisclosureItem]:
    """The items the reader may see (by department and region), the soonest due first."""
    rows = DisclosureItem.objects.visible_to(reader).select_related("department")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(source_kind=kind)
    if overdue:
        rows = rows.filter(overdue_q(today or dt.date.today()))
    if q:
        rows = rows.filter(Q(party_name__icontains=q) | Q(decision_number__icontains=q) | Q(number=q))
    return rows.order_by("due_on", "pk")


def item_get(*, reader: HasScope, item_id: int) -> DisclosureItem:
    item: DisclosureItem = DisclosureItem.objects.select_related(
        "department", "prepared_by", "reviewed_by").get_visible(reader, pk=item_id)
    return item


def item_counts(*, reader: HasScope, today: dt.date) -> dict[str, int]:
    """Items by status, and the overdue: not published in time, not withdrawn in time."""
    return DisclosureItem.objects.visible_to(reader).aggregate(
        **{status.value: Count("id", filter=Q(status=status)) for status in ItemStatus},
        publish_overdue=Count("id", filter=Q(status__in=OPEN, due_on__lt=today)),
        withdraw_overdue=Count("id", filter=Q(status=ItemStatus.PUBLISHED, withdraw_due__lt=today)))


def public_item_list(*, kind: str = "", department_id: int | None = None, region_id: str = "", entity_uscc: str = "",
                     q: str = "", since: dt.date | None = None, until: dt.date | None = None,
                     need: int = 1000) -> QuerySet[DisclosureItem]:
    """What the public sees (事后公开): published items and withdrawn ones (with the reason), the published copy
    only, newest first. Words (`q`) in the party's name or the decision number are found through the search terms
    (`search.words`, ADR 0052: the same rows as `icontains`, in the same order); `need` is how many rows the
    caller will read at most (the end of its page), which tells the search how to read the list."""
    rows = DisclosureItem.objects.filter(status__in=PUBLIC).select_related("department").only(*PUBLIC_FIELDS)
    if kind:
        rows = rows.filter(source_kind=kind)
    if department_id:
        rows = rows.filter(department_id=department_id)
    if region_id:
        rows = rows.filter(region_id=region_id)
    if entity_uscc:
        rows = rows.filter(entity__uscc=entity_uscc)
    if since:
        rows = rows.filter(published_on__gte=since)
    if until:
        rows = rows.filter(published_on__lte=until)
    rows = rows.order_by("-published_on", "-pk")
    return search.words(rows, q, need) if q else rows


def public_item_get(*, number: str) -> DisclosureItem:
    """One public item by its number; NotFound for any other."""
    item = public_item_list().filter(number=number).first()
    if item is None:
        raise NotFound()
    return item


def public_view(item: DisclosureItem) -> dict[str, Any]:
    """The public's view of an item: the published copy, never the original or the internal fields."""
    return {"number": item.number, "kind": item.get_source_kind_display(), "department": item.department.name,
            "party_name": item.party_name, "decision_number": item.decision_number, "decided_on": item.decided_on,
            "published_on": item.published_on, "period_ends_on": item.period_ends_on,
            "status": item.get_status_display(), "withdrawn_on": item.withdrawn_on,
            "withdraw_reason": item.withdraw_reason, "fields": dict(item.redacted), "updated_at": item.updated_at}


def public_pdf_get(*, number: str) -> PublishedPdf:
    """The published PDF of a public item (published or withdrawn); NotFound for any other item, or one released
    without a PDF."""
    pdf: PublishedPdf | None = PublishedPdf.objects.filter(item=public_item_get(number=number)).first()
    if pdf is None:
        raise NotFound()
    return pdf


def public_pdf_exists(item: DisclosureItem) -> bool:
    return PublishedPdf.objects.filter(item_id=item.pk).exists()
