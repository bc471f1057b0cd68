"""Step handlers of 调查取证: inquiry, on-site and sampling records, rectification orders, 先行登记保存, suspended
periods, extensions of the decision date, and the end of the investigation."""

from __future__ import annotations

import datetime as dt

from jianguan.behaviour import contracts as behaviour
from jianguan.behaviour.models import Inspection
from jianguan.core.errors import InvalidTransition
from jianguan.core.validation import require as _require

from .. import bands, deadlines, policy, procedure
from ..context import officers_context, party_context
from ..inputs import date_in, flag_in, kinds_in, money_in, text_in
from ..models import BEHAVIOUR_INSPECTION_FORM, Case, Extension, ExtensionKind, Preservation, Suspension, SuspensionKind
from ..parties import behaviour_party
from .base import Step, handles


@handles("record_inquiry")
def _record_inquiry(step: Step) -> None:
    data = step.data
    interviewee = data.get("interviewee") or {}
    if isinstance(interviewee, str):
        interviewee = {"name": interviewee}
    _require(isinstance(interviewee, dict) and str(interviewee.get("name") or "").strip(), "缺少被询问人姓名",
             "required", "interviewee")
    qa = data.get("qa") or []
    if isinstance(qa, str):
        qa = [{"q": "", "a": line} for line in qa.splitlines() if line.strip()]
    _require(isinstance(qa, list) and qa, "缺少询问内容", "required", "qa")
    officers = officers_context(step.case)
    step.issue("inquiry_record", {
        "started_at": str(data.get("started_at") or step.on), "ended_at": str(data.get("ended_at") or ""),
        "place": text_in(data, "place", "询问地点", required=False), "officers": officers,
        "recorder": officers[-1]["name"] if officers else "", "interviewee": interviewee, "qa": qa})
    step.event.update({"interviewee": interviewee.get("name"), "questions": len(qa)})


@handles("record_onsite")
def _record_onsite(step: Step) -> None:
    case, data = step.case, step.data
    findings = text_in(data, "findings", "现场检查情况")
    implementation = text_in(data, "implementation_code", "检查实施清单编码", required=False,
                           max_len=200) or case.implementation_code
    officers = officers_context(case)
    step.issue("onsite_record", {
        "party": party_context(case), "started_at": step.on, "place": text_in(data, "place", "检查地点",
                                                                             required=False),
        "officers": officers, "recorder": officers[-1]["name"] if officers else "", "findings": findings,
        "party_statement": text_in(data, "party_statement", "当事人意见", required=False)})
    if implementation and (case.entity_id or case.person_id):
        count = Inspection.objects.filter(number__startswith=f"{case.number}-JC").count()
        inspection = behaviour.inspection_record(
            actor=step.actor, department=case.department, implementation_code=implementation,
            number=f"{case.number}-JC{count + 1}", name=f"{case.cause or case.party_name}案现场检查", date=step.on,
            form=BEHAVIOUR_INSPECTION_FORM[case.source], category="1", method="现场检查",
            result="发现问题待后续处理",
            inspectors=[o["name"] for o in officers], credential_numbers=[o["credential"] for o in officers],
            party=behaviour_party(case))
        case.implementation_code = implementation
        case.inspection_number = case.inspection_number or inspection.number
        step.event["inspection"] = inspection.number
    step.event["findings"] = findings[:200]


@handles("record_sampling")
def _record_sampling(step: Step) -> None:
    items = step.data.get("items") or []
    _require(isinstance(items, list) and items, "缺少抽样物品", "required", "items")
    step.event.update({"items": items, "place": text_in(step.data, "place", "抽样地点", required=False)})


@handles("order_rectification")
def _order_rectification(step: Step) -> None:
    data = step.data
    deadline = date_in(data, "deadline", "改正期限", today=step.today, future=True)
    _require(deadline >= step.today, "改正期限不能早于今天", "date_order", "deadline")
    step.issue("rectification_order", {
        "party": party_context(step.case), "facts": text_in(data, "facts", "违法事实"),
        "violated": text_in(data, "violated", "违反的规定", required=False),
        "basis": text_in(data, "basis", "责令改正的依据"), "deadline": deadline,
        "requirements": text_in(data, "requirements", "改正要求", required=False)})
    step.event["deadline"] = deadline


@handles("preserve_request")
def _preserve_request(step: Step) -> None:
    items = step.data.get("items") or []
    if isinstance(items, str):
        items = [{"name": line.strip()} for line in items.splitlines() if line.strip()]
    _require(isinstance(items, list) and items, "缺少先行登记保存的物品清单", "required", "items")
    preservation = Preservation.objects.create(case=step.case, items=items, reason=text_in(step.data, "reason", "理由"),
                                               requested_by=step.actor, requested_on=step.today)
    step.event.update({"preservation": preservation.pk, "items": items})


@handles("preserve_approve")
def _preserve_approve(step: Step) -> None:
    preservation = step.case.preservations.filter(approved_on=None, decided_on=None).order_by("pk").first()
    preservation.approved_by, preservation.approved_on = step.actor, step.on
    preservation.due = deadlines.preservation_due(step.on)
    preservation.save(update_fields=["approved_by", "approved_on", "due"])
    step.approve(text_in(step.data, "opinion", "负责人意见", required=False) or "同意先行登记保存")
    step.event.update({"preservation": preservation.pk, "due": preservation.due,
                       "rule": deadlines.RULES["preservation"]})


PRESERVATION_DECISIONS = {"release": "解除先行登记保存", "seize": "依法查封、扣押", "confiscate": "依法没收",
                          "test": "送检测、检验、检疫、鉴定", "transfer": "移送有关机关"}


@handles("preserve_decide")
def _preserve_decide(step: Step) -> None:
    preservation = step.case.preservations.exclude(approved_on=None).filter(decided_on=None).order_by("pk").first()
    decision = text_in(step.data, "decision", "处理决定", max_len=20)
    _require(decision in PRESERVATION_DECISIONS, f"处理决定应为：{'、'.join(PRESERVATION_DECISIONS)}",
             "choice_invalid", "decision")
    if step.on > preservation.due and decision != "release":
        raise InvalidTransition(f"先行登记保存已于 {preservation.due} 逾期，措施自动解除，只能登记解除"
                                "（《行政处罚法》第五十六条）", code="preservation_lapsed")
    preservation.decided_on, preservation.decision = step.on, decision
    preservation.save(update_fields=["decided_on", "decision"])
    step.event.update({"preservation": preservation.pk, "decision": PRESERVATION_DECISIONS[decision],
                       "in_time": step.on <= preservation.due})


@handles("suspend")
def _suspend(step: Step) -> None:
    kind = text_in(step.data, "kind", "期间类型", max_len=20)
    _require(kind in SuspensionKind.values and kind != SuspensionKind.HEARING,
             "期间类型应为检测检验检疫鉴定、公告或其他（听证期间自动计算）", "choice_invalid", "kind")
    Suspension.objects.create(case=step.case, kind=kind, starts_on=step.on,
                              reason=text_in(step.data, "reason", "说明", max_len=300))
    step.event.update({"kind": kind, "starts_on": step.on})


def end_suspensions(case: Case, on: dt.date, kind: str | None = None) -> None:
    open_ones = case.suspensions.filter(ends_on=None)
    if kind:
        open_ones = open_ones.filter(kind=kind)
    for suspension in open_ones:
        _require(on >= suspension.starts_on, "结束日期不能早于起始日期", "date_order", "on")
    open_ones.update(ends_on=on)


@handles("resume")
def _resume(step: Step) -> None:
    end_suspensions(step.case, step.on)
    step.event["ends_on"] = step.on


@handles("extend_decision")
def _extend_decision(step: Step) -> None:
    reason = text_in(step.data, "reason", "延期理由")
    days = procedure.for_department(step.case.department).decision.extension or 0
    Extension.objects.create(case=step.case, kind=ExtensionKind.DECISION, days=days,
                             reason=reason, approved_by=step.actor, approved_on=step.today)
    step.approve(reason)
    step.event.update({"days": days})


@handles("extend_further")
def _extend_further(step: Step) -> None:
    try:
        days = int(step.data.get("days") or 0)
    except (TypeError, ValueError):
        days = 0
    _require(1 <= days <= 365, "继续延期须确定合理期限（1 至 365 日）", "days_invalid", "days")
    reason, discussion = text_in(step.data, "reason", "延期理由"), text_in(step.data, "discussion", "集体讨论记录")
    Extension.objects.create(case=step.case, kind=ExtensionKind.FURTHER, days=days, reason=reason,
                             discussion=discussion, approved_by=step.actor, approved_on=step.today)
    step.approve(reason)
    step.event.update({"days": days, "discussion": discussion[:500]})


@handles("end_investigation")
def _end_investigation(step: Step) -> None:
    case, data = step.case, step.data
    case.facts = text_in(data, "facts", "违法事实")
    case.violated = text_in(data, "violated", "违反的规定", required=False)
    case.basis = text_in(data, "basis", "处罚依据")
    case.penalty_kinds = kinds_in(data)
    case.fine = money_in(data, "fine", "罚款金额")
    case.confiscation = money_in(data, "confiscation", "没收违法所得")
    _require(("02" in case.penalty_kinds) == bool(case.fine), "罚款须写明金额，未处罚款则不填金额", "fine_mismatch",
             "fine")
    case.discretion = bands.judged(case, data, step.today)
    case.hearing_right = policy.hearing_due(party_kind=case.party_kind, kinds=case.penalty_kinds, fine=case.fine,
                                            confiscation=case.confiscation, on=step.today)
    case.major = flag_in(data, "major") or policy.major_case(party_kind=case.party_kind, kinds=case.penalty_kinds,
                                                           fine=case.fine, on=step.today)
    case.legal_review_required = case.major or case.hearing_right or flag_in(data, "legal_review")
    step.event.update({"penalty_kinds": case.penalty_kinds, "fine": case.fine, "confiscation": case.confiscation,
                       "hearing_right": case.hearing_right, "major": case.major,
                       "legal_review_required": case.legal_review_required, "discretion": case.discretion})
