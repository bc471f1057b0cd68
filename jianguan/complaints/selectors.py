"""Reads of complaints, within the reader's scope."""

from __future__ import annotations

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
