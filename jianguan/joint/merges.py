"""Merge proposals and joint tasks made of proposals (ADR 0054): the office finds, for a plan before approval or a
task being drafted, the same entities planned by other departments within the merge window
(`JIANGUAN_JOINT_MERGE_WINDOW_DAYS`) and proposes one visit under the rules of `merging`; the office's people accept
(a joint task is made for the shared entities: lead, combined items, inspectors; the two visits of each entity become
one) or decline with a reason. The office may also combine overlapping proposals into a joint task by hand."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction

from jianguan.accounts.models import Department, User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.validation import require, text

from . import merging
from .models import JointPlan, JointTask, MergeProposal, Participant, PlannedObject, TaskStatus
from .services import require_office_people, require_plan_open, task_number
from .workflow import MERGES, Facts

LIVE = (TaskStatus.PROPOSED, TaskStatus.JOINT)


def shapes(tasks: Sequence[JointTask]) -> list[merging.Shape]:
    """The tasks as the merge rules read them: departments and planned entities read in two queries."""
    ids = [t.pk for t in tasks]
    departments: dict[int, set[int]] = defaultdict(set)
    for task, department in Participant.objects.filter(task_id__in=ids).values_list("task_id", "department_id"):
        departments[task].add(department)
    entities: dict[int, set[int]] = defaultdict(set)
    for task, entity in PlannedObject.objects.filter(task_id__in=ids).values_list("task_id", "entity_id").iterator():
        entities[task].add(entity)
    return [merging.Shape(id=t.pk, lead_id=t.lead_id, departments=frozenset(departments[t.pk]),
                          window_start=t.window_start, window_end=t.window_end, visit_hours=t.visit_hours,
                          times_per_year=t.times_per_year, scenario=t.scenario, entities=sorted(entities[t.pk]))
            for t in tasks]


def _combined(tasks: Sequence[JointTask]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    items: dict[int, set[str]] = defaultdict(set)
    people: dict[int, set[str]] = defaultdict(set)
    for participant in Participant.objects.filter(task__in=tasks).prefetch_related("inspectors"):
        items[participant.department_id].update(participant.items)
        people[participant.department_id].update(u.username for u in participant.inspectors.all())
    return ([{"department": d, "items": sorted(codes)} for d, codes in sorted(items.items())],
            [{"department": d, "inspectors": sorted(names)} for d, names in sorted(people.items())])


@transaction.atomic
def merge_proposals_find(*, plan_id: int, task_id: int | None = None, actor: Actor) -> list[MergeProposal]:
    """Propose merges for the plan (or for one task of it) under the rules; a pair already proposed, accepted or
    declined is not proposed again."""
    plan: JointPlan = JointPlan.objects.select_for_update().select_related("office").get(pk=plan_id)
    require_office_people(actor, plan.office)
    require_plan_open(plan)
    tasks = list(plan.tasks.filter(status__in=LIVE).order_by("pk"))
    found = merging.candidates(shapes(tasks), settings.JIANGUAN_JOINT_MERGE_WINDOW_DAYS)
    if task_id is not None:
        found = [c for c in found if task_id in (c.first, c.second)]
    known = set(MergeProposal.objects.filter(plan=plan).values_list("first_id", "second_id"))
    by_id = {t.pk: t for t in tasks}
    made = []
    for candidate in found:
        if (candidate.first, candidate.second) in known:
            continue
        pair = (by_id[candidate.first], by_id[candidate.second])
        items, people = _combined(pair)
        made.append(MergeProposal.objects.create(
            plan=plan, region_id=plan.region_id, first=pair[0], second=pair[1],
            lead_id=by_id[candidate.lead_task].lead_id, entities=list(candidate.entities), items=items,
            inspectors=people, rules=list(candidate.rules), window_start=candidate.window_start,
            window_end=candidate.window_end))
    record(actor=actor, verb="joint.merges_proposed", target=plan,
           data={"plan": plan.number, "task": task_id, "proposed": len(made), "candidates": len(found)})
    return made


def _joint_task(plan: JointPlan, sources: Sequence[JointTask], lead_id: int, title: str, entities: set[int] | None,
                window: tuple[Any, Any], actor: User) -> JointTask:
    """A joint task of `sources`: each participant keeps its items, inspectors and (within `entities`) objects."""
    task = JointTask.objects.create(
        plan=plan, number=task_number(plan.year), title=title, status=TaskStatus.JOINT, lead_id=lead_id,
        region_id=plan.region_id, scenario=next((s.scenario for s in sources if s.scenario), ""),
        window_start=window[0], window_end=window[1], visit_hours=max(s.visit_hours for s in sources),
        times_per_year=max(s.times_per_year for s in sources), proposed_by=actor)
    for participant in Participant.objects.filter(task__in=sources).prefetch_related("inspectors"):
        joined, _ = Participant.objects.get_or_create(task=task, department_id=participant.department_id)
        joined.items = sorted(set(joined.items) | set(participant.items))
        joined.save(update_fields=["items"])
        joined.inspectors.add(*participant.inspectors.all())
    planned = PlannedObject.objects.filter(task__in=sources)
    if entities is not None:
        planned = planned.filter(entity_id__in=list(entities))
    rows = {(p.department_id, p.entity_id) for p in planned.only("department_id", "entity_id")}
    PlannedObject.objects.bulk_create([PlannedObject(task=task, department_id=d, entity_id=e) for d, e in rows],
                                      batch_size=2000)
    return task


@transaction.atomic
def task_combine(*, plan_id: int, task_ids: Sequence[int], lead_id: int, title: str, actor: Actor) -> JointTask:
    """The office turns overlapping proposals of one plan into a joint task with a lead department; the proposals
    are kept, marked combined into it. Windows more than the merge window apart are refused
    (`windows_incompatible`)."""
    plan: JointPlan = JointPlan.objects.select_for_update().select_related("office").get(pk=plan_id)
    require_office_people(actor, plan.office)
    require_plan_open(plan)
    tasks = list(JointTask.objects.select_for_update().filter(pk__in=list(task_ids)).order_by("pk"))
    require(len(tasks) >= 2 and len(tasks) == len(set(task_ids)), "请选择至少两个部门提出的任务", "too_few_tasks",
            "tasks")
    require(all(t.plan_id == plan.pk and t.status == TaskStatus.PROPOSED for t in tasks),
            "只能合并同一计划中部门提出、尚未合并的任务", "task_not_proposed", "tasks")
    shaped = shapes(tasks)
    days = settings.JIANGUAN_JOINT_MERGE_WINDOW_DAYS
    require(all(merging.windows_compatible(a, b, days) for a in shaped for b in shaped),
            f"任务的检查时间相隔超过 {days} 天，不能合并为一次检查", "windows_incompatible", "tasks")
    require(lead_id in {d for s in shaped for d in s.departments}, "牵头部门应为参加部门之一",
            "lead_not_participant", "lead")
    window = (max(t.window_start for t in tasks), max(max(t.window_start for t in tasks),
                                                       min(t.window_end for t in tasks)))
    assert isinstance(actor, User)
    joint = _joint_task(plan, tasks, lead_id, text(title, "title", "任务名称", max_len=200), None, window, actor)
    JointTask.objects.filter(pk__in=[t.pk for t in tasks]).update(status=TaskStatus.COMBINED, combined_into=joint)
    record(actor=actor, verb="joint.tasks_combined", target=joint,
           data={"number": joint.number, "sources": [t.number for t in tasks], "lead": lead_id})
    return joint


def merge_facts(proposal: MergeProposal, actor: Actor, values: dict[str, Any] | None = None) -> Facts:
    return Facts(proposal.status, actor, proposal.plan.office_id, reason=str((values or {}).get("reason") or ""),
                 plan_state=proposal.plan.status)


@transaction.atomic
def merge_transition(*, proposal_id: int, action: str, values: dict[str, Any], actor: Actor) -> MergeProposal:
    """Accept (the shared entities visited once, by a joint task; the visits saved counted) or decline with a
    reason. Tasks whose windows have since moved apart are refused `windows_incompatible`."""
    proposal: MergeProposal = MergeProposal.objects.select_for_update().select_related(
        "plan", "first", "second").get(pk=proposal_id)
    edge = MERGES.check(action, merge_facts(proposal, actor, values))
    if edge.action == "accept":
        _accept(proposal, actor)
    else:
        proposal.reason = text(values.get("reason"), "reason", "理由", max_len=1000)
    proposal.status, proposal.decided_by = edge.target, actor  # type: ignore[assignment]
    proposal.save()
    record(actor=actor, verb=f"joint.merge_{edge.action}", target=proposal,
           data={"first": proposal.first.number, "second": proposal.second.number, "reason": proposal.reason,
                 "visits_saved": proposal.visits_saved, "merged_task": proposal.merged_task_id})
    return proposal


def _accept(proposal: MergeProposal, actor: Actor) -> None:
    pair = [proposal.first, proposal.second]
    days = settings.JIANGUAN_JOINT_MERGE_WINDOW_DAYS
    a, b = shapes(pair)
    require(merging.windows_compatible(a, b, days) and all(t.status in LIVE for t in pair),
            f"任务的检查时间相隔超过 {days} 天或任务已合并，不能合并为一次检查", "windows_incompatible", "tasks")
    assert isinstance(actor, User)
    entities = set(proposal.entities)
    lead = Department.objects.get(pk=proposal.lead_id)
    joint = _joint_task(proposal.plan, pair, lead.pk, f"{pair[0].title}、{pair[1].title}（合并检查）", entities,
                        (proposal.window_start, proposal.window_end), actor)
    PlannedObject.objects.filter(task__in=pair, entity_id__in=list(entities)).delete()
    proposal.merged_task, proposal.visits_saved = joint, len(entities)
