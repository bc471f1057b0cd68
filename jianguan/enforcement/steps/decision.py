"""Step handlers of 决定 and 移送, and the 行政处罚行为 the decision records in the behaviour library."""

from __future__ import annotations

from jianguan.behaviour import contracts as behaviour
from jianguan.behaviour.contracts import PENALTY_KINDS
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed
from jianguan.core.validation import require as _require

from .. import deadlines
from ..context import case_context, party_context, penalty_text, review_context
from ..inputs import flag_in, kinds_in, money_in, text_in
from ..models import BEHAVIOUR_CASE_SOURCE, BEHAVIOUR_PROCEDURE, Case, Hearing, Mitigation, Outcome
from ..parties import behaviour_party
from .base import Step, handles


def record_penalty(case: Case, actor: Actor) -> None:
    """The 行政处罚行为 of the behaviour library (behaviour-records.md §3), through the catalog's guard."""
    _require(case.inspection_number, "须先记录现场检查（行政处罚行为须引用检查行为编号）", "inspection_required",
             "inspection")
    hearing = Hearing.objects.filter(case=case, outcome="held").exists()
    penalty = behaviour.penalty_record(
        actor=actor, department=case.department, catalog_code=case.catalog_code,
        inspection_number=case.inspection_number, number=f"{case.number}-CF", name=f"{case.cause or '行政处罚'}案",
        decided_on=case.decided_on, decision_number=case.decision_number, facts=case.facts or case.summary,
        basis=case.basis, procedure=BEHAVIOUR_PROCEDURE[case.procedure], penalty_kinds=case.penalty_kinds,
        result=penalty_text(case)[:1000], case_source=BEHAVIOUR_CASE_SOURCE[case.source], fine=case.fine,
        filed_on=case.filed_on, party=behaviour_party(case), hearing=hearing, criminal=case.criminal,
        major=case.major, legal_review=case.legal_review_on is not None, legal_review_on=case.legal_review_on,
        legal_review_opinion=case.legal_review_opinion, collective=case.collective_on is not None,
        collective_on=case.collective_on, collective_conclusion=case.collective_conclusion,
        reconsideration="未申请", litigation="未起诉")  # 行政复议 / 行政诉讼 are required; none yet at the decision
    case.behaviour_number = penalty.number
    Case.objects.filter(pk=case.pk).update(behaviour_number=penalty.number)


@handles("decide")
def _decide(step: Step) -> None:
    case, data = step.case, step.data
    outcome = text_in(data, "outcome", "处理结果", max_len=12)
    _require(outcome in Outcome.values, "处理结果应为给予行政处罚或不予行政处罚", "choice_invalid", "outcome")
    mitigation = str(data.get("mitigation") or "")
    _require(mitigation in Mitigation.values, "裁量情节无效", "choice_invalid", "mitigation")
    opinion = text_in(data, "opinion", "负责人意见", required=False) or "同意"
    case.outcome, case.mitigation, case.decided_on = outcome, mitigation, step.today
    case.facts = text_in(data, "facts", "违法事实", required=False) or case.facts
    case.basis = text_in(data, "basis", "处罚依据", required=False) or case.basis
    step.approve(opinion)
    if outcome == Outcome.NO_PENALTY:
        case.no_penalty_reason = text_in(data, "no_penalty_reason", "不予处罚理由", max_len=300)
        case.penalty_kinds, case.fine, case.confiscation = [], None, None
        step.event.update({"outcome": outcome, "reason": case.no_penalty_reason})
        return
    kinds = kinds_in(data) if "penalty_kinds" in data else case.penalty_kinds
    fine = money_in(data, "fine", "罚款金额") if "fine" in data else case.fine
    confiscation = money_in(data, "confiscation", "没收违法所得") if "confiscation" in data else case.confiscation
    _require(kinds, "缺少必填字段“处罚种类”", "required", "penalty_kinds")
    _require(("02" in kinds) == bool(fine), "罚款须写明金额，未处罚款则不填金额", "fine_mismatch", "fine")
    heavier = (set(kinds) - set(case.penalty_kinds)) or (fine or 0) > (case.fine or 0) or \
        (confiscation or 0) > (case.confiscation or 0)
    if heavier:
        raise ValidationFailed("决定不得重于已告知的处罚；如需加重，应重新告知（《行政处罚法》第四十四条、第四十五条）",
                               code="heavier_than_notified", field="penalty_kinds")
    case.penalty_kinds, case.fine, case.confiscation = kinds, fine, confiscation
    statements = list(case.events.filter(verb="record_statement").values_list("data", flat=True))
    document = step.issue("penalty_decision", {
        "party": party_context(case), "case": case_context(case), "facts": case.facts, "violated": case.violated,
        "statements": [s.get("statement", "") for s in statements] or "当事人未提出陈述、申辩。",
        "discretion": str(Mitigation(mitigation).label) if mitigation else "", "basis": case.basis,
        "penalties": [PENALTY_KINDS[k] for k in kinds], "fine": fine, "confiscation": confiscation,
        "payment": {"deadline_days": deadlines.PAYMENT_DAYS, "method": "到指定银行或者通过电子支付系统缴纳"},
        "review": review_context(case)})
    case.decision_number, case.decision_document_id = document.number, document.id
    record_penalty(case, step.actor)
    step.event.update({"outcome": outcome, "penalty_kinds": kinds, "fine": fine, "confiscation": confiscation,
                       "mitigation": mitigation, "decision_number": document.number,
                       "behaviour": case.behaviour_number})


@handles("transfer")
def _transfer(step: Step) -> None:
    case = step.case
    case.transferred_to = text_in(step.data, "to", "移送机关", max_len=200)
    case.criminal = flag_in(step.data, "criminal")
    case.transferred_on = step.on
    reason = text_in(step.data, "reason", "移送理由")
    step.approve(reason)
    step.event.update({"to": case.transferred_to, "criminal": case.criminal, "reason": reason})
