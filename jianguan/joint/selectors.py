"""Reads of joint supervision (ADR 0054), scoped by the plan's region: the plans, one plan, its tasks and merge
proposals, the visits saved; the burden ledger of an entity the reader may read; the repeat-visit monitor's count
within the reader's jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Sum

from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope
from jianguan.core.validation import require
from jianguan.subjects import contracts as subjects

from . import ledger
from .models import JointPlan, JointTask, JointVisit, MergeProposal, MergeStatus, Participant


def visible[M: Model](model: type[M], reader: HasScope) -> QuerySet[M]:
    """Rows of a plan's region the reader may read: the reader's jurisdiction and the regions above it (a county's
    departments take part in their city's plan; a neighbouring city's do not see it) — and, for tasks, the tasks a
    department the reader reads takes part in (a neighbouring city's department added to a cross-region task)."""
    scope = reader.scope
    above = [code for code in (scope.region_path or "").split("/") if code]
    manager: Any = model._default_manager
    where = scope.region_q("region_id") | Q(region_id__in=above)
    if model is JointTask and not scope.everything:
        taking_part = Participant.objects.filter(task=OuterRef("pk")).filter(scope.region_q("department__region_id"))
        if scope.department_ids is not None:
            taking_part = taking_part.filter(department_id__in=scope.department_ids)
        where |= Q(Exists(taking_part))
    return manager.filter(where)  # type: ignore[no-any-return]


def _one[M: Model](rows: QuerySet[M], pk: int) -> M:
    found = rows.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def plan_list(*, reader: HasScope, year: int | None = None) -> QuerySet[JointPlan]:
    rows: QuerySet[JointPlan] = visible(JointPlan, reader).select_related("office").annotate(
        task_count=Count("tasks", distinct=True))
    return (rows.filter(year=year) if year else rows).order_by("-year", "-pk")


def plan_get(*, reader: HasScope, plan_id: int) -> JointPlan:
    return _one(visible(JointPlan, reader).select_related("office", "drafted_by", "approved_by"), plan_id)


def task_list(*, reader: HasScope, plan_id: int | None = None, status: str = "") -> QuerySet[JointTask]:
    """Tasks with what their rows show read along (lead, plan, participants): a list is a fixed number of queries."""
    rows: QuerySet[JointTask] = visible(JointTask, reader).select_related("lead", "plan").prefetch_related(
        "participants").annotate(object_count=Count("objects_planned__entity", distinct=True))
    if plan_id:
        rows = rows.filter(plan_id=plan_id)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("window_start", "pk")


def dispatched_list(*, reader: HasScope) -> QuerySet[JointTask]:
    """The joint tasks dispatched from above the reader may read, newest first, with their units' feedback count."""
    rows: QuerySet[JointTask] = visible(JointTask, reader).filter(dispatch__isnull=False).select_related(
        "dispatch", "lead").annotate(units=Count("participants", distinct=True),
                                     fed_back=Count("participants", filter=Q(participants__feedback_at__isnull=False),
                                                    distinct=True))
    return rows.order_by("-pk")


def task_get(*, reader: HasScope, task_id: int) -> JointTask:
    return _one(visible(JointTask, reader).select_related("lead", "plan"), task_id)


_MERGE_RELATED = ("first", "second", "lead", "plan", "merged_task")


def merge_list(*, reader: HasScope, plan_id: int | None = None, status: str = "") -> QuerySet[MergeProposal]:
    """Merge proposals with the tasks and departments their rows name read along (one query per page)."""
    rows = visible(MergeProposal, reader).select_related(*_MERGE_RELATED)
    if plan_id:
        rows = rows.filter(plan_id=plan_id)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("pk")


def merge_get(*, reader: HasScope, proposal_id: int) -> MergeProposal:
    return _one(visible(MergeProposal, reader).select_related(*_MERGE_RELATED), proposal_id)


def visits_saved(*, reader: HasScope, plan_id: int | None = None) -> dict[str, int]:
    """Merge proposals by outcome and the visits the accepted ones saved."""
    rows = merge_list(reader=reader, plan_id=plan_id)
    return rows.aggregate(proposed=Count("id", filter=Q(status=MergeStatus.PROPOSED)),
                          accepted=Count("id", filter=Q(status=MergeStatus.ACCEPTED)),
                          declined=Count("id", filter=Q(status=MergeStatus.DECLINED)),
                          saved=Sum("visits_saved", default=0))


def entity_ledger(*, reader: HasScope, uscc: str, year: int) -> tuple[str, str, ledger.Ledger]:
    """The burden ledger of an entity the reader may read (out of scope refused like unknown): its code, name and
    the year's visits."""
    require(2000 <= year <= 2100, "“年度”应为 2000–2100 之间的年份", "year_invalid", "year")
    card = subjects.entity_get(reader=reader, uscc=uscc)
    return card.uscc, card.name, ledger.ledger_of(card.id, year, risk_class=card.risk_class)


def repeat_count(*, reader: HasScope, today: dt.date) -> int:
    scope = reader.scope
    codes = None if scope.everything else scope.region_codes
    return len(ledger.repeat_visits(region_codes=codes, today=today))


def visit_list(*, reader: HasScope, task_id: int | None = None, entity_id: int | None = None) -> QuerySet[JointVisit]:
    """Joint visits the reader may read (by the plan's region), with their results and clues handed over."""
    rows = visible(JointVisit, reader).select_related("task", "entity", "lead").prefetch_related(
        "results__department", "handovers__department")
    if task_id:
        rows = rows.filter(task_id=task_id)
    if entity_id:
        rows = rows.filter(entity_id=entity_id)
    return rows.order_by("-visited_on", "-pk")


def visit_get(*, reader: HasScope, visit_id: int) -> JointVisit:
    return _one(visit_list(reader=reader), visit_id)


def entity_visit_list(*, reader: HasScope, uscc: str) -> QuerySet[JointVisit]:
    """The joint visits of an entity the reader may read (out of scope refused like unknown)."""
    card = subjects.entity_get(reader=reader, uscc=uscc)
    return visit_list(reader=reader, entity_id=card.id)
