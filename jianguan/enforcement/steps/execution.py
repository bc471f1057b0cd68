"""Step handlers of 送达, 执行, 结案 and 归档."""

from __future__ import annotations

import datetime as dt

from jianguan.behaviour import contracts as behaviour
from jianguan.behaviour.models import Penalty
from jianguan.core.actors import Actor
from jianguan.core.canonical import to_jsonable
from jianguan.core.validation import require as _require

from .. import deadlines
from ..context import case_context, officers_context, opinion_context, party_context, penalty_text
from ..inputs import flag_in, money_in, text_in
from ..models import Case, Outcome, Payment, Service, ServiceMethod
from .base import Step, handles


@handles("serve")
def _serve(step: Step) -> None:
    case, data = step.case, step.data
    method = text_in(data, "method", "送达方式", max_len=12)
    _require(method in ServiceMethod.values, "送达方式无效", "choice_invalid", "method")
    consent = flag_in(data, "consent")
    _require(method != ServiceMethod.ELECTRONIC or consent,
             "电子送达须经当事人同意并签订送达地址确认书（《行政处罚法》第六十一条）", "consent_required", "consent")
    _require(step.on >= case.decided_on, "送达日期不能早于决定日期", "date_order", "on")
    recipient = text_in(data, "recipient", "受送达人", required=False, max_len=200) or case.party_name
    address = text_in(data, "address", "送达地点", required=False, max_len=400) or case.party_address
    servers = officers_context(case)
    served_documents = ([{"title": "行政处罚决定书", "number": case.decision_number}] if case.decision_number
                        else [{"title": "不予行政处罚决定", "number": case.number}])
    receipt = step.issue("service_receipt", {
        "documents": served_documents, "recipient": recipient, "address": address,
        "method": str(ServiceMethod(method).label), "served_at": step.on, "servers": servers, "receiver": recipient})
    Service.objects.create(case=case, document_id=case.decision_document_id or receipt.id, method=method,
                           consent=consent, recipient=recipient, address=address, served_on=step.on,
                           receipt_document_id=receipt.id)
    case.served_on = step.on
    if case.outcome == Outcome.PENALTY and case.fine:
        Payment.objects.update_or_create(case=case, defaults={"fine": case.fine,
                                                              "due_on": deadlines.payment_due(step.on)})
    due = deadlines.service_due(case.decided_on)
    step.event.update({"method": method, "consent": consent, "in_time": step.on <= due, "due": due})


@handles("file_record")
def _file_record(step: Step) -> None:
    step.case.simple_filed_on = step.on
    step.event.update({"due": step.case.simple_filing_due, "in_time": step.on <= step.case.simple_filing_due})


@handles("record_payment")
def _record_payment(step: Step) -> None:
    payment = step.case.payment
    _require(step.on >= (step.case.served_on or step.case.decided_on), "缴款日期不能早于决定书送达日期", "date_order",
             "on")
    amount = money_in(step.data, "amount", "缴款金额")
    _require(amount and amount > 0, "缺少缴款金额", "required", "amount")
    fee = deadlines.late_fee(payment.fine, payment.due_on, step.on)
    owed = payment.fine + fee - payment.paid_amount
    _require(amount <= owed, f"缴款金额超过应缴金额 {owed} 元", "overpayment", "amount")
    payment.paid_amount += amount
    payment.late_fee = fee
    payment.receipts = [*payment.receipts, to_jsonable({"on": step.on, "amount": amount,
                                                        "reference": str(step.data.get("reference") or "")})]
    if payment.paid_amount >= payment.fine + fee:
        payment.paid_on = step.on
    payment.save()
    step.event.update({"amount": amount, "late_fee": fee, "paid_in_full": payment.paid_on is not None})


@handles("apply_enforcement")
def _apply_enforcement(step: Step) -> None:
    payment = step.case.payment
    payment.enforcement_applied_on, payment.court = step.on, text_in(step.data, "court", "受理法院", max_len=200)
    payment.late_fee = deadlines.late_fee(payment.fine, payment.due_on, step.on)
    payment.save(update_fields=["enforcement_applied_on", "court", "late_fee"])
    step.approve("申请人民法院强制执行")
    step.event.update({"court": payment.court, "late_fee": payment.late_fee})


@handles("propose_closing")
def _propose_closing(step: Step) -> None:
    step.event["summary"] = text_in(step.data, "summary", "结案理由", required=False) or "已执行完毕"


@handles("approve_closing")
def _approve_closing(step: Step) -> None:
    case = step.case
    opinion = text_in(step.data, "opinion", "负责人意见", required=False) or "同意结案"
    case.closed_on = step.today
    payment = Payment.objects.filter(case=case).first()
    if case.outcome == Outcome.PENALTY:
        result = penalty_text(case)
    elif case.outcome == Outcome.NO_PENALTY:
        result = f"不予行政处罚：{case.no_penalty_reason}"
    else:
        result = f"移送{case.transferred_to}"
    if payment is None:
        execution = "无罚款"
    elif payment.paid_on:
        execution = f"已缴纳 {payment.paid_amount} 元（含加处罚款 {payment.late_fee} 元）"
    else:
        execution = f"已于 {payment.enforcement_applied_on} 申请{payment.court}强制执行"
    proposal = case.events.filter(verb="propose_closing").order_by("-seq").first()
    step.approve(opinion)
    step.issue("closing_approval", {
        "case": case_context(case), "party": party_context(case), "result": result, "execution": execution,
        "summary": proposal.data.get("summary", "") if proposal else "",
        "opinions": {"handler": {"opinion": proposal.data.get("summary", ""), "signer": proposal.actor_label,
                                 "date": proposal.on.isoformat()} if proposal else {},
                     "head": opinion_context(opinion, step.actor, step.today)}})
    _amend_penalty_at_closing(case, payment, step.actor, step.today)
    step.event.update({"closed_on": case.closed_on, "execution": execution})


def _amend_penalty_at_closing(case: Case, payment: Payment | None, actor: Actor, today: dt.date) -> None:
    """结案情况 of the 行政处罚行为 (behaviour-records.md §3): 结案日期, 执行方式, 执行结果 and 实缴罚款金额, written
    into the record made at the decision as its next version."""
    if not case.behaviour_number:
        return
    if payment is None:
        method, result, paid = "自觉履行", "全部履行", None
    elif payment.paid_on:
        method, result, paid = "自觉履行", "全部履行", payment.paid_amount
    else:
        method, result = "申请法院强制执行", "部分履行" if payment.paid_amount else "未履行"
        paid = payment.paid_amount or None
    behaviour.record_amend(actor=actor, model=Penalty, number=case.behaviour_number, reason="结案", today=today,
                           changes={"closed_on": case.closed_on, "execution_method": method,
                                    "execution_result": result, "paid": paid})


@handles("return_closing")
def _return_closing(step: Step) -> None:
    step.approve(text_in(step.data, "opinion", "退回意见"), approved=False)


@handles("archive")
def _archive(step: Step) -> None:
    step.case.archived_on = step.today
    step.event["documents"] = step.case.events.exclude(document_id=None).count()
