"""Joint tasks dispatched from above (ADR 0056): a task the province or a ministry dispatches (联合监管任务 with status
分发, behaviour-records.md §6) arrives through the exchange's intake, which calls `dispatch_problems` before it
stores the record and `dispatch_receive` after (`joint.contracts`; the exchange lies above joint). The task becomes
a joint task assigned to the city departments it names (联合部门编码): each takes its own claimed rows of the
监管事项 named (`item_not_claimed` when it has none) and the named objects of its own jurisdiction
(`entity_outside_jurisdiction` when an object lies in no named department's). Each department then gives its
feedback (`dispatch_feedback`: its 意见 and its own 行政检查 records); the exchange reads the feedback not yet
queued (`feedback_list`) and pushes it upward, one record per unit (taskDetails with its feedbackUnitInfo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.accounts.models import Department, Region, User
from jianguan.audit.contracts import record
from jianguan.behaviour.models import Inspection
from jianguan.catalog import contracts as catalog
from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied, DomainError, InvalidTransition
from jianguan.core.roles import Role
from jianguan.core.validation import require, text
from jianguan.core.workflow import acts_for
from jianguan.subjects.models import MarketEntity

from .models import Dispatch, JointTask, Participant, TaskStatus
from .services import claimed_items, join, task_number


@dataclass(frozen=True)
class DispatchIn:
    """A dispatched task as the exchange received it (the standard's field ids)."""

    source_system: str
    task_no: str
    task_name: str
    start: dt.datetime
    initiator_code: str
    initiator_name: str
    initiator_type: str
    departments: tuple[str, ...]
    matter_code: str
    content: str
    claim: str = ""
    objects: tuple[str, ...] = ()
    call_id: int | None = None


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


@dataclass
class _Plan:
    """What a dispatch will make: per department its items and entity ids."""

    parts: list[tuple[Department, list[str], list[int]]] = field(default_factory=list)


def _city_departments() -> dict[str, Department]:
    """The active departments of the locality's tree, by 统一社会信用代码."""
    city = Region.objects.get(code=settings.JIANGUAN_LOCALITY)
    return {d.uscc: d for d in Department.objects.select_related("region").filter(
        is_active=True, region__path__startswith=city.path)}


def is_dispatch(status: str, initiator_code: str) -> bool:
    """A record is a task dispatched from above when its status is 分发 and its initiator is none of the city's
    departments (a city department's own joint task is only passed upward)."""
    return status.strip() == "分发" and initiator_code.strip().upper() not in _city_departments()


def _plan(task: DispatchIn) -> _Plan:
    departments = _city_departments()
    codes = list(dict.fromkeys(c.strip().upper() for c in task.departments if c.strip()))
    require(codes, "上级部署的联合任务应列出本市承办部门（联合部门编码）", "required", "union_dept_nos")
    unknown = [c for c in codes if c not in departments]
    require(not unknown, f"联合部门编码“{unknown[0] if unknown else ''}”不是本市登记的部门", "department_unknown",
            "union_dept_nos")
    day = timezone.localdate(task.start)
    usccs = sorted({c.strip().upper() for c in task.objects if c.strip()})
    entities = dict(MarketEntity.objects.filter(uscc__in=usccs).values_list("uscc", "pk"))
    regions = dict(MarketEntity.objects.filter(uscc__in=usccs).values_list("uscc", "region_id"))
    missing = [c for c in usccs if c not in entities]
    require(not missing, f"监管对象“{missing[0] if missing else ''}”不在本市监管对象库中", "entity_unknown",
            "object_codes")
    plan, covered = _Plan(), set()
    for code in codes:
        department = departments[code]
        rows = catalog.implementation_list(as_of=day, body=department.pk).filter(
            Q(implementation__item__code=task.matter_code) | Q(implementation__item__parent__code=task.matter_code))
        claimed = list(rows.values_list("implementation__code", flat=True))
        require(claimed, f"{department.name}未认领监管事项“{task.matter_code}”的检查实施清单", "item_not_claimed",
                "union_dept_nos")
        within = set(department.region.subtree_codes())
        mine = [c for c in usccs if regions[c] in within]
        covered.update(mine)
        plan.parts.append((department, claimed_items(department, claimed, day), [entities[c] for c in mine]))
    outside = [c for c in usccs if c not in covered]
    require(not outside, f"监管对象“{outside[0] if outside else ''}”不在任何承办部门的管辖范围内",
            "entity_outside_jurisdiction", "object_codes")
    return plan


def dispatch_problems(task: DispatchIn) -> list[Problem]:
    """The rules a dispatched task breaks (nothing written)."""
    try:
        _plan(task)
    except DomainError as problem:
        return [Problem(problem.field or "union_dept_nos", problem.code, problem.message)]
    return []


def dispatch_window_days() -> int:
    """Days a dispatched task runs from its 任务开始时间 [config]: JIANGUAN_JOINT_DISPATCH_DAYS (default 30)."""
    return int(settings.JIANGUAN_JOINT_DISPATCH_DAYS)


def dispatch_receive(task: DispatchIn, *, actor: Actor) -> JointTask:
    """The joint task of a dispatched task, made once per (sending system, 任务编号); a later version of the same
    task changes nothing here (its record is kept and passed on by the exchange)."""
    known = Dispatch.objects.filter(source_system=task.source_system, task_no=task.task_no).select_related("task")
    if known.exists():
        return known.get().task
    plan = _plan(task)
    start = timezone.localdate(task.start)
    lead = plan.parts[0][0]
    joint = JointTask.objects.create(
        plan=None, number=task_number(start.year), title=task.task_name[:200], status=TaskStatus.JOINT, lead=lead,
        region_id=settings.JIANGUAN_LOCALITY, window_start=start,
        window_end=start + dt.timedelta(days=dispatch_window_days()))
    for department, items, entity_ids in plan.parts:
        join(joint, department, items, [], entity_ids)
    Dispatch.objects.create(
        task=joint, source_system=task.source_system, task_no=task.task_no, initiator_code=task.initiator_code,
        initiator_name=task.initiator_name[:200], initiator_type=task.initiator_type[:20],
        matter_code=task.matter_code, content=task.content, claim=task.claim, received_at=timezone.now(),
        call=task.call_id)
    record(actor=actor, verb="joint.dispatch_received", target=joint,
           data={"number": joint.number, "task_no": task.task_no, "source_system": task.source_system,
                 "initiator": task.initiator_name, "departments": [d.pk for d, _, _ in plan.parts]})
    return joint


@transaction.atomic
def dispatch_feedback(*, task_id: int, feedback: str, inspections: Collection[str], actor: Actor) -> Participant:
    """A department's feedback on a task dispatched from above (认领 → 反馈): its 意见 and its own 行政检查
    records (检查行为编号); given once, by the department's officers or head. Another department's record is
    refused (`inspection_other_department`)."""
    task = JointTask.objects.select_for_update().get(pk=task_id)
    if not isinstance(actor, User) or not acts_for(actor, actor.department_id, Role.OFFICER, Role.HEAD):
        raise AccessDenied("只有承办部门的执法人员或负责人可以反馈")
    participant = Participant.objects.filter(task=task, department_id=actor.department_id).first()
    if participant is None:
        raise AccessDenied("本部门不是该任务的承办部门")
    require(Dispatch.objects.filter(task=task).exists(), "只有上级部署的联合任务需要反馈", "not_dispatched", "task")
    if participant.feedback_at is not None:
        raise InvalidTransition("本部门已反馈，不能重复反馈", code="feedback_given")
    numbers = sorted({str(n).strip() for n in inspections if str(n).strip()})
    found = dict(Inspection.objects.filter(number__in=numbers, withdrawn_at__isnull=True).values_list(
        "number", "department_id"))
    unknown = [n for n in numbers if n not in found]
    require(not unknown, f"检查行为编号“{unknown[0] if unknown else ''}”不存在", "inspection_unknown", "inspections")
    others = [n for n in numbers if found[n] != participant.department_id]
    require(not others, f"检查行为“{others[0] if others else ''}”不是本部门的检查记录", "inspection_other_department",
            "inspections")
    participant.feedback = text(feedback, "feedback", "反馈意见", max_len=2000)
    participant.inspection_numbers, participant.feedback_at = numbers, timezone.now()
    participant.fed_back_by = actor
    participant.save(update_fields=["feedback", "inspection_numbers", "feedback_at", "fed_back_by"])
    record(actor=actor, verb="joint.dispatch_feedback", target=task,
           data={"number": task.number, "department": participant.department_id, "inspections": numbers})
    return participant


@dataclass(frozen=True)
class FeedbackCard:
    """One unit's feedback as the exchange pushes it (taskDetails with its feedbackUnitInfo)."""

    record_id: str
    task_no: str
    department_id: int
    region_id: str
    data: dict[str, object]


def feedback_record_id(dispatch: Dispatch, department: Department) -> str:
    return f"{dispatch.task_no}-{department.uscc}"[:64]


def _inspections(numbers: list[str]) -> list[dict[str, object]]:
    rows = Inspection.objects.filter(number__in=numbers).order_by("number").values(
        "number", "date", "result", "catalog_code", "implementation_code", "party_code", "category")
    return [{**row, "date": row["date"].isoformat()} for row in rows]


def feedback_list(*, exclude_record_ids: Collection[str]) -> list[FeedbackCard]:
    """The units' feedback given and not yet among `exclude_record_ids` (those already queued)."""
    exclude = set(exclude_record_ids)
    cards = []
    for participant in Participant.objects.filter(feedback_at__isnull=False, task__dispatch__isnull=False) \
            .select_related("task__dispatch", "department").order_by("feedback_at", "pk"):
        dispatch, department = participant.task.dispatch, participant.department
        record_id = feedback_record_id(dispatch, department)
        if record_id in exclude:
            continue
        assert participant.feedback_at is not None
        cards.append(FeedbackCard(record_id, dispatch.task_no, department.pk, department.region_id, {
            "record_id": record_id, "task_no": dispatch.task_no, "union_unit_type": "department",
            "union_unit_no": department.uscc, "union_unit_name": department.name, "status": "反馈",
            "claim_time": timezone.localtime(dispatch.received_at).strftime("%Y-%m-%d %H:%M:%S"),
            "supervision_matter_code": dispatch.matter_code,
            "end_time": timezone.localtime(participant.feedback_at).strftime("%Y-%m-%d %H:%M:%S"),
            "end_reason": "完成", "feedback_time": timezone.localtime(participant.feedback_at).strftime(
                "%Y-%m-%d %H:%M:%S"),
            "feedback_suggestion": participant.feedback, "local_task_number": participant.task.number,
            "adm_inspection": _inspections(participant.inspection_numbers)}))
    return cards
