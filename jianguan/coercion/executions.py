"""Writes of 行政强制执行 (行政强制法 第十二条, 第三十四条—第三十八条, 第四十五条, 第四十六条, 第五十三条,
第五十四条): 登记 → 催告 → 陈述申辩 → 强制执行决定 → 执行, or an application to court; late fees
(行政处罚法 第七十二条). Each step checks the transition table (`workflow.py`), the person's role and the step's
guards from law, issues its document, and is written as a whole by `common.add_step` — in one transaction.
Steps keep their audit verbs `coercion.enforcement_*` (the names the chain and the cases' histories hold).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.behaviour.models import CoercionKind
from jianguan.catalog.contracts import require_item_in_force
from jianguan.core.actors import Actor
from jianguan.core.validation import parse_amount, parse_date
from jianguan.core.validation import require as _require
from jianguan.documents import contracts as documents

from . import deadlines, workflow
from .common import (
    add_step,
    amend_behaviour,
    behaviour_record,
    call_step,
    facts_of,
    field_text,
    happened_on,
    inspection_of,
    issue,
    link,
    link_case,
    number_for,
    open_step,
    party_from,
    plain,
    take,
    visible,
)
from .models import Execution, ExecutionMode, ExecutionStep, Measure, Power
from .workflow import EXECUTION_EDGES


def _execution_step(execution: Execution, edge: workflow.Edge, actor: Actor, **kwargs: Any) -> None:
    add_step(ExecutionStep, {"execution": execution}, execution, edge, actor, verb_prefix="enforcement",
             **kwargs)


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    _require(value in choices.values, f"{label}应为：{'、'.join(choices.values)}", "choice_invalid", field)
    return value


@transaction.atomic
def execution_create(*, actor: User, inspection_number: str, catalog_code: str, power: str, mode: str,
                     decision_reference: str, decision_served_on: Any, obligation: str, principal: Any = None,
                     payment_due: Any = None, late_fee_rate: Any = None, remedy_ends: Any = None,
                     measure_id: int | None = None, case_number: str = "") -> Execution:
    """登记 the execution of a decision the party did not perform. A sum (`principal`) falling due on
    `payment_due` carries late fees at `late_fee_rate` a day (default 3 %, 行政处罚法 第七十二条), never above the sum
    (行政强制法 第四十五条). The review/lawsuit period ends 6 months after the decision was served unless given."""
    edge = open_step(EXECUTION_EDGES, "create", actor)
    served = happened_on(decision_served_on, "decision_served_on", "行政决定送达日期", default_today=False)
    inspection = inspection_of(actor, inspection_number)
    card = require_item_in_force(code=str(catalog_code).strip(), on=served, action_types=("coercion",))
    amount = parse_amount(principal, "principal", "金钱给付义务")
    due = parse_date(payment_due, "payment_due", "缴纳期限") if payment_due not in (None, "") else None
    _require(not (amount and due is None), "金钱给付义务应写明缴纳期限", "payment_due_required", "payment_due")
    _require(due is None or due >= served, "缴纳期限不能早于决定送达日期", "date_order", "payment_due")
    rate = Decimal(str(late_fee_rate)) if late_fee_rate not in (None, "") else (
        deadlines.LATE_FEE_RATE if amount else Decimal(0))
    _require(Decimal(0) <= rate <= deadlines.LATE_FEE_RATE, "加处罚款的日比例应在 0 与 3% 之间（行政处罚法第七十二条）",
             "late_fee_rate_invalid", "late_fee_rate")
    ends = parse_date(remedy_ends, "remedy_ends", "复议、诉讼期限届满日") if remedy_ends not in (None, "") \
        else deadlines.remedy_period_ends(served)
    _require(ends >= served, "复议、诉讼期限届满日不能早于决定送达日期", "date_order", "remedy_ends")
    execution = Execution(
        **party_from(inspection), department=actor.department, catalog_code=card.code,
        number=number_for(Execution, "QZZX"), power=_choice(power, Power, "power", "执行方式"),
        mode=_choice(mode, ExecutionMode, "mode", "强制执行方式"),
        decision_reference=field_text(decision_reference, "decision_reference", "所执行的行政决定文号", max_len=100),
        decision_served_on=served, obligation=field_text(obligation, "obligation", "应履行的义务"), principal=amount,
        payment_due=due, late_fee_rate=rate if amount else Decimal(0), remedy_ends=ends, created_by=actor,
        status=edge.target)
    if measure_id:
        measure = Measure.objects.get_visible(actor, pk=measure_id)
        _require(measure.party_code == execution.party_code, "查封、扣押措施的当事人与被执行人不一致",
                 "measure_party_mismatch", "measure_id")
        execution.measure = measure
    if case_number:
        link(execution, actor, case_number)
    execution.save()
    _execution_step(execution, edge, actor, on=timezone.localdate(), data={
        "power": execution.power, "mode": execution.mode, "decision": execution.decision_reference,
        "principal": amount, "case": execution.case_number})
    return execution


def accrued_late_fee(execution: Execution, on: dt.date) -> Decimal:
    """Late fees accrued by `on` (0 without a sum or a rate), capped at the principal (第四十五条)."""
    if not execution.principal or not execution.payment_due or not execution.late_fee_rate:
        return Decimal("0.00")
    return deadlines.late_fee(principal=execution.principal, payment_due=execution.payment_due, on=on,
                              rate=execution.late_fee_rate)


@transaction.atomic
def execution_demand(*, actor: User, execution_id: int, served_on: Any, deadline: Any, manner: str,
                     amount: Any = None, late_fee: Any = None) -> Execution:
    """催告: in writing, with the deadline and manner of performance, the sum and the party's right to state and
    defend (行政强制法 第三十五条); late fees stated never above the principal (第四十五条)."""
    execution = visible(Execution, actor, execution_id)
    edge = take(EXECUTION_EDGES, execution, "demand", actor)
    served = happened_on(served_on, "served_on", "催告书送达日期", default_today=False)
    take(EXECUTION_EDGES, execution, "demand", actor, on=served)
    last = parse_date(deadline, "deadline", "履行期限")
    _require(last > served, "履行期限应晚于催告书送达日期", "date_order", "deadline")
    sum_due = parse_amount(amount, "amount", "金额")
    if sum_due is None:
        sum_due = execution.principal
    _require(sum_due is None or execution.principal is None or sum_due <= execution.principal,
             "催告金额不能超过金钱给付义务的数额", "amount_above_principal", "amount")
    fee = parse_amount(late_fee, "late_fee", "加处罚款或滞纳金")
    if fee is None:
        fee = accrued_late_fee(execution, served) if execution.principal else None
    _require(fee is None or (execution.principal is not None and fee <= execution.principal),
             "加处罚款或者滞纳金的数额不得超出金钱给付义务的数额（行政强制法第四十五条）", "late_fee_above_principal",
             "late_fee")
    execution.status = edge.target
    execution.demand_served_on, execution.demand_deadline = served, last
    execution.demand_manner = field_text(manner, "manner", "履行方式", max_len=200)
    execution.demand_amount, execution.demand_late_fee = sum_due, fee
    issued = issue(actor, "demand_notice", execution, {
        "decision": {"number": execution.decision_reference,
                     "date": execution.decision_served_on.isoformat()},
        "obligation": execution.obligation, "amount": plain(sum_due) if sum_due is not None else "",
        "late_fee": plain(fee) if fee is not None else "", "deadline": last.isoformat(),
        "manner": execution.demand_manner, "statement_due": deadlines.statement_due(served).isoformat(),
        "rights": "当事人收到催告书后有权进行陈述和申辩（《中华人民共和国行政强制法》第三十六条）",
        "court": execution.power == Power.COURT, "contact": {"name": actor.full_name, "phone": actor.phone},
        "date": served.isoformat()})
    execution.demand_number = issued.number
    execution.save()
    _execution_step(execution, edge, actor, on=served, document=issued, data={
        "deadline": last, "amount": sum_due, "late_fee": fee,
        "court_earliest": deadlines.court_earliest(served) if execution.power == Power.COURT else None})
    return execution


@transaction.atomic
def execution_hear(*, actor: User, execution_id: int, statement: str = "", waived: bool = False,
                   upheld: bool = False, on: Any = None) -> Execution:
    """陈述、申辩: the party's facts, reasons and evidence recorded and checked; those that hold are adopted
    (行政强制法 第三十六条) — an upheld objection stops the execution."""
    execution = visible(Execution, actor, execution_id)
    edge = take(EXECUTION_EDGES, execution, "hear", actor)
    day = happened_on(on, "on", "听取日期")
    _require(day >= execution.demand_served_on, "听取日期不能早于催告书送达日期", "date_order", "on")
    text = str(statement or "").strip()
    _require(text or waived, "应记录当事人的陈述申辩，或注明当事人放弃", "statement_required", "statement")
    execution.status, execution.heard_on = edge.target, day
    execution.statement, execution.statement_waived = text, bool(waived) and not text
    execution.objection_upheld = bool(upheld) and bool(text)
    execution.save()
    _execution_step(execution, edge, actor, on=day, note=text or "当事人放弃陈述申辩",
                    data={"upheld": execution.objection_upheld})
    return execution


def _execution_decision(actor: Actor, execution: Execution, day: dt.date, reason: str,
                        immediate: bool) -> documents.Issued:
    issued = issue(actor, "enforcement_decision", execution, {
        "decision": {"number": execution.decision_reference,
                     "date": execution.decision_served_on.isoformat()},
        "demand": {"number": execution.demand_number, "date": execution.demand_served_on.isoformat()},
        "statements": execution.statement or ("当事人未陈述申辩" if not immediate else ""),
        "reason": reason, "basis": "《中华人民共和国行政强制法》第三十七条" + ("第三款" if immediate else ""),
        "manner": execution.get_mode_display(), "time": day.isoformat(), "immediate": immediate,
        "date": day.isoformat()})
    execution.decided_on, execution.immediate, execution.decision_number = day, immediate, issued.number
    behaviour_record(actor, execution, kind=CoercionKind.ENFORCEMENT,
               name=f"强制执行（{execution.party_name}）", decision_number=issued.number,
               facts=execution.obligation, basis=execution.decision_reference, starts_on=day,
               enforcement_type=str(execution.get_mode_display()))
    return issued


@transaction.atomic
def execution_decide(*, actor: User, execution_id: int, reason: str, on: Any = None) -> Execution:
    """强制执行决定: in writing, after the 催告 deadline passed without performance and without a valid reason
    (行政强制法 第三十七条); for late fees, only after they ran more than 30 days and a 催告 (第四十六条)."""
    execution = visible(Execution, actor, execution_id)
    edge = take(EXECUTION_EDGES, execution, "decide", actor)
    day = happened_on(on, "on", "决定日期")
    take(EXECUTION_EDGES, execution, "decide", actor, on=day)
    reason = field_text(reason, "reason", "强制执行的理由")
    execution.status = edge.target
    issued = _execution_decision(actor, execution, day, reason, immediate=False)
    execution.save()
    _execution_step(execution, edge, actor, on=day, note=reason, document=issued)
    return execution


@transaction.atomic
def execution_decide_immediately(*, actor: User, execution_id: int, reason: str, on: Any = None) -> Execution:
    """立即强制执行决定: during the 催告 period, on evidence that the party is moving or hiding assets (行政强制法
    第三十七条第三款)."""
    execution = visible(Execution, actor, execution_id)
    edge = take(EXECUTION_EDGES, execution, "decide_immediately", actor)
    reason = field_text(reason, "reason", "转移或者隐匿财物的证据")
    day = happened_on(on, "on", "决定日期")
    take(EXECUTION_EDGES, execution, "decide_immediately", actor, on=day)
    execution.status = edge.target
    issued = _execution_decision(actor, execution, day, reason, immediate=True)
    execution.save()
    _execution_step(execution, edge, actor, on=day, note=reason, document=issued)
    return execution


def court_dates(execution: Execution) -> dict[str, dt.date | None]:
    """The court application's window: after the 催告 + 10 working days (第五十四条) and after the review/lawsuit
    period, within 3 months of its end (第五十三条)."""
    return workflow.court_dates(facts_of(execution, None, "apply_court", None))


@transaction.atomic
def execution_apply_court(*, actor: User, execution_id: int, court: str, on: Any = None) -> Execution:
    """申请人民法院强制执行: a body without the power of execution applies after the period for review and
    lawsuit has passed, within 3 months (行政强制法 第五十三条), at least 10 working days after the 催告书 was
    served (第五十四条, 第六十九条)."""
    execution = visible(Execution, actor, execution_id)
    edge = take(EXECUTION_EDGES, execution, "apply_court", actor)
    day = happened_on(on, "on", "申请日期")
    take(EXECUTION_EDGES, execution, "apply_court", actor, on=day)
    execution.status, execution.applied_on = edge.target, day
    execution.court = field_text(court, "court", "受理法院", max_len=100)
    behaviour_record(actor, execution, kind=CoercionKind.ENFORCEMENT,
                     name=f"申请法院强制执行（{execution.party_name}）",
               decision_number=execution.demand_number, facts=execution.obligation,
               basis=execution.decision_reference, starts_on=day,
               # 申请人民法院强制执行 (第五十三条) is no mode of 第十二条: the dictionary's 其他强制执行方式.
               enforcement_type="其他强制执行方式")
    execution.save()
    _execution_step(execution, edge, actor, on=day, note=execution.court)
    return execution


def _collected(execution: Execution, value: Any) -> Decimal | None:
    amount = parse_amount(value, "collected", "执行到位金额")
    if amount is not None and execution.principal is not None:
        _require(amount <= execution.principal * 2, "执行到位金额不能超过本金与加处罚款之和（第四十五条）",
                 "collected_above_cap", "collected")
    return amount


def _finish(execution: Execution, action: str, actor: Actor, *, on: Any, result: str, collected: Any = None,
            label: str = "执行结果") -> Execution:
    edge = take(EXECUTION_EDGES, execution, action, actor)
    day = happened_on(on, "on", "日期")
    started = execution.decided_on or execution.applied_on or execution.demand_served_on
    _require(started is None or day >= started, "日期不能早于上一步骤", "date_order", "on")
    execution.status, execution.ended_on = edge.target, day
    execution.result = field_text(result, "result", label)
    execution.collected = _collected(execution, collected)
    execution.save()
    amend_behaviour(actor, execution, label, result=execution.result[:50])
    _execution_step(execution, edge, actor, on=day, note=execution.result,
                    data={"collected": execution.collected})
    return execution


@transaction.atomic
def execution_execute(*, actor: User, execution_id: int, result: str, collected: Any = None,
                      on: Any = None) -> Execution:
    """执行 by the mode decided (第十二条): the outcome and the sum collected."""
    return _finish(visible(Execution, actor, execution_id), "execute", actor, on=on, result=result,
                   collected=collected)


@transaction.atomic
def execution_court_enforce(*, actor: User, execution_id: int, result: str, collected: Any = None,
                            on: Any = None) -> Execution:
    """The court ruled to enforce and enforced (行政强制法 第五十七条)."""
    return _finish(visible(Execution, actor, execution_id), "court_enforce", actor, on=on, result=result,
                   collected=collected, label="法院裁定及执行情况")


@transaction.atomic
def execution_court_refuse(*, actor: User, execution_id: int, reason: str, on: Any = None) -> Execution:
    """The court ruled not to enforce (行政强制法 第五十八条)."""
    return _finish(visible(Execution, actor, execution_id), "court_refuse", actor, on=on, result=reason,
                   label="不予执行的裁定及理由")


@transaction.atomic
def execution_comply(*, actor: User, execution_id: int, result: str = "当事人已履行义务", collected: Any = None,
                     on: Any = None) -> Execution:
    """The party performed (at any step before the end)."""
    return _finish(visible(Execution, actor, execution_id), "comply", actor, on=on, result=result,
                   collected=collected, label="履行情况")


@transaction.atomic
def execution_terminate(*, actor: User, execution_id: int, reason: str, on: Any = None) -> Execution:
    """终结执行 (行政强制法 第四十条): the decision revoked, the party gone without assets or successor, an upheld
    objection …; decided by the head."""
    return _finish(visible(Execution, actor, execution_id), "terminate", actor, on=on, result=reason,
                   label="终结理由")


EXECUTION_SERVICES = {"demand": execution_demand, "hear": execution_hear, "decide": execution_decide,
                      "decide_immediately": execution_decide_immediately,
                      "apply_court": execution_apply_court, "execute": execution_execute,
                      "court_enforce": execution_court_enforce, "court_refuse": execution_court_refuse,
                      "comply": execution_comply, "terminate": execution_terminate}


def execution_transition(*, actor: User, execution_id: int, action: str, **fields: Any) -> Execution:
    """One step by name; an unknown action or one not open now is refused with the open actions (409)."""
    execution = Execution.objects.get_visible(actor, pk=execution_id)
    workflow.edge(EXECUTION_EDGES, execution.status, action)
    return call_step(EXECUTION_SERVICES[action], action, actor=actor, execution_id=execution_id, **fields)


@transaction.atomic
def execution_link_case(*, actor: User, execution_id: int, case_number: str) -> Execution:
    """Link an execution to its case; its steps so far are appended to the case's history."""
    return link_case(visible(Execution, actor, execution_id), actor, case_number, verb_prefix="enforcement")
