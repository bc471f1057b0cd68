"""Writes of joint plans and tasks (ADR 0054): the office drafts the city's plan, departments propose tasks with
items from their own claimed rows and objects of their own jurisdiction, the office makes joint tasks of them (by
hand, or from a “综合查一次” scenario); the plan goes 草拟 → 报送 → 批准 on `workflow.PLANS`. Each write is checked
before anything is stored and recorded in the audit chain in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department, User
from jianguan.audit.contracts import record
from jianguan.catalog import contracts as catalog
from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.numbering import next_number
from jianguan.core.roles import Role
from jianguan.core.validation import day, require, text
from jianguan.core.workflow import acts_for
from jianguan.subjects.models import MarketEntity

from . import ledger, recognition, scenarios
from .models import JointPlan, JointTask, Participant, PlannedObject, PlanStatus, TaskStatus
from .office import office_department
from .workflow import PLANS, Facts

MAX_OBJECTS = 50_000


def require_office_people(actor: Actor, office: Department) -> None:
    if not acts_for(actor, office.pk, Role.OFFICER, Role.HEAD):
        raise AccessDenied("只有联合抽查联席会议办公室的人员可以办理")


def require_plan_open(plan: JointPlan) -> None:
    require(plan.status != PlanStatus.APPROVED, "计划已批准，不能再增加或调整任务", "plan_approved", "plan")


@transaction.atomic
def plan_create(*, title: str, year: int, note: str = "", actor: Actor) -> JointPlan:
    """草拟 the city's annual 部门联合抽查 plan (the office's people)."""
    office = office_department()
    require_office_people(actor, office)
    require(isinstance(year, int) and 2000 <= year <= 2100, "“年度”应为四位年份", "year_invalid", "year")
    assert isinstance(actor, User)
    plan = JointPlan.objects.create(
        number=next_number(f"LHJH{year}-", scope="joint.plan", period=str(year), issued=JointPlan.objects.all(),
                           width=3),
        title=text(title, "title", "计划名称", max_len=200), year=year, office=office, region_id=office.region_id,
        drafted_by=actor, note=text(note, "note", "说明", required=False, max_len=2000))
    record(actor=actor, verb="joint.plan_created", target=plan, data={"number": plan.number, "year": year})
    return plan


def plan_facts(plan: JointPlan, actor: Actor, values: dict[str, Any] | None = None) -> Facts:
    return Facts(plan.status, actor, plan.office_id, (plan.drafted_by_id, plan.submitted_by_id),
                 reason=str((values or {}).get("reason") or ""))


@transaction.atomic
def plan_transition(*, plan_id: int, action: str, values: dict[str, Any], actor: Actor) -> JointPlan:
    """报送, 批准 or 退回 the plan: approved by the office's 负责人, never by who drafted or submitted it."""
    plan: JointPlan = JointPlan.objects.select_for_update().get(pk=plan_id)
    edge = PLANS.check(action, plan_facts(plan, actor, values))
    before = plan.status
    if edge.action == "submit":
        plan.submitted_by = actor  # type: ignore[assignment]
    elif edge.action == "approve":
        plan.approved_by, plan.approved_on = actor, timezone.localdate()  # type: ignore[assignment]
    plan.status = edge.target
    plan.save()
    note = text(values.get("reason") or values.get("note"), "reason", "意见", required=False, max_len=1000)
    record(actor=actor, verb=f"joint.plan_{edge.action}", target=plan,
           data={"number": plan.number, "from": before, "to": plan.status, "note": note, "citation": edge.citation})
    return plan


# Tasks ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date


def window_of(start: Any, end: Any) -> Window:
    first = day(start, "window_start", "检查开始日期", future=True)
    last = day(end, "window_end", "检查结束日期", future=True)
    require(last >= first, "“检查结束日期”不能早于开始日期", "window_invalid", "window_end")
    return Window(first, last)


def claimed_items(department: Department, codes: Iterable[str], on: dt.date) -> list[str]:
    """The department's own claimed rows among `codes`, each in force on `on`; another's or none refused
    `item_not_claimed` (the catalog's guard, ARCHITECTURE.md invariant 9)."""
    items = sorted({str(c).strip() for c in codes if str(c).strip()})
    require(items, "请列出本部门的检查事项（检查实施清单编码）", "required", "items")
    for code in items:
        try:
            catalog.require_in_force(body_id=department.pk, implementation_code=code, on=on, field="items")
        except catalog.OutsideTheList as problem:
            if problem.code in ("implementation_unknown", "implementation_other_body"):
                raise ValidationFailed(f"检查事项“{code}”不是{department.name}认领的检查实施清单",
                                       code="item_not_claimed", field="items") from None
            raise
    return items


def entities_within(department: Department, usccs: Sequence[str]) -> list[int]:
    """The entities by code, each in the department's jurisdiction (its region and those below it)."""
    codes = sorted({str(c).strip().upper() for c in usccs if str(c).strip()})
    require(codes, "请列出检查对象（统一社会信用代码）", "required", "entities")
    require(len(codes) <= MAX_OBJECTS, f"一次最多列出 {MAX_OBJECTS} 个检查对象", "too_many", "entities")
    found = dict(MarketEntity.objects.filter(uscc__in=codes).values_list("uscc", "region_id").iterator())
    unknown = [c for c in codes if c not in found]
    require(not unknown, f"市场主体“{unknown[0] if unknown else ''}”不在监管对象库中", "entity_unknown", "entities")
    regions = set(department.region.subtree_codes())
    outside = [c for c in codes if found[c] not in regions]
    require(not outside, f"市场主体“{outside[0] if outside else ''}”不在{department.name}的管辖范围内",
            "entity_outside_jurisdiction", "entities")
    return list(MarketEntity.objects.filter(uscc__in=codes).values_list("pk", flat=True))


def inspectors_of(department: Department, usernames: Iterable[str]) -> list[User]:
    names = sorted({str(n).strip() for n in usernames if str(n).strip()})
    people = list(User.objects.filter(username__in=names, department=department, is_active=True,
                                      role_grants__role=Role.OFFICER).distinct())
    missing = sorted(set(names) - {p.username for p in people})
    require(not missing, f"检查人员“{missing[0] if missing else ''}”不是{department.name}的执法人员",
            "inspector_other_department", "inspectors")
    return people


def task_number(year: int) -> str:
    return next_number(f"LHRW{year}-", scope="joint.task", period=str(year), issued=JointTask.objects.all())


def join(task: JointTask, department: Department, items: list[str], inspectors: list[User],
         entity_ids: Iterable[int]) -> Participant:
    """A department in `task` with its own items, inspectors and planned objects."""
    participant = Participant.objects.create(task=task, department=department, items=items)
    participant.inspectors.set(inspectors)
    PlannedObject.objects.bulk_create([PlannedObject(task=task, department=department, entity_id=e)
                                       for e in entity_ids], batch_size=2000)
    return participant


def _proposer_department(actor: Actor, plan: JointPlan) -> Department:
    if not isinstance(actor, User) or not acts_for(actor, actor.department_id, Role.OFFICER, Role.HEAD):
        raise AccessDenied("只有部门的执法人员或负责人可以提出联合抽查任务", code="not_officer")
    department = Department.objects.select_related("region").get(pk=actor.department_id)
    require(department.region_id in set(plan.region.subtree_codes()), "本部门不在该计划的区划范围内",
            "department_outside_plan", "plan")
    return department


@transaction.atomic
def task_propose(*, plan_id: int, title: str, items: Sequence[str], entities: Sequence[str], window_start: Any,
                 window_end: Any, visit_hours: int = 2, times_per_year: int = 1, inspectors: Sequence[str] = (),
                 actor: Actor) -> JointTask:
    """A department proposes a task of the plan: its own claimed items, entities of its jurisdiction, its own
    inspectors. Entities whose visits this year already reach their credit class's budget are counted on it."""
    plan: JointPlan = JointPlan.objects.select_for_update().select_related("region").get(pk=plan_id)
    require_plan_open(plan)
    department = _proposer_department(actor, plan)
    window = window_of(window_start, window_end)
    require(1 <= int(visit_hours) <= 24, "“现场检查时长”应为 1–24 小时", "hours_invalid", "visit_hours")
    require(1 <= int(times_per_year) <= 52, "“年检查频次”应为 1–52 次", "times_invalid", "times_per_year")
    codes = claimed_items(department, items, window.start)
    entity_ids = entities_within(department, entities)
    recognition.require_not_recognised(entity_ids, codes, window.start)
    people = inspectors_of(department, inspectors)
    assert isinstance(actor, User)
    task = JointTask.objects.create(
        plan=plan, number=task_number(plan.year), title=text(title, "title", "任务名称", max_len=200), lead=department,
        region_id=plan.region_id, window_start=window.start, window_end=window.end, visit_hours=int(visit_hours),
        times_per_year=int(times_per_year), proposed_by=actor,
        over_budget=ledger.over_budget(entity_ids, window.start.year))
    join(task, department, codes, people, entity_ids)
    record(actor=actor, verb="joint.task_proposed", target=task,
           data={"number": task.number, "plan": plan.number, "items": codes, "objects": len(entity_ids),
                 "over_budget": task.over_budget})
    return task


@transaction.atomic
def task_from_scenario(*, plan_id: int, scenario: str, departments: Sequence[int], lead_id: int,
                       entities: Sequence[str], window_start: Any, window_end: Any, actor: Actor) -> JointTask:
    """A joint task made from a “综合查一次” scenario by the office: each named department takes its own claimed rows
    of the 子项 its line's row cites, and checks the entities of its own jurisdiction."""
    plan: JointPlan = JointPlan.objects.select_for_update().select_related("region").get(pk=plan_id)
    require_office_people(actor, plan.office)
    require_plan_open(plan)
    chosen = scenarios.current().get(scenario)
    window = window_of(window_start, window_end)
    joined = list(Department.objects.select_related("region").filter(pk__in=list(departments)))
    require(len(joined) >= 2, "联合任务至少由两个部门参加", "too_few_departments", "departments")
    require(lead_id in {d.pk for d in joined}, "牵头部门应为参加部门之一", "lead_not_participant", "lead")
    rows = {row.line: row for row in chosen.rows}
    parts = []
    for department in joined:
        row = rows.get(department.kind)
        require(row is not None, f"{department.name}的条线不在场景“{chosen.name}”中", "line_not_in_scenario",
                "departments")
        assert row is not None
        claimed = catalog.implementation_list(as_of=window.start, body=department.pk).filter(
            implementation__item__code__in=row.catalog).values_list("implementation__code", flat=True)
        require(claimed, f"{department.name}未认领场景“{chosen.name}”所列的检查事项", "item_not_claimed",
                "departments")
        parts.append((department, claimed_items(department, claimed, window.start),
                      entities_within(department, entities)))
    assert isinstance(actor, User)
    task = JointTask.objects.create(
        plan=plan, number=task_number(plan.year), title=f"{chosen.name}“综合查一次”", status=TaskStatus.JOINT,
        lead_id=lead_id, region_id=plan.region_id, scenario=chosen.key, window_start=window.start,
        window_end=window.end, visit_hours=chosen.visit_hours, proposed_by=actor)
    for department, items, entity_ids in parts:
        join(task, department, items, [], entity_ids)
    record(actor=actor, verb="joint.task_from_scenario", target=task,
           data={"number": task.number, "scenario": chosen.key, "departments": [d.pk for d in joined]})
    return task
