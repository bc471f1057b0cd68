"""What other apps may use of 双随机一公开: what the public portal already shows of it (published plans, tasks past
their draft, published results), each filterable by a department or an entity, and the supervision policy in
force (差异化监管, ADR 0042). The disclosure app's 事前/事中/事后公开 pages read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import CheckResult, DrawStatus, Plan, Task, TaskStatus
from .policy import Policy as Policy
from .policy import policy_in_force as policy_in_force
from .selectors import public_plan_list, public_task_list


def published_plan_list(*, department_id: int | None = None) -> QuerySet[Plan]:
    """Published 年度抽查计划, newest year first; of one department when given."""
    rows = public_plan_list()
    return rows.filter(department_id=department_id) if department_id else rows


def published_task_list(*, department_id: int | None = None) -> QuerySet[Task]:
    """抽查任务 past their draft, latest window first; those the department leads or takes part in when given."""
    rows = public_task_list()
    if department_id:
        rows = rows.filter(Q(lead_id=department_id) | Q(pk__in=Task.departments.through.objects.filter(
            department_id=department_id).values("task_id")))
    return rows


@dataclass(frozen=True)
class PublishedResult:
    """One published spot-check result of an entity, as the task's public page shows it."""

    task_id: int
    task_name: str
    checked_on: dt.date | None
    results: str
    published_on: dt.date


def published_result_list(*, entity_id: int, limit: int = 100) -> list[PublishedResult]:
    """The entity's published results of drawn draws of tasks past their draft, latest first."""
    rows = (CheckResult.objects.filter(entity_id=entity_id, draw__status=DrawStatus.DRAWN)
            .exclude(published_at=None).exclude(draw__task__status=TaskStatus.DRAFT)
            .select_related("draw__task").only("codes", "checked_on", "published_at", "draw__task__name")
            .order_by("-published_at")[:limit])
    return [PublishedResult(r.draw.task_id, r.draw.task.name, r.checked_on, r.result_labels,
                            timezone.localdate(r.published_at)) for r in rows if r.published_at]
