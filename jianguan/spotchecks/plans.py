"""Plans of 双随机一公开: drafted by a department, filed with the level above, published. Every write records its
actor in the audit chain.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.validation import require as _require

from . import workflow
from .models import Plan


def require_own(actor: User, department_id: int) -> None:
    refused = workflow.own_refusal(actor, department_id)
    if refused is not None:
        raise refused


@transaction.atomic
def plan_create(*, actor: User, year: int, title: str, content: str = "") -> Plan:
    """年度抽查计划 of the actor's department (county level and up)."""
    require_own(actor, actor.department_id)
    _require(bool(title.strip()), "缺少必填字段“计划名称”", "required", "title")
    _require(2000 <= int(year) <= 2100, "年度应为四位年份", "year_invalid", "year")
    plan = Plan.objects.create(department=actor.department, year=year, title=title.strip(), content=content)
    record(actor=actor, verb="spotchecks.plan_created", target=plan, data={"year": year, "title": plan.title})
    return plan


@transaction.atomic
def plan_file(*, actor: User, plan_id: int) -> Plan:
    """报备: filed with the department that guides the planning one (the same line one level up), if any."""
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    require_own(actor, plan.department_id)
    edge = workflow.PLANS.check("file", workflow.Facts(plan.status, actor, plan.department_id))
    plan.status, plan.filed_with_id, plan.filed_at = edge.target, plan.department.parent_id, timezone.now()
    plan.save()
    record(actor=actor, verb="spotchecks.plan_filed", target=plan, data={"filed_with": plan.filed_with_id})
    return plan


@transaction.atomic
def plan_publish(*, actor: User, plan_id: int) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan_id)
    require_own(actor, plan.department_id)
    edge = workflow.PLANS.check("publish", workflow.Facts(plan.status, actor, plan.department_id))
    plan.status, plan.published_at = edge.target, timezone.now()
    plan.save()
    record(actor=actor, verb="spotchecks.plan_published", target=plan)
    return plan
