"""Step handlers of 立案: proposing to file or not, extending the check, the head's approval or return."""

from __future__ import annotations

from typing import Any

from jianguan.catalog.contracts import require_in_force, require_item_in_force
from jianguan.core.errors import ValidationFailed
from jianguan.core.validation import require as _require

from .. import deadlines, procedure
from ..context import case_context, officers_context, opinion_context, party_context
from ..inputs import date_in, flag_in, text_in
from ..models import Case, ClueStatus, Extension, ExtensionKind
from ..parties import assign_officers, chosen_officers, party_values
from .base import Step, handles


@handles("propose_filing")
def _propose_filing(step: Step) -> None:
    case, data = step.case, step.data
    if data.get("party"):
        values = party_values(data["party"], actor=step.actor)
        region = values.pop("region")
        for name, value in values.items():
            setattr(case, name, value)
        if region is not None:
            case.region = region
    _require(case.entity_id or case.person_id, "立案前须确认当事人（市场主体或自然人）", "party_unidentified", "party")
    chosen = chosen_officers(case.department_id, data.get("officers") or [], step.today)
    violation_on = date_in(data, "violation_on", "违法行为发生日期", today=step.today, default=case.received_on)
    grave = flag_in(data, "grave_harm")
    ends = deadlines.limitation_ends(violation_on, grave=grave)
    if case.received_on > ends:
        raise ValidationFailed(f"违法行为已超过追责时效（{deadlines.RULES['limitation']}）", code="limitation_expired",
                               field="violation_on")
    catalog_code = text_in(data, "catalog_code", "监管事项目录编码（行政处罚子项）", max_len=14)
    require_item_in_force(code=catalog_code, on=step.today, action_types=("penalty",))
    implementation = text_in(data, "implementation_code", "检查实施清单编码", required=False, max_len=200)
    if implementation:
        require_in_force(body_id=case.department_id, implementation_code=implementation, on=step.today,
                         field="implementation_code")
        case.implementation_code = implementation
    case.cause = text_in(data, "cause", "案由", max_len=200)
    case.catalog_code = catalog_code
    case.filing_proposal = "file"
    assign_officers(case, chosen, str(data.get("lead") or ""), step.today)
    step.event.update({"officers": [u.full_name for u, _ in chosen], "credentials": [c.number for _, c in chosen],
                       "cause": case.cause, "catalog_code": catalog_code, "violation_on": violation_on,
                       "opinion": text_in(data, "opinion", "承办人意见", required=False)})


@handles("propose_not_filing")
def _propose_not_filing(step: Step) -> None:
    step.case.not_filed_reason = text_in(step.data, "reason", "不予立案理由")
    step.case.filing_proposal = "not_file"
    step.event["reason"] = step.case.not_filed_reason


@handles("extend_check")
def _extend_check(step: Step) -> None:
    reason = text_in(step.data, "reason", "延期理由")
    case = step.case
    rules = procedure.for_department(case.department)
    Extension.objects.create(case=case, kind=ExtensionKind.CHECK, days=rules.check.extension or 0,
                             working_days=rules.check.working_days, reason=reason, approved_by=step.actor,
                             approved_on=step.today)
    case.check_due = deadlines.check_due(case.received_on, rules=rules, extended=True)
    if case.clue_id:
        case.clue.check_due = case.check_due
        case.clue.save(update_fields=["check_due", "updated_at"])
    step.approve(reason)
    step.event.update({"check_due": case.check_due})


def _handler_opinion(case: Case) -> dict[str, Any]:
    proposal = case.events.filter(verb__in=("propose_filing", "propose_not_filing")).order_by("-seq").first()
    if proposal is None:
        return {}
    return {"opinion": proposal.data.get("opinion") or proposal.data.get("reason") or "",
            "signer": proposal.actor_label, "date": proposal.on.isoformat()}


def _clue_status(case: Case, status: str) -> None:
    if case.clue_id:
        case.clue.status = status
        case.clue.save(update_fields=["status", "updated_at"])


@handles("approve_filing")
def _approve_filing(step: Step) -> None:
    case = step.case
    opinion = text_in(step.data, "opinion", "负责人意见", required=False) or "同意立案"
    case.filed_on = step.today
    case.decision_due = deadlines.decision_due(case.filed_on, rules=procedure.for_department(case.department),
                                               today=step.today)
    _clue_status(case, ClueStatus.FILED)
    step.approve(opinion)
    step.issue("filing_approval", {
        "case": case_context(case), "party": party_context(case), "summary": case.summary,
        "basis": f"监管事项 {case.catalog_code}", "officers": officers_context(case),
        "opinions": {"handler": _handler_opinion(case), "head": opinion_context(opinion, step.actor, step.today)}})
    step.event.update({"filed_on": case.filed_on, "decision_due": case.decision_due})


@handles("approve_not_filing")
def _approve_not_filing(step: Step) -> None:
    case = step.case
    opinion = text_in(step.data, "opinion", "负责人意见", required=False) or "同意不予立案"
    _clue_status(case, ClueStatus.NOT_FILED)
    step.approve(opinion)
    step.issue("not_filing_approval", {
        "case": case_context(case), "party": party_context(case), "summary": case.summary,
        "reason": case.not_filed_reason, "opinions": {"handler": _handler_opinion(case),
                                                      "head": opinion_context(opinion, step.actor, step.today)}})


@handles("return_proposal")
def _return_proposal(step: Step) -> None:
    step.approve(text_in(step.data, "opinion", "退回意见"), approved=False)
    step.case.filing_proposal = ""
