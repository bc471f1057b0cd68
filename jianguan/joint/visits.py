"""One visit, many records (issue 19 item 5; ADR 0055): a joint task's visit to one entity with the officers present of
the participating departments. Each department enters the results of its own items only (`item_other_department`
for another's), which writes its 行政检查 record in the behaviour library citing its own claimed rows; a problem found
on another department's item becomes that department's clue in one step (enforcement's `case_from_finding`, citing
the visit); once every department has entered its results, one 现场检查笔录 lists every officer present with their
执法证号 for all to sign. The steps are `workflow.VISITS`; each write is recorded in the audit chain in the same
transaction.

《行政处罚法》第四十二条 (at least two officers, credentials shown), 第五十五条 (the 笔录); 国发〔2019〕5号
(进一次门、查多项事, 结果互认)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts import contracts as accounts
from jianguan.accounts.models import Department, User
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.numbering import next_number
from jianguan.core.roles import Role
from jianguan.core.validation import day, require, text
from jianguan.documents import contracts as documents
from jianguan.enforcement import contracts as enforcement
from jianguan.subjects.models import MarketEntity

from .models import Handover, JointTask, JointVisit, Outcome, Participant, PlannedObject, TaskStatus, VisitResult
from .workflow import VISITS, VisitFacts

MIN_OFFICERS = 2  # 《行政处罚法》第四十二条


def visit_facts(visit: JointVisit, actor: Actor) -> VisitFacts:
    parts = list(Participant.objects.filter(task_id=visit.task_id).select_related("department"))
    entered = set(visit.results.values_list("department_id", flat=True))
    return VisitFacts(visit.status, actor, tuple(p.department_id for p in parts),
                      tuple(p.department.name for p in parts if p.department_id not in entered))


def _officers(task: JointTask, usernames: Sequence[str], on: dt.date) -> list[dict[str, Any]]:
    """The officers present: each an active 执法人员 of a participating department holding an 执法证 valid that day."""
    names = list(dict.fromkeys(str(n).strip() for n in usernames if str(n).strip()))
    require(len(names) >= MIN_OFFICERS, "现场检查的执法人员不得少于两人（《行政处罚法》第四十二条）",
            "officers_too_few", "officers")
    departments = list(task.participants.values_list("department_id", flat=True))
    people = {u.username: u for u in User.objects.filter(
        username__in=names, department_id__in=departments, is_active=True,
        role_grants__role=Role.OFFICER).select_related("department").distinct()}
    missing = [n for n in names if n not in people]
    require(not missing, f"检查人员“{missing[0] if missing else ''}”不是参加部门的执法人员", "officer_not_participant",
            "officers")
    held = accounts.credentials_on(list(people.values()), on)
    lacking = [n for n in names if people[n].pk not in held]
    require(not lacking, f"检查人员“{lacking[0] if lacking else ''}”在检查日期没有有效的执法证", "credential_invalid",
            "officers")
    return [{"username": n, "name": people[n].full_name, "department": people[n].department_id,
             "department_name": people[n].department.name, "credential": held[people[n].pk].number} for n in names]


@transaction.atomic
def visit_open(*, task_id: int, uscc: str, visited_on: Any, place: str, officers: Sequence[str],
               actor: Actor) -> JointVisit:
    """Register a joint task's visit to one of its planned entities, with the officers present."""
    task: JointTask = JointTask.objects.select_for_update(of=("self",)).select_related("plan").get(pk=task_id)
    require(task.status == TaskStatus.JOINT, "只有联合任务可以登记联合检查", "task_not_joint", "task")
    departments = tuple(task.participants.values_list("department_id", flat=True))
    VISITS.check("enter_result", VisitFacts("open", actor, departments))  # who may act: the participants' people
    on = day(visited_on, "visited_on", "检查日期")
    require(task.window_start <= on <= task.window_end, "“检查日期”应在任务的检查时间内", "date_out_of_window",
            "visited_on")
    entity = MarketEntity.objects.filter(uscc=str(uscc).strip().upper()).first()
    require(entity is not None and PlannedObject.objects.filter(task=task, entity=entity).exists(),
            f"市场主体“{uscc}”不是该任务的检查对象", "entity_not_planned", "uscc")
    assert entity is not None and isinstance(actor, User)
    present = _officers(task, officers, on)
    visit = JointVisit.objects.create(
        task=task, number=next_number(f"LHJC{on.year}-", scope="joint.visit", period=str(on.year),
                                      issued=JointVisit.objects.all()),
        entity=entity, region_id=task.region_id, lead_id=task.lead_id, visited_on=on,
        place=text(place, "place", "检查地点", max_len=200), officers=present, opened_by=actor)
    record(actor=actor, verb="joint.visit_opened", target=visit,
           data={"number": visit.number, "task": task.number, "entity": entity.uscc,
                 "officers": [o["username"] for o in present]})
    return visit


def _locked(visit_id: int) -> JointVisit:
    visit: JointVisit = (JointVisit.objects.select_for_update(of=("self",)).select_related("task", "entity")
                         .get(pk=visit_id))
    return visit


def _owners(visit: JointVisit) -> dict[str, Department]:
    """item → the participating department whose item it is."""
    return {code: p.department for p in Participant.objects.filter(task_id=visit.task_id).select_related("department")
            for code in p.items}


def _checked_results(visit: JointVisit, department: Department, rows: Sequence[dict[str, Any]]) -> list[VisitResult]:
    owners = _owners(visit)
    found: list[VisitResult] = []
    for row in rows:
        code = str(row.get("item") or "").strip()
        owner = owners.get(code)
        require(owner is not None, f"检查事项“{code}”不是该联合任务的检查事项", "item_not_in_task", "results")
        assert owner is not None
        require(owner.pk == department.pk, f"“检查结果”：检查事项“{code}”属于{owner.name}，各部门只录入本部门认领的"
                f"检查事项的结果", "item_other_department", "results")
        outcome = str(row.get("outcome") or "")
        require(outcome in Outcome.values, "“检查结果”应为 passed（未发现问题）或 problem（发现问题）",
                "outcome_invalid", "results")
        found.append(VisitResult(visit=visit, department=department, item=code, outcome=outcome,
                                 note=text(row.get("note"), "results", "检查情况", required=False, max_len=2000)))
    own = sorted(code for code, owner in owners.items() if owner.pk == department.pk)
    left = sorted(set(own) - {r.item for r in found})
    require(not left and len(found) == len(own), f"请录入本部门检查事项“{left[0] if left else ''}”的结果（每项一次）",
            "required", "results")
    return found


@transaction.atomic
def visit_results_enter(*, visit_id: int, results: Sequence[dict[str, Any]], actor: Actor) -> list[VisitResult]:
    """The actor's department enters the results of its own items, once, and its 行政检查 record is written citing
    them (the record of this visit for that department; the burden ledger counts the visit once, as joint)."""
    visit = _locked(visit_id)
    VISITS.check("enter_result", visit_facts(visit, actor))
    assert isinstance(actor, User)
    department = Department.objects.get(pk=actor.department_id)
    if visit.results.filter(department=department).exists():
        raise InvalidTransition(f"{department.name}已录入本次联合检查的结果", code="result_entered")
    rows = _checked_results(visit, department, results)
    index = list(visit.task.participants.order_by("pk").values_list("department_id", flat=True)).index(department.pk)
    number = f"{visit.number}-{index + 1}"
    problems = sum(1 for r in rows if r.outcome == Outcome.PROBLEM)
    behaviour.inspection_record(
        actor=actor, department=department, implementation_code=rows[0].item, number=number,
        name=f"联合检查：{visit.task.title}"[:200], date=visit.visited_on, form="联合检查", category="1",
        result=f"发现问题 {problems} 项" if problems else "未发现问题",
        inspectors=[o["name"] for o in visit.officers], credential_numbers=[o["credential"] for o in visit.officers],
        party={"entity_code": visit.entity.uscc},
        raw={"joint_visit": visit.number, "task": visit.task.number, "items": [r.item for r in rows]})
    for row in rows:
        row.inspection_number, row.entered_by = number, actor
    VisitResult.objects.bulk_create(rows)
    record(actor=actor, verb="joint.visit_results_entered", target=visit,
           data={"number": visit.number, "department": department.pk, "inspection": number,
                 "results": [{"item": r.item, "outcome": r.outcome} for r in rows]})
    return rows


@transaction.atomic
def visit_hand_over(*, visit_id: int, item: str, summary: str, actor: Actor) -> Handover:
    """A problem an officer present found on another participant's item becomes that department's clue (案件来源：
    监督检查), in one step; the clue cites the visit and the item, its check clock counts from the visit day."""
    visit = _locked(visit_id)
    VISITS.check("hand_over", visit_facts(visit, actor))
    assert isinstance(actor, User)
    if actor.username not in {o["username"] for o in visit.officers}:
        raise AccessDenied("只有到场的检查人员可以移交现场发现的问题", code="not_present")
    code = str(item or "").strip()
    owner = _owners(visit).get(code)
    require(owner is not None, f"检查事项“{code}”不是该联合任务的检查事项", "item_not_in_task", "item")
    assert owner is not None
    require(owner.pk != actor.department_id, "本部门检查事项发现的问题请在本部门的检查结果中录入并依法处理",
            "item_own_department", "item")
    if visit.handovers.filter(item=code).exists():
        raise InvalidTransition(f"检查事项“{code}”发现的问题已移交", code="clue_exists")
    found = text(summary, "summary", "发现的问题", max_len=2000)
    case = enforcement.case_from_finding(
        actor=actor, department=owner, party={"uscc": visit.entity.uscc},
        summary=f"联合检查{visit.number}（{visit.task.title}）中{actor.department.name}发现：{found}",
        source="inspection", source_ref=f"{visit.number}/{code}", found_on=visit.visited_on,
        implementation_code=code)
    handover = Handover.objects.create(visit=visit, department=owner, item=code, summary=found,
                                       clue_number=case.number, handed_by=actor)
    record(actor=actor, verb="joint.visit_handed_over", target=visit,
           data={"number": visit.number, "item": code, "department": owner.pk, "case": case.number})
    return handover


def _findings(visit: JointVisit) -> str:
    names = dict(Participant.objects.filter(task_id=visit.task_id).values_list("department_id", "department__name"))
    lines = [f"联合检查任务：{visit.task.number} {visit.task.title}（进一次门、查多项事，各部门检查结果互认）。"]
    for result in visit.results.order_by("department_id", "item"):
        note = f"：{result.note}" if result.note else ""
        lines.append(f"{names[result.department_id]}　{result.item}　{result.get_outcome_display()}{note}"
                     f"（行政检查 {result.inspection_number}）")
    for handover in visit.handovers.all():
        lines.append(f"移交{names[handover.department_id]}线索 {handover.clue_number}（{handover.item}）："
                     f"{handover.summary}")
    lines.append("到场检查人员（均应签名）：" + "；".join(
        f"{o['department_name']} {o['name']}（执法证号 {o['credential']}）" for o in visit.officers))
    return "\n".join(lines)


@transaction.atomic
def visit_close(*, visit_id: int, actor: Actor) -> JointVisit:
    """制作现场检查笔录: once every department has entered its results, one 笔录 of the lead department lists every
    officer present with their 执法证号 and each department's results, for all to sign."""
    visit = _locked(visit_id)
    edge = VISITS.check("close", visit_facts(visit, actor))
    entity = visit.entity
    assert isinstance(actor, User)
    context = {"party": {"kind": "organisation", "name": entity.name, "code": entity.uscc,
                         "address": entity.registered_address},
               "started_at": visit.visited_on.isoformat(), "ended_at": visit.visited_on.isoformat(),
               "place": visit.place, "officers": [{"name": o["name"], "credential": o["credential"]}
                                                  for o in visit.officers],
               "recorder": actor.full_name, "findings": _findings(visit), "joint_visit": visit.number}
    issued = documents.issue(actor=actor, kind="onsite_record", department=visit.lead,
                             subject=f"joint_visit:{visit.number}", context=context)
    visit.status, visit.record_document, visit.record_number = edge.target, issued.id, issued.number
    visit.save(update_fields=["status", "record_document", "record_number", "updated_at"])
    record(actor=actor, verb="joint.visit_closed", target=visit,
           data={"number": visit.number, "document": issued.number, "digest": issued.digest,
                 "at": timezone.now().isoformat()})
    return visit
