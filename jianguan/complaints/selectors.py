"""Reads of complaints, within the reader's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jianguan.core.scoping import HasScope

from .models import Complaint, ComplaintStatus

OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED)


def complaint_list(*, reader: HasScope, status: str | None = None, q: str | None = None) -> QuerySet[Complaint]:
    complaints = Complaint.objects.visible_to(reader).select_related("department", "region", "entity")
    if status:
        complaints = complaints.filter(status=status)
    if q:
        complaints = complaints.filter(number=q.strip()) | complaints.filter(subject_name__contains=q.strip())
    return complaints.order_by("-received_at")


def complaint_get(*, reader: HasScope, complaint_id: int) -> Complaint:
    complaint: Complaint = Complaint.objects.select_related("department", "region", "entity").prefetch_related(
        "steps").get_visible(reader, pk=complaint_id)
    return complaint


def overdue_counts(*, reader: HasScope) -> dict[str, int]:
    """Open complaints past their decision or handling deadline."""
    today = timezone.localdate()
    return Complaint.objects.visible_to(reader).filter(status__in=OPEN).aggregate(
        open=Count("pk"), decision_overdue=Count("pk", filter=Q(status=ComplaintStatus.RECEIVED, accept_due__lt=today)),
        handling_overdue=Count("pk", filter=Q(handle_due__lt=today)))


@dataclass(frozen=True)
class ComplaintNote:
    """A complaint as a monitoring process reads it: its number, when it came and what it says."""

    number: str
    received_at: dt.datetime
    content: str


def subject_complaint_list(*, uscc: str | None, name: str | None, since: dt.datetime, until: dt.datetime,
                           limit: int = 200) -> list[ComplaintNote]:
    """The complaints and reports about one subject — the entity of `uscc`, or else named `name` as the
    complainants wrote it — received in [since, until], oldest first (at most `limit`). A read for a monitoring
    process acting on its own account (risk's scan of complaint clusters), not scoped by a reader: it hands out
    only the number, date and content, never the complainant."""
    if not uscc and not name:
        return []
    about = Q(entity__uscc=uscc) if uscc else Q(entity__isnull=True, subject_name=name)
    rows = Complaint.objects.filter(about, received_at__gte=since, received_at__lte=until).order_by(
        "received_at", "pk").values_list("number", "received_at", "content")[:limit]
    return [ComplaintNote(number, received_at, content) for number, received_at, content in rows]


def entities_complained_about(*, since: dt.date) -> set[int]:
    """The ids of the entities a complaint or report received on or after `since` is about (a process's read for a
    spot-check draw: which A-class entities something points at, "无事不扰"; no reader, no content)."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time()))
    return set(Complaint.objects.filter(entity__isnull=False, received_at__gte=start)
               .values_list("entity_id", flat=True).distinct())
