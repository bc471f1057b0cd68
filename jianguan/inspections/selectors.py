"""Reads of 行政检查, within the reader's scope; and what a phone keeps for working offline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from jianguan.accounts.contracts import credentials_on
from jianguan.accounts.models import User
from jianguan.behaviour.models import Inspection
from jianguan.catalog.contracts import (
    OutsideTheList,
    check_frequencies,
    frequency_label,
    implementation_list,
    period_start,
    require_in_force,
)
from jianguan.core.months import month_bounds
from jianguan.core.roles import Role
from jianguan.core.scoping import HasScope

from . import checklist as lists
from .models import Evidence, FieldInspection, Status


def inspection_list(*, reader: User, mine: bool = False, status: str | None = None,
                    month: str | None = None) -> QuerySet[FieldInspection]:
    """Inspections of the reader's scope, newest first; `month` (YYYY-MM) keeps those begun in that month."""
    inspections = FieldInspection.objects.visible_to(reader).select_related("department", "region")
    if mine:
        inspections = inspections.filter(Q(officers=reader) | Q(created_by=reader)).distinct()
    if status:
        inspections = inspections.filter(status=status)
    if month:
        start, end = month_bounds(month)
        inspections = inspections.filter(started_at__gte=start, started_at__lt=end)
    return inspections.order_by("-created_at", "-pk")


def inspection_get(*, reader: User, inspection_id: int) -> FieldInspection:
    return FieldInspection.objects.select_related("department", "region", "entity", "submitted_by").get_visible(
        reader, pk=inspection_id)


def task_list(*, reader: User) -> QuerySet[FieldInspection]:
    """Drafts the reader is one of the officers of: assigned by a task or opened by a colleague."""
    return inspection_list(reader=reader, status=Status.DRAFT).filter(officers=reader).prefetch_related("officers")


def evidence_get(*, reader: User, inspection_id: int, evidence_id: int) -> Evidence:
    return Evidence.objects.select_related("inspection").get_visible(reader, pk=evidence_id,
                                                                      inspection_id=inspection_id)


def field_data(*, reader: User) -> dict[str, Any]:
    """What the field page keeps on the phone: the reader, colleagues who may go along (with whether their 执法证
    is valid today), the department's 行政检查 rows in force today with their checklists, and the tasks."""
    today = timezone.localdate()
    department = reader.department
    colleagues = []
    officers = list(User.objects.filter(department=department, is_active=True, role_grants__role=Role.OFFICER)
                    .distinct().order_by("username"))
    held = credentials_on(officers, today)
    for user in officers:
        credential = held.get(user.pk)
        colleagues.append({"username": user.username, "name": user.full_name,
                           "credential": credential.number if credential else "", "valid": credential is not None})
    rows = []
    for version in implementation_list(as_of=today, body=department.pk):
        try:
            card = require_in_force(body_id=department.pk, implementation_code=version.implementation.code, on=today)
        except OutsideTheList:
            continue
        if card.action_type != "check":
            continue
        rows.append({"code": card.code, "item_code": card.item_code, "name": card.item_name,
                     "routine": lists.items_for(card, "routine"), "special": lists.items_for(card, "special")})
    return {"me": {"username": reader.username, "name": reader.full_name, "department": department.name},
            "today": today.isoformat(), "colleagues": colleagues, "implementations": rows}


def due_list(*, reader: HasScope, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Entities due for a check by the 检查频次 of a row in force (e.g. 每年不少于1次): those the reader's scope has
    checked under the row before but fewer times than the row asks in the current period (calendar year, half
    year, quarter or month). Read from the 行政检查 records by the index (implementation_code, entity, date), one
    grouped query per period and count; the rows are ordered by the last check, oldest first."""
    today = today or timezone.localdate()
    groups: dict[tuple[str, int], list[str]] = {}
    for code, rule in check_frequencies(on=today).items():
        groups.setdefault(rule, []).append(code)
    due: list[dict[str, Any]] = []
    for (period, times), codes in sorted(groups.items()):
        start = period_start(period, today)
        rows = (Inspection.objects.visible_to(reader).filter(implementation_code__in=codes, entity__isnull=False,
                                                             date__lte=today)
                .values("implementation_code", "entity_id", "entity__uscc", "entity__name")
                .annotate(done=Count("pk", filter=Q(date__gte=start)), last=Max("date"))
                .filter(done__lt=times))
        due += [{**row, "required": times, "period": frequency_label(period, times), "since": start}
                for row in rows]
    return sorted(due, key=lambda row: (row["last"], row["entity__uscc"], row["implementation_code"]))
