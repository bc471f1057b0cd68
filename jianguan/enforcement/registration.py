"""Registering a clue (案件来源登记) as the first stage of a case: from a finding, a complaint or report, or an
inspection; the 15-working-day check clock starts on the day the body learned of it (SAMR 程序规定 第十八条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department, Region, User
from jianguan.audit.contracts import record
from jianguan.behaviour.models import Inspection
from jianguan.complaints import contracts as complaints
from jianguan.complaints.models import ComplaintKind
from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.roles import Role
from jianguan.core.validation import require as _require
from jianguan.core.workflow import acts_for
from jianguan.risk import contracts as risk

from . import deadlines, procedure
from .cases import new_case_number, new_clue_number, refresh_later
from .history import append_event
from .models import Case, CaseStatus, Clue, ClueSource
from .parties import party_values


@transaction.atomic
def case_register(*, actor: Actor, department: Department, party: dict[str, Any], summary: str, source: str,
                  source_ref: str, received_on: dt.date, implementation_code: str = "",
                  inspection_number: str = "", cause: str = "", region: Region | None = None) -> Case:
    """Register a clue (案件来源登记) as the first stage of a case; its 15-working-day check clock starts on the
    day the body discovered or received it (SAMR 程序规定 第十八条)."""
    _require(source in ClueSource.values, "案件来源无效", "source_invalid", "source")
    _require(bool(str(summary).strip()), "缺少必填字段“线索内容”", "required", "summary")
    _require(bool(str(source_ref).strip()), "缺少必填字段“来源编号”", "required", "source_ref")
    _require(received_on <= timezone.localdate(), "“发现或收到日期”不能晚于今天", "date_in_future", "received_on")
    _require(not Clue.objects.filter(source=source, source_ref=source_ref).exists(),
             "该来源已登记为案件线索", "clue_exists", "source_ref")
    values = party_values(party, actor=actor)
    region = region or values.pop("region") or department.region  # `region`: a routing that decided it
    values.pop("region", None)
    due = deadlines.check_due(received_on, rules=procedure.for_department(department))
    clue = Clue.objects.create(
        number=new_clue_number(), source=source, source_ref=source_ref, department=department, region=region,
        entity=values["entity"], party_name=values["party_name"], summary=summary, received_on=received_on,
        check_due=due)
    case = Case.objects.create(
        number=new_case_number(department, timezone.localdate().year),
        department=department, region=region, clue=clue, source=source, source_ref=source_ref, cause=cause[:200],
        summary=summary, received_on=received_on, check_due=due, implementation_code=implementation_code,
        inspection_number=inspection_number, **values)
    append_event(case, actor=actor, verb="register", on=received_on, to_status=CaseStatus.CLUE,
                 data={"source": source, "source_ref": source_ref, "clue": clue.number, "party": case.party_name,
                       "check_due": due})
    record(actor=actor, verb="enforcement.clue_registered", target=clue,
           data={"source": source, "source_ref": source_ref, "check_due": due, "case": case.number})
    refresh_later(case.pk)
    return case


@transaction.atomic
def clue_from_complaint(*, actor: User, complaint_id: int, note: str = "") -> Clue:
    """Turn a complaint or report into a clue of the department handling it, in one step.

    The 15-working-day clock counts from the complaint's receipt (the day the body learned of it).
    """
    complaint = complaints.complaint_mark_converted(actor=actor, complaint_id=complaint_id,
                                                    note=note or "转为案件线索")
    party = {"uscc": complaint.entity.uscc} if complaint.entity_id else {"name": complaint.subject_name}
    case = case_register(
        actor=actor, department=complaint.department, party=party, summary=complaint.content,
        source=ClueSource.REPORT if complaint.kind == ComplaintKind.REPORT else ClueSource.COMPLAINT,
        source_ref=complaint.number, received_on=timezone.localtime(complaint.received_at).date(),
        region=complaint.region)  # the complaint's routing decided the jurisdiction
    return Clue.objects.get(pk=case.clue_id)


@transaction.atomic
def clue_from_inspection(*, actor: User, inspection_number: str, summary: str) -> Clue:
    """A clue found by an inspection (案件来源：监督检查), for the department that inspected; the 15-working-day
    check counts from the inspection day."""
    inspection = Inspection.objects.select_related("department", "region", "entity").get(number=inspection_number)
    if Clue.objects.filter(source=ClueSource.INSPECTION, source_ref=inspection.number).exists():
        raise InvalidTransition("该检查已转为案件线索", code="clue_exists")
    party = {"uscc": inspection.entity.uscc} if inspection.entity_id else {"name": inspection.party_name}
    case = case_register(actor=actor, department=inspection.department, party=party, summary=summary,
                         source=ClueSource.INSPECTION, source_ref=inspection.number, received_on=inspection.date,
                         implementation_code=inspection.implementation_code, inspection_number=inspection.number,
                         region=inspection.region)
    return Clue.objects.get(pk=case.clue_id)


@transaction.atomic
def clue_from_alert(*, actor: User, alert_id: int) -> Clue:
    """转为案件线索: a risk alert the head decided 立案 becomes a clue of the alert's department (案件来源：风险预警),
    once; only an officer or the head of that department may (out of scope → 404, twice → 409 naming the clue).

    The 15-working-day check clock (SAMR 程序规定 第十八条) counts from the day the alert's verification started:
    the body learned of the matter then, and the verification already ran on that clock.
    """
    alert = risk.alert_card(reader=actor, alert_id=alert_id, for_update=True)
    if not acts_for(actor, alert.department_id, Role.OFFICER, Role.HEAD):
        raise AccessDenied("只有预警承办部门的执法人员或负责人可以转为案件线索", code="not_alert_department")
    if alert.clue_number:
        raise InvalidTransition(f"该预警已转为案件线索（线索编号 {alert.clue_number}）", code="clue_exists",
                                extra={"clue": alert.clue_number})
    if not alert.decided_case:
        raise InvalidTransition("只有决定立案的预警可以转为案件线索", code="alert_not_case",
                                extra={"status": alert.status})
    party = {"uscc": alert.entity_uscc} if alert.entity_uscc else {"name": alert.subject_name}
    case = case_register(actor=actor, department=Department.objects.get(pk=alert.department_id), party=party,
                         summary=alert_summary(alert), source=ClueSource.RISK_ALERT, source_ref=alert.reference,
                         received_on=alert.found_on, region=Region.objects.get(pk=alert.region_id))
    clue = Clue.objects.select_related("case").get(pk=case.clue_id)
    risk.alert_mark_carried(actor=actor, alert_id=alert.id, clue_number=clue.number)
    return clue


def alert_summary(alert: risk.AlertCard) -> str:
    """The clue's facts: the model and window, the verification finding, and each hit quoted with its rule and
    the article it rests on."""
    lines = [f"{alert.model_label}风险预警（{alert.window}）：{alert.subject_name}。", f"核查意见：{alert.finding}"]
    for hit in alert.hits:
        quote = f"“{hit['quote']}”" if hit.get("quote") else hit.get("note", "")
        lines.append(f"命中：{quote}（{hit.get('rule', '')}，{hit.get('article', '')}）")
    return "\n".join(lines)
