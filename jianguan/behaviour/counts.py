"""Counts of the 行政检查 records for the department evaluation (`core.measures`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from .models import Inspection


def inspections_of_form(*, first: dt.date, last: dt.date, form: str) -> dict[int, tuple[int, int]]:
    """Per department: (its inspection records dated in [first, last] (not after today) whose 检查形式 is `form`,
    all its inspection records of those days). Withdrawn records are not counted."""
    last = min(last, timezone.localdate())
    rows = (Inspection.objects.filter(date__range=(first, last), withdrawn_at__isnull=True)
            .values("department_id").order_by()
            .annotate(all_n=Count("pk"), form_n=Count("pk", filter=Q(form=form)))
            .values_list("department_id", "form_n", "all_n"))
    return {pk: (form_n, all_n) for pk, form_n, all_n in rows if pk is not None}
