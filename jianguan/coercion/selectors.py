"""Reads of 行政强制, scoped: lists with their due dates and what is overdue, one record with its timeline, the
dashboard's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jianguan.core.scoping import HasScope

from . import deadlines, executions, workflow
from .models import Execution, Measure, Power
from .workflow import EXECUTION_OPEN, ExecutionState, MeasureState


def measure_list(*, reader: HasScope, status: str = "", overdue: bool = False) -> QuerySet[Measure]:
    rows = Measure.objects.visible_to(reader).select_related("department")
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(overdue_q())
    return rows


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Measures past a clock: in force after their last day (release them, 第二十八条), or taken in an emergency
    and not approved within 24 hours (第十九条)."""
    now = now or timezone.now()
    return (Q(status=MeasureState.IN_FORCE, due_on__lt=timezone.localdate(now))
            | Q(status=MeasureState.EMERGENCY, approval_due__lt=now))


def measure_get(*, reader: HasScope, measure_id: int) -> Measure:
    return Measure.objects.select_related("department__region", "requested_by", "approved_by").get_visible(
        reader, pk=measure_id)


def measure_facts(measure: Measure, now: dt.datetime | None = None) -> dict[str, Any]:
    """What a page or the API shows beside the stored fields: overdue, days left, the open actions."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = ((measure.status == MeasureState.IN_FORCE and measure.due_on is not None and measure.due_on < today)
               or (measure.status == MeasureState.EMERGENCY and measure.approval_due is not None
                   and measure.approval_due < now))
    days_left = (measure.due_on - today).days if measure.due_on and measure.status in workflow.MEASURE_BINDING \
        else None
    return {"overdue": overdue, "days_left": days_left,
            "allowed": workflow.allowed(workflow.MEASURE_EDGES, measure.status),
            "status_label": str(workflow.MEASURE_STATES[measure.status])}


def execution_list(*, reader: HasScope, status: str = "") -> QuerySet[Execution]:
    rows = Execution.objects.visible_to(reader).select_related("department")
    return rows.filter(status=status) if status else rows


def execution_get(*, reader: HasScope, execution_id: int) -> Execution:
    return Execution.objects.select_related("department__region", "created_by", "measure").get_visible(
        reader, pk=execution_id)


def execution_facts(execution: Execution, today: dt.date | None = None) -> dict[str, Any]:
    """The clocks of one execution: late fees accrued (capped), the statement period, the court window."""
    today = today or timezone.localdate()
    served = execution.demand_served_on
    court = executions.court_dates(execution) if execution.power == Power.COURT else None
    return {"late_fee": executions.accrued_late_fee(execution, execution.ended_on or today),
            "statement_due": deadlines.statement_due(served) if served else None, "court": court,
            "court_overdue": bool(court and execution.status in (ExecutionState.DEMANDED, ExecutionState.HEARD)
                                  and today > court["latest"]),
            "allowed": workflow.allowed(workflow.EXECUTION_EDGES, execution.status),
            "status_label": str(workflow.EXECUTION_STATES[execution.status])}


def dashboard_counts(*, reader: HasScope) -> dict[str, int]:
    """The dashboard card: measures in force, overdue, awaiting the head; open executions."""
    counts = Measure.objects.visible_to(reader).aggregate(
        in_force=Count("pk", filter=Q(status__in=workflow.MEASURE_BINDING)), overdue=Count("pk", filter=overdue_q()),
        awaiting=Count("pk", filter=Q(status__in=(MeasureState.REQUESTED, MeasureState.EMERGENCY))))
    counts["executions"] = Execution.objects.visible_to(reader).filter(status__in=EXECUTION_OPEN).count()
    return counts
