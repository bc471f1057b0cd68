"""Cross-region and cross-level joint tasks (ADR 0056): the joint-meeting office adds a department to a joint task —
a county's or the city's department of another line, or a department of a neighbouring city (a region outside the
city's tree). Each participant keeps its own items (its own claimed rows: `item_not_claimed`), its own inspectors
(its officers: `inspector_other_department`) and its own objects, each within its own jurisdiction
(`entity_outside_jurisdiction`); the participant's people then read the task (`selectors.visible`).

国发〔2019〕5号: 跨部门、跨区域、跨层级联合抽查；《关于进一步贯彻落实跨部门综合监管的指导意见》 (国办发〔2023〕1号).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.validation import require

from .models import JointPlan, JointTask, Participant, TaskStatus
from .office import office_department
from .services import claimed_items, entities_within, inspectors_of, join, require_office_people, require_plan_open


@transaction.atomic
def participant_add(*, task_id: int, department_id: int, items: Sequence[str], entities: Sequence[str],
                    inspectors: Sequence[str] = (), actor: Actor) -> Participant:
    """The office adds a department to a joint task with the department's own items, inspectors and objects."""
    task: JointTask = JointTask.objects.select_for_update().get(pk=task_id)  # no outer join under FOR UPDATE
    plan = JointPlan.objects.select_related("office").filter(pk=task.plan_id).first()
    require_office_people(actor, plan.office if plan is not None else office_department())
    if plan is not None:
        require_plan_open(plan)
    require(task.status == TaskStatus.JOINT, "只能向联合任务增加参加部门", "task_not_joint", "task")
    department = Department.objects.select_related("region").filter(pk=department_id, is_active=True).first()
    require(department is not None, "参加部门不存在或已停用", "department_unknown", "department")
    assert department is not None
    require(not Participant.objects.filter(task=task, department=department).exists(),
            f"{department.name}已是该任务的参加部门", "participant_exists", "department")
    codes = claimed_items(department, items, task.window_start)
    entity_ids = entities_within(department, entities)
    people = inspectors_of(department, inspectors)
    participant = join(task, department, codes, people, entity_ids)
    record(actor=actor, verb="joint.participant_added", target=task,
           data={"number": task.number, "department": department.pk, "region": department.region_id,
                 "items": codes, "objects": len(entity_ids), "inspectors": [p.username for p in people]})
    return participant
