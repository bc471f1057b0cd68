"""Writes of 行政强制: coercive measures (request → head's approval → implementation, or on the spot in an
emergency and approved within 24 hours; extension, testing time, release, disposal) and compulsory enforcement
(催告 → 陈述申辩 → 强制执行决定 → 执行, or an application to court). Each step checks the transition table
(`workflow.py`), the person's role, the step's guards from law, issues its document through
`documents.contracts.issue`, adds a step to the record's timeline, appends to the linked case's history and
records the audit event — in one transaction.

Law: 行政强制法 (2011) arts. 9, 12, 17–28, 32, 35–38, 45–46, 53–54, 69; 行政处罚法 art. 72 (late fees);
enforcement.md §3. Clocks: `deadlines.py`.
"""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.contracts import credentials_on
from jianguan.accounts.models import Department, User
from jianguan.audit import contracts as audit
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.behaviour.models import Coercion, CoercionKind, Inspection
from jianguan.catalog.contracts import require_item_in_force
from jianguan.core import replay
from jianguan.core.errors import InvalidTransition, NotFound, ValidationFailed
from jianguan.core.numbering import daily_number
from jianguan.core.roles import Role
from jianguan.core.validation import day, parse_amount, parse_date, text
from jianguan.core.validation import require as _require
from jianguan.documents import contracts as documents
from jianguan.enforcement import contracts as cases

from . import deadlines, workflow
from .models import (
    GOODS_KINDS,
    Enforcement,
    EnforcementMode,
    EnforcementStep,
    Measure,
    MeasureItem,
    MeasureKind,
    MeasureStep,
    Power,
)
from .workflow import ENFORCEMENT_EDGES, MEASURE_EDGES, NEW

RELEASE_BASIS = "《中华人民共和国行政强制法》第二十八条"
MAX_ITEMS = 500


_text = partial(text, max_len=2000)  # a required text of a measure or an enforcement, 2000 characters at most


def _day(value: Any, field: str, label: str, *, default_today: bool = True) -> dt.date:
    """A date of something that has happened (today when not given, unless `default_today` is off)."""
    return day(value, field, label, default=timezone.localdate() if default_today else None)


# Who may act -----------------------------------------------------------------------------------------------------

def _is_officer(actor: Any, department_id: int) -> bool:
    return workflow.is_officer(actor, department_id)


def _is_head(actor: Any, department_id: int, region_id: str) -> bool:
    return workflow.is_head(actor, department_id)


def _proposer(row: Any) -> int | None:
    """The 提出人 of a measure (who requested it or acted in an emergency) or of a compulsory enforcement."""
    return getattr(row, "requested_by_id", None) or getattr(row, "created_by_id", None)


def _facts(row: Any, actor: Any, action: str, on: dt.date | None) -> workflow.Facts:
    """What the table may know of the measure or enforcement `row` for `action` by `actor` on the day `on`."""
    if isinstance(row, Measure):
        return workflow.Facts(row.status, actor, row.department_id, _proposer(row), action, on,
                              goods=row.kind in GOODS_KINDS, extension_days=row.extension_days,
                              starts_on=row.starts_on, due_on=row.due_on)
    return workflow.Facts(row.status, actor, row.department_id, _proposer(row), action, on, power=row.power,
                          objection_upheld=row.objection_upheld, decision_served_on=row.decision_served_on,
                          payment_due=row.payment_due, principal=row.principal, late_fee_rate=row.late_fee_rate,
                          demand_served_on=row.demand_served_on, demand_deadline=row.demand_deadline,
                          remedy_ends=row.remedy_ends)


def _take(edges: tuple[workflow.Edge, ...], row: Any, action: str, actor: Any, *,
          on: dt.date | None = None) -> workflow.Edge:
    """The edge for `action` on `row`, if the actor may take it and its guards hold (InvalidTransition 409,
    AccessDenied 403, or the guard's refusal). Guards of the step's day hold until `on` is given: a service calls
    again with the day once it has read it."""
    return workflow.table(edges).check(action, _facts(row, actor, action, on))


def actions_for(actor: Any, row: Any, edges: tuple[workflow.Edge, ...]) -> list[str]:
    """The steps open in the record's state that this person may take (what a page offers)."""
    officer = _is_officer(actor, row.department_id)
    head = _is_head(actor, row.department_id, row.region_id)
    return [e.action for e in edges if e.source == row.status and workflow.may(e, officer=officer, head=head)]


def _visible(model: type, actor: Any, pk: int, *, lock: bool = True) -> Any:
    """The record, locked for the step, if the actor may see it (404 otherwise)."""
    rows = model.objects.select_for_update() if lock else model.objects.all()
    row = rows.get_visible(actor, pk=pk)
    return row


# Shared pieces -----------------------------------------------------------------------------------------------

def _number(model: type, prefix: str) -> str:
    """QZCS2026120700001 / QZZX2026120700001, per day (taken under the day's sequence row lock)."""
    return daily_number(prefix, timezone.localdate(), issued=model.objects)


def _inspection(actor: Any, number: str) -> Inspection:
    """The 行政检查行为 that found the facts (every 行政强制行为 points back to one; behaviour-records.md §4)."""
    number = _text(number, "inspection_number", "检查行为编号", max_len=50)
    found = Inspection.objects.visible_to(actor).select_related("region").filter(number=number).first()
    _require(found, f"检查行为编号“{number}”不存在", "inspection_unknown", "inspection_number")
    return found


def _party_from(inspection: Inspection) -> dict[str, Any]:
    return {"entity_id": inspection.entity_id, "party_name": inspection.party_name,
            "party_code": inspection.party_code, "party_nature": inspection.party_nature,
            "party_address": inspection.registered_address or inspection.business_address,
            "region_id": inspection.region_id, "inspection_number": inspection.number}


def _party_context(row: Any) -> dict[str, Any]:
    return {"kind": "person" if row.party_nature == "person" else "organisation", "name": row.party_name,
            "code": row.party_code, "address": row.party_address}


def _review(department: Department) -> dict[str, str]:
    """The remedies paragraph: the 复议机关 (行政复议法 (2023) 第二十四条) and the court, as for every decision
    (documents.remedies)."""
    return documents.remedies(department)


def officers_on(usernames: list[str], department_id: int, day: dt.date) -> list[dict[str, str]]:
    """At least two officers of the acting body, each holding an 执法证 valid on `day` (行政强制法 第十八条第二项,
    第十七条第三款); returned with the credential number printed on the documents."""
    names = [str(u).strip() for u in usernames or [] if str(u).strip()]
    _require(len(set(names)) >= 2, "实施行政强制措施的执法人员不得少于两人（行政强制法第十八条）", "officers_too_few",
             "officers")
    _require(len(set(names)) == len(names), "执法人员重复", "officers_duplicate", "officers")
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    held = credentials_on(users.values(), day)
    chosen = []
    for name in names:
        user = users.get(name)
        _require(user, f"执法人员“{name}”不存在", "officer_unknown", "officers")
        _require(user.department_id == department_id, f"“{user.full_name}”不是本机关的执法人员",
                 "officer_other_department", "officers")
        credential = held.get(user.pk)
        _require(credential, f"“{user.full_name}”在 {day} 没有有效的执法证", "credential_invalid", "officers")
        chosen.append({"username": user.username, "name": user.full_name, "credential": credential.number})
    return chosen


def clean_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The 场所、设施、财物清单 (第二十四条): each row a name, a quantity above zero and its unit; spec and condition
    when known."""
    _require(items, "清单至少应有一项（行政强制法第二十四条）", "items_required", "items")
    _require(len(items) <= MAX_ITEMS, f"清单最多 {MAX_ITEMS} 项", "items_too_many", "items")
    clean = []
    for index, item in enumerate(items):
        where = f"items.{index}"
        unknown = set(item) - {"name", "spec", "quantity", "unit", "condition"}
        _require(not unknown, f"清单第 {index + 1} 项有不允许的字段：{'、'.join(sorted(unknown))}",
                 "item_field_unknown", where)
        quantity = parse_amount(item.get("quantity"), f"{where}.quantity", "数量")
        _require(quantity is not None and quantity > 0, f"清单第 {index + 1} 项的数量应大于 0", "item_quantity_invalid",
                 f"{where}.quantity")
        clean.append({"name": _text(item.get("name"), f"{where}.name", "名称", max_len=200),
                      "spec": str(item.get("spec") or "").strip()[:200],
                      "quantity": Decimal(str(item["quantity"])).normalize(),
                      "unit": _text(item.get("unit"), f"{where}.unit", "单位", max_len=20),
                      "condition": str(item.get("condition") or "").strip()[:200]})
    return clean


def _items_context(measure: Measure) -> list[dict[str, str]]:
    return [{"name": i.name, "spec": i.spec, "quantity": _plain(i.quantity), "unit": i.unit, "note": i.condition,
             "condition": i.condition} for i in measure.items.all()]


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def _issue(actor: Any, kind: str, row: Any, context: dict[str, Any]) -> documents.Issued:
    return documents.issue(actor=actor, kind=kind, department=row.department, subject=f"coercion:{row.number}",
                           context={"party": _party_context(row), "review": _review(row.department), **context})


def _step(step_model: type, owner: dict[str, Any], row: Any, edge: workflow.Edge, actor: Any, *, on: dt.date,
          note: str = "", data: dict[str, Any] | None = None, document: documents.Issued | None = None,
          verb_prefix: str) -> None:
    """The timeline step, the case's history (when linked) and the audit event of one transition."""
    data = {key: value for key, value in (data or {}).items() if value not in (None, "", [], {})}
    step_model.objects.create(**owner, action=edge.action, old=edge.source, new=edge.target, on=on,
                              actor=actor.as_actor_ref().label[:200], note=note, data=_jsonable(data),
                              document_id=document.id if document else None,
                              document_title=document.title if document else "",
                              document_number=document.number if document else "")
    verb = f"coercion.{verb_prefix}_{edge.action}"
    payload = {"number": row.number, "from": edge.source, "to": edge.target, "on": on, **data}
    if document:
        payload["document"] = {"id": document.id, "number": document.number, "digest": document.digest}
    if row.case_id:
        cases.case_append_event(actor=actor, case_id=row.case_id, verb=verb, data=_jsonable(payload),
                                document_id=document.id if document else None)
    record(actor=actor, verb=verb, target=row, data={**payload, **_recorded_state(row)})


STATE_KEY = "record_state"


def _recorded_state(row: Any) -> dict[str, Any]:
    """The row's columns changed since its history's last recorded state, for the audit event of the step: the
    measure's or enforcement's state is the replay of its audit events (`jianguan coercion verify`, ADR 0023)."""
    history = audit.target_payloads(target_type=row._meta.label_lower, target_id=str(row.pk))
    changes = replay.changes(replay.fold(p.get(STATE_KEY) for p in history if isinstance(p, dict)),
                             replay.state_of(type(row), row.pk))
    return {STATE_KEY: changes} if changes else {}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _plain(value)
    return value


def _case(actor: Any, number: str) -> Any:
    """The enforcement case a coercive act belongs to, if the actor may see it (a case number is not a secret to
    guess: an unknown or invisible one reads the same)."""
    try:
        return cases.case_card(number=number, reader=actor)
    except NotFound:
        raise ValidationFailed(f"案件“{number}”不存在或无权访问", code="case_unknown", field="case_number") from None


def _link(row: Any, actor: Any, case_number: str) -> Any:
    number = _text(case_number, "case_number", "案件编号", max_len=50)
    card = _case(actor, number)
    _require(card.department_id == row.department_id, "案件不属于实施本行为的机关", "case_other_department",
             "case_number")
    _require(not (card.entity_uscc and row.party_code and card.entity_uscc != row.party_code),
             "案件当事人与本行为的当事人不一致", "case_party_mismatch", "case_number")
    row.case_number, row.case_id = card.number, card.id
    return card


def _behaviour(actor: Any, row: Any, *, kind: str, name: str, decision_number: str, facts: str, basis: str,
               starts_on: dt.date, measure_type: str = "", enforcement_type: str = "") -> None:
    """The 行政强制行为 record of the behaviour library (behaviour-records.md §4), numbered as the act."""
    behaviour.coercion_record(
        actor=actor, department=row.department, catalog_code=row.catalog_code,
        inspection_number=row.inspection_number, number=row.number, name=name[:400], kind=kind,
        decision_number=decision_number, facts=facts[:1000], basis=basis[:1000], starts_on=starts_on,
        measure_type=measure_type[:50], enforcement_type=enforcement_type[:50])
    row.behaviour_number = row.number


def _amend_behaviour(actor: Any, row: Any, reason: str, **changes: Any) -> None:
    """Write what happened after the act (强制结果, 结束时间, 延长期限; behaviour-records.md §4) into its 行政强制行为
    as the record's next version."""
    if row.behaviour_number:
        behaviour.record_amend(actor=actor, model=Coercion, number=row.behaviour_number, changes=changes,
                               reason=reason)


# 行政强制措施 --------------------------------------------------------------------------------------------------

def _measure_step(measure: Measure, edge: workflow.Edge, actor: Any, **kwargs: Any) -> None:
    _step(MeasureStep, {"measure": measure}, measure, edge, actor, verb_prefix="measure", **kwargs)


def _kind(kind: str, kind_note: str) -> tuple[str, str]:
    _require(kind in MeasureKind.values, f"措施种类应为：{'、'.join(MeasureKind.values)}", "kind_invalid", "kind")
    note = str(kind_note or "").strip()
    _require(kind != MeasureKind.OTHER or note, "其他行政强制措施应写明措施名称及其法律依据", "kind_note_required",
             "kind_note")
    return kind, note


def _days(days: Any, field: str, label: str, limit: int) -> int:
    try:
        value = int(days)
    except (TypeError, ValueError):
        value = 0
    _require(1 <= value <= limit, f"{label}应为 1 至 {limit} 日（行政强制法第二十五条、第三十二条）",
             f"{field}_out_of_range", field)
    return value


def _new_measure(*, actor: Any, kind: str, inspection_number: str, catalog_code: str, facts: str, basis: str,
                 items: list[dict[str, Any]], officers: list[str], days: Any, on: dt.date, place: str,
                 kind_note: str, case_number: str, status: str) -> Measure:
    _require(getattr(actor, "is_person", False) and actor.has_role(Role.OFFICER, Role.DEPARTMENT_ADMIN),
             "只有执法人员可以提出行政强制措施", "not_allowed_for_role")
    kind, kind_note = _kind(kind, kind_note)
    inspection = _inspection(actor, inspection_number)
    card = require_item_in_force(code=str(catalog_code).strip(), on=on, action_types=("coercion",))
    measure = Measure(
        **_party_from(inspection), department=actor.department, catalog_code=card.code, number=_number(Measure, "QZCS"),
        kind=kind, kind_note=kind_note, facts=_text(facts, "facts", "理由（违法事实）"),
        basis=_text(basis, "basis", "依据"), place=str(place or "").strip()[:200], status=status,
        requested_by=actor, officers=officers_on(officers, actor.department_id, on),
        days=_days(days, "days", "期限", deadlines.MEASURE_MAX_DAYS))
    rows = clean_items(items)
    if case_number:
        _link(measure, actor, case_number)
    measure.save()
    MeasureItem.objects.bulk_create(MeasureItem(measure=measure, seq=n, **row) for n, row in enumerate(rows, 1))
    return measure


@transaction.atomic
def measure_request(*, actor: User, kind: str, inspection_number: str, catalog_code: str, facts: str, basis: str,
                    items: list[dict[str, Any]], officers: list[str], days: int = deadlines.MEASURE_MAX_DAYS,
                    place: str = "", kind_note: str = "", case_number: str = "") -> Measure:
    """报请批准: an officer proposes a measure with its reasons, basis, item list, period (≤30 days) and the two or
    more officers who will carry it out; the head approves it before it is taken (行政强制法 第十八条第一项)."""
    edge = workflow.edge(MEASURE_EDGES, NEW, "request")
    today = timezone.localdate()
    measure = _new_measure(actor=actor, kind=kind, inspection_number=inspection_number, catalog_code=catalog_code,
                           facts=facts, basis=basis, items=items, officers=officers, days=days, on=today,
                           place=place, kind_note=kind_note, case_number=case_number, status=edge.target)
    _measure_step(measure, edge, actor, on=today, data={"kind": kind, "days": measure.days,
                                                        "items": measure.items.count(), "case": measure.case_number})
    return measure


def _word(measure: Measure) -> str:
    """The measure's word in the documents' titles and sentences: 查封, 扣押, 冻结, or the other measure's name."""
    if measure.kind == MeasureKind.OTHER:
        return measure.kind_note
    return {MeasureKind.SEIZE: "扣押", MeasureKind.FREEZE: "冻结"}.get(measure.kind, "查封")


def _decision(actor: Any, measure: Measure) -> documents.Issued:
    """查封（扣押）决定书 with its 清单, handed over on the spot (第二十四条)."""
    return _issue(actor, "seizure_decision", measure, {
        "measure": _word(measure), "kind": measure.kind, "kind_label": measure.get_kind_display(),
        "witness": measure.witness, "reason": measure.facts, "basis": measure.basis,
        "period_days": measure.days, "start": measure.starts_on.isoformat(), "end": measure.due_on.isoformat(),
        "items": _items_context(measure), "keep_place": measure.place, "officers": measure.officers,
        "emergency": measure.emergency, "date": measure.starts_on.isoformat()})


def _take_effect(actor: Any, measure: Measure, starts_on: dt.date) -> documents.Issued:
    measure.starts_on = starts_on
    measure.due_on = deadlines.measure_due(starts_on=starts_on, days=measure.days)
    issued = _decision(actor, measure)
    measure.decision_number, measure.decision_document_id = issued.number, issued.id
    _behaviour(actor, measure, kind=CoercionKind.MEASURE, name=f"{measure.get_kind_display()}（{measure.party_name}）",
               decision_number=issued.number, facts=measure.facts, basis=measure.basis, starts_on=starts_on,
               measure_type=str(measure.get_kind_display()))
    return issued


def _witness(party_present: bool, witness: str) -> str:
    witness = str(witness or "").strip()
    _require(party_present or witness, "当事人不到场的，应当邀请见证人到场并在现场笔录上签名（行政强制法第十八条）",
             "witness_required", "witness")
    return witness[:100]


@transaction.atomic
def measure_act_emergency(*, actor: User, kind: str, inspection_number: str, catalog_code: str, facts: str,
                          basis: str, items: list[dict[str, Any]], officers: list[str], acted_at: dt.datetime,
                          days: int = deadlines.MEASURE_MAX_DAYS, place: str = "", kind_note: str = "",
                          party_present: bool = True, witness: str = "", case_number: str = "") -> Measure:
    """情况紧急，当场实施: the officers act first and hand over the decision and the list; the head must be
    reported to and approve within 24 hours, or the measure is released (行政强制法 第十九条)."""
    edge = workflow.edge(MEASURE_EDGES, NEW, "act_emergency")
    _require(isinstance(acted_at, dt.datetime), "当场实施时间应为日期时间", "datetime_invalid", "acted_at")
    if timezone.is_naive(acted_at):
        acted_at = timezone.make_aware(acted_at)
    _require(acted_at <= timezone.now(), "当场实施时间不能晚于现在", "date_in_future", "acted_at")
    day = timezone.localdate(acted_at)
    measure = _new_measure(actor=actor, kind=kind, inspection_number=inspection_number, catalog_code=catalog_code,
                           facts=facts, basis=basis, items=items, officers=officers, days=days, on=day, place=place,
                           kind_note=kind_note, case_number=case_number, status=edge.target)
    measure.emergency, measure.acted_at = True, acted_at
    measure.approval_due = deadlines.emergency_approval_due(acted_at)
    measure.party_present, measure.witness = bool(party_present), _witness(party_present, witness)
    issued = _take_effect(actor, measure, day)
    measure.save()
    _measure_step(measure, edge, actor, on=day, document=issued, data={
        "kind": kind, "days": measure.days, "acted_at": acted_at, "approval_due": measure.approval_due,
        "officers": measure.officers, "witness": measure.witness, "case": measure.case_number})
    return measure


@transaction.atomic
def measure_approve(*, actor: User, measure_id: int, note: str = "") -> Measure:
    """负责人批准: in advance (第十八条第一项), or after an emergency measure (第十九条) — approval later than 24 hours
    is recorded as late."""
    measure = _visible(Measure, actor, measure_id)
    edge = _take(MEASURE_EDGES, measure, "approve", actor)
    now = timezone.now()
    measure.status, measure.approved_by, measure.approved_at = edge.target, actor, now
    late = bool(measure.approval_due and now > measure.approval_due)
    measure.save()
    _measure_step(measure, edge, actor, on=timezone.localdate(now), note=str(note or "").strip(),
                  data={"late": late} if measure.emergency else {})
    return measure


@transaction.atomic
def measure_refuse(*, actor: User, measure_id: int, reason: str) -> Measure:
    measure = _visible(Measure, actor, measure_id)
    edge = _take(MEASURE_EDGES, measure, "refuse", actor)
    reason = _text(reason, "reason", "不予批准理由")
    measure.status, measure.end_reason, measure.ended_on = edge.target, reason, timezone.localdate()
    measure.save()
    _measure_step(measure, edge, actor, on=measure.ended_on, note=reason)
    return measure


@transaction.atomic
def measure_implement(*, actor: User, measure_id: int, on: Any = None, officers: list[str] | None = None,
                      party_present: bool = True, witness: str = "", place: str = "") -> Measure:
    """实施: on the approved measure's day, two or more officers with credentials valid that day hand over the
    decision and the list (第十八条, 第二十四条); the period runs from that day."""
    measure = _visible(Measure, actor, measure_id)
    edge = _take(MEASURE_EDGES, measure, "implement", actor)
    day = _day(on, "on", "实施日期")
    _require(day >= timezone.localdate(measure.approved_at), "实施日期不能早于批准日期", "date_order", "on")
    measure.officers = officers_on(officers or [o["username"] for o in measure.officers], measure.department_id, day)
    measure.party_present, measure.witness = bool(party_present), _witness(party_present, witness)
    if place:
        measure.place = str(place).strip()[:200]
    measure.status = edge.target
    issued = _take_effect(actor, measure, day)
    measure.save()
    _measure_step(measure, edge, actor, on=day, document=issued,
                  data={"officers": measure.officers, "due_on": measure.due_on, "witness": measure.witness})
    return measure


@transaction.atomic
def measure_withdraw(*, actor: User, measure_id: int, reason: str) -> Measure:
    """An approved measure not carried out (the party removed the danger, the facts changed)."""
    measure = _visible(Measure, actor, measure_id)
    edge = _take(MEASURE_EDGES, measure, "withdraw", actor)
    reason = _text(reason, "reason", "撤回理由")
    measure.status, measure.end_reason, measure.ended_on = edge.target, reason, timezone.localdate()
    measure.save()
    _measure_step(measure, edge, actor, on=measure.ended_on, note=reason)
    return measure


@transaction.atomic
def measure_extend(*, actor: User, measure_id: int, days: Any, reason: str, on: Any = None) -> Measure:
    """延长期限: complex cases only, once, at most 30 days, on the head's approval with written reasons, decided
    within the period and told to the party in writing (行政强制法 第二十五条第一、二款; 冻结: 第三十二条)."""
    measure = _visible(Measure, actor, measure_id)
    edge = _take(MEASURE_EDGES, measure, "extend", actor)
    reason = _text(reason, "reason", "延长理由")
    extra = _days(days, "days", "延长期限", deadlines.EXTENSION_MAX_DAYS)
    day = _day(on, "on", "批准日期")
    _take(MEASURE_EDGES, measure, "extend", actor, on=day)
    measure.extension_days, measure.extension_reason = extra, reason
    measure.due_on = deadlines.measure_due(starts_on=measure.starts_on, days=measure.days, extension_days=extra,
                                           excluded_days=measure.excluded_days)
    issued = _issue(actor, "extension_decision", measure, {
        "measure": _word(measure), "original": {"number": measure.decision_number,
                                                            "date": measure.starts_on.isoformat()},
        "reason": reason, "extension_days": extra, "end": measure.due_on.isoformat(), "date": day.isoformat()})
    measure.save()
    _amend_behaviour(actor, measure, "延长期限", extension=f"{extra}日")
    _measure_step(measure, edge, actor, on=day, note=reason, document=issued,
                  data={"extension_days": extra, "due_on": measure.due_on})
    return measure


@transaction.atomic
def measure_test(*, actor: User, measure_id: int, starts_on: Any, ends_on: Any, agency: str,
                 notified_on: Any) -> Measure:
    """检测、检验、检疫或者技术鉴定: its period is stated and told to the party in writing, and is not counted in the
    measure's period (行政强制法 第二十五条第三款) — for goods and facilities held, not for 冻结 or premises."""
    measure = _visible(Measure, actor, measure_id)
    edge = _take(MEASURE_EDGES, measure, "test", actor)
    first = parse_date(starts_on, "starts_on", "检测开始日期")
    last = parse_date(ends_on, "ends_on", "检测结束日期")
    told = _day(notified_on, "notified_on", "书面告知日期", default_today=False)
    _require(first <= last, "检测结束日期不能早于开始日期", "date_order", "ends_on")
    _take(MEASURE_EDGES, measure, "test", actor, on=first)
    _require(measure.starts_on <= told <= first, "检测期间应在检测开始前（至迟当日）书面告知当事人",
             "testing_not_notified", "notified_on")
    for period in measure.testing:
        _require(last < dt.date.fromisoformat(period["from"]) or first > dt.date.fromisoformat(period["to"]),
                 "检测期间与已登记的期间重叠", "testing_overlap", "starts_on")
    days = (last - first).days + 1
    measure.testing = [*measure.testing, {"from": first.isoformat(), "to": last.isoformat(), "days": days,
                                          "agency": _text(agency, "agency", "检测机构", max_len=200),
                                          "notified_on": told.isoformat()}]
    measure.excluded_days += days
    measure.due_on = deadlines.measure_due(starts_on=measure.starts_on, days=measure.days,
                                           extension_days=measure.extension_days, excluded_days=measure.excluded_days)
    measure.save()
    _measure_step(measure, edge, actor, on=told, note=agency, data={"from": first, "to": last, "days": days,
                                                                    "due_on": measure.due_on})
    return measure


@transaction.atomic
def measure_release(*, actor: User, measure_id: int, reason: str, on: Any = None) -> Measure:
    """解除: no longer needed, unrelated to the wrong, or the period ended without a decision — released at once
    with a 解除行政强制措施决定书 (行政强制法 第二十八条); an emergency measure the head does not approve is released
    the same way (第十九条)."""
    measure = _visible(Measure, actor, measure_id)
    edge = _take(MEASURE_EDGES, measure, "release", actor)
    reason = _text(reason, "reason", "解除理由")
    day = _day(on, "on", "解除日期")
    _require(day >= measure.starts_on, "解除日期不能早于措施起始日期", "date_order", "on")
    measure.status, measure.ended_on, measure.end_reason = edge.target, day, reason
    issued = _issue(actor, "release_decision", measure, {
        "measure": _word(measure), "original": {"number": measure.decision_number,
                                                            "date": measure.starts_on.isoformat()},
        "reason": reason, "basis": RELEASE_BASIS, "items": _items_context(measure), "date": day.isoformat()})
    measure.save()
    _amend_behaviour(actor, measure, "解除", ends_on=day, result=f"解除：{reason}"[:50])
    _measure_step(measure, edge, actor, on=day, note=reason, document=issued,
                  data={"overdue": day > measure.due_on})
    return measure


@transaction.atomic
def measure_dispose(*, actor: User, measure_id: int, reason: str, on: Any = None) -> Measure:
    """依法处理: within the period the goods are dealt with by a decision (没收, 销毁 under a penalty decision, 划拨
    of frozen sums), which ends the measure (行政强制法 第二十五条, 第三十二条)."""
    measure = _visible(Measure, actor, measure_id)
    edge = _take(MEASURE_EDGES, measure, "dispose", actor)
    reason = _text(reason, "reason", "处理决定及理由")
    day = _day(on, "on", "处理日期")
    _take(MEASURE_EDGES, measure, "dispose", actor, on=day)
    measure.status, measure.ended_on, measure.end_reason = edge.target, day, reason
    measure.save()
    _amend_behaviour(actor, measure, "依法处理", ends_on=day, result=f"依法处理：{reason}"[:50])
    _measure_step(measure, edge, actor, on=day, note=reason)
    return measure


def _call(service: Any, action: str, **fields: Any) -> Any:
    """Call a step's service with the given fields: a field it does not take, or a required one left out, is
    refused by name (400)."""
    parameters = inspect.signature(service).parameters
    unknown = sorted(set(fields) - set(parameters))
    _require(not unknown, f"操作“{action}”不接受字段：{'、'.join(unknown)}", "field_unknown",
             unknown[0] if unknown else None)
    missing = [name for name, p in parameters.items() if p.default is inspect.Parameter.empty and name not in fields]
    _require(not missing, f"操作“{action}”缺少必填字段：{'、'.join(missing)}", "required",
             missing[0] if missing else None)
    return service(**fields)


MEASURE_SERVICES = {"approve": measure_approve, "refuse": measure_refuse, "implement": measure_implement,
                    "withdraw": measure_withdraw, "extend": measure_extend, "test": measure_test,
                    "release": measure_release, "dispose": measure_dispose}


def measure_transition(*, actor: User, measure_id: int, action: str, **fields: Any) -> Measure:
    """One step by name (the API's and the pages' entry point); an action the table does not know, or one not
    open in the measure's state, is refused with the open actions (409)."""
    measure = Measure.objects.get_visible(actor, pk=measure_id)
    workflow.edge(MEASURE_EDGES, measure.status, action)  # out of order: 409 with the allowed list
    return _call(MEASURE_SERVICES[action], action, actor=actor, measure_id=measure_id, **fields)


@transaction.atomic
def measure_link_case(*, actor: User, measure_id: int, case_number: str) -> Measure:
    """Link a measure taken before the case was opened to its case (a measure may precede the 立案); the measure's
    steps so far are appended to the case's history."""
    measure = _visible(Measure, actor, measure_id)
    _require(_is_officer(actor, measure.department_id) or _is_head(actor, measure.department_id, measure.region_id),
             "只有本机关执法人员或负责人可以关联案件", "not_allowed_for_role")
    if measure.case_id:
        raise InvalidTransition(f"已关联案件“{measure.case_number}”", code="case_already_linked", field="case_number")
    _link(measure, actor, case_number)
    measure.save(update_fields=["case_number", "case_id", "updated_at"])
    for step in measure.steps.order_by("at", "pk"):
        cases.case_append_event(actor=actor, case_id=measure.case_id, verb=f"coercion.measure_{step.action}",
                                data={"number": measure.number, "from": step.old, "to": step.new,
                                      "on": step.on.isoformat(), "note": step.note, **step.data},
                                document_id=step.document_id)
    record(actor=actor, verb="coercion.measure_case_linked", target=measure,
           data={"case": measure.case_number, **_recorded_state(measure)})
    return measure


# 行政强制执行 --------------------------------------------------------------------------------------------------

def _enforcement_step(enforcement: Enforcement, edge: workflow.Edge, actor: Any, **kwargs: Any) -> None:
    _step(EnforcementStep, {"enforcement": enforcement}, enforcement, edge, actor, verb_prefix="enforcement",
          **kwargs)


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    _require(value in choices.values, f"{label}应为：{'、'.join(choices.values)}", "choice_invalid", field)
    return value


@transaction.atomic
def enforcement_create(*, actor: User, inspection_number: str, catalog_code: str, power: str, mode: str,
                       decision_reference: str, decision_served_on: Any, obligation: str, principal: Any = None,
                       payment_due: Any = None, late_fee_rate: Any = None, remedy_ends: Any = None,
                       measure_id: int | None = None, case_number: str = "") -> Enforcement:
    """登记 the enforcement of a decision the party did not perform. A sum (`principal`) falling due on
    `payment_due` carries late fees at `late_fee_rate` a day (default 3 %, 行政处罚法 第七十二条), never above the sum
    (行政强制法 第四十五条). The review/lawsuit period ends 6 months after the decision was served unless given."""
    edge = workflow.edge(ENFORCEMENT_EDGES, NEW, "create")
    _require(getattr(actor, "is_person", False) and actor.has_role(Role.OFFICER, Role.DEPARTMENT_ADMIN),
             "只有执法人员可以登记强制执行", "not_allowed_for_role")
    served = _day(decision_served_on, "decision_served_on", "行政决定送达日期", default_today=False)
    inspection = _inspection(actor, inspection_number)
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
    enforcement = Enforcement(
        **_party_from(inspection), department=actor.department, catalog_code=card.code,
        number=_number(Enforcement, "QZZX"), power=_choice(power, Power, "power", "执行方式"),
        mode=_choice(mode, EnforcementMode, "mode", "强制执行方式"),
        decision_reference=_text(decision_reference, "decision_reference", "所执行的行政决定文号", max_len=100),
        decision_served_on=served, obligation=_text(obligation, "obligation", "应履行的义务"), principal=amount,
        payment_due=due, late_fee_rate=rate if amount else Decimal(0), remedy_ends=ends, created_by=actor,
        status=edge.target)
    if measure_id:
        measure = Measure.objects.get_visible(actor, pk=measure_id)
        _require(measure.party_code == enforcement.party_code, "查封、扣押措施的当事人与被执行人不一致",
                 "measure_party_mismatch", "measure_id")
        enforcement.measure = measure
    if case_number:
        _link(enforcement, actor, case_number)
    enforcement.save()
    _enforcement_step(enforcement, edge, actor, on=timezone.localdate(), data={
        "power": enforcement.power, "mode": enforcement.mode, "decision": enforcement.decision_reference,
        "principal": amount, "case": enforcement.case_number})
    return enforcement


def accrued_late_fee(enforcement: Enforcement, on: dt.date) -> Decimal:
    """Late fees accrued by `on` (0 without a sum or a rate), capped at the principal (第四十五条)."""
    if not enforcement.principal or not enforcement.payment_due or not enforcement.late_fee_rate:
        return Decimal("0.00")
    return deadlines.late_fee(principal=enforcement.principal, payment_due=enforcement.payment_due, on=on,
                              rate=enforcement.late_fee_rate)


@transaction.atomic
def enforcement_demand(*, actor: User, enforcement_id: int, served_on: Any, deadline: Any, manner: str,
                       amount: Any = None, late_fee: Any = None) -> Enforcement:
    """催告: in writing, with the deadline and manner of performance, the sum and the party's right to state and
    defend (行政强制法 第三十五条); late fees stated never above the principal (第四十五条)."""
    enforcement = _visible(Enforcement, actor, enforcement_id)
    edge = _take(ENFORCEMENT_EDGES, enforcement, "demand", actor)
    served = _day(served_on, "served_on", "催告书送达日期", default_today=False)
    _take(ENFORCEMENT_EDGES, enforcement, "demand", actor, on=served)
    last = parse_date(deadline, "deadline", "履行期限")
    _require(last > served, "履行期限应晚于催告书送达日期", "date_order", "deadline")
    sum_due = parse_amount(amount, "amount", "金额")
    if sum_due is None:
        sum_due = enforcement.principal
    _require(sum_due is None or enforcement.principal is None or sum_due <= enforcement.principal,
             "催告金额不能超过金钱给付义务的数额", "amount_above_principal", "amount")
    fee = parse_amount(late_fee, "late_fee", "加处罚款或滞纳金")
    if fee is None:
        fee = accrued_late_fee(enforcement, served) if enforcement.principal else None
    _require(fee is None or (enforcement.principal is not None and fee <= enforcement.principal),
             "加处罚款或者滞纳金的数额不得超出金钱给付义务的数额（行政强制法第四十五条）", "late_fee_above_principal",
             "late_fee")
    enforcement.status = edge.target
    enforcement.demand_served_on, enforcement.demand_deadline = served, last
    enforcement.demand_manner = _text(manner, "manner", "履行方式", max_len=200)
    enforcement.demand_amount, enforcement.demand_late_fee = sum_due, fee
    issued = _issue(actor, "demand_notice", enforcement, {
        "decision": {"number": enforcement.decision_reference,
                     "date": enforcement.decision_served_on.isoformat()},
        "obligation": enforcement.obligation, "amount": _plain(sum_due) if sum_due is not None else "",
        "late_fee": _plain(fee) if fee is not None else "", "deadline": last.isoformat(),
        "manner": enforcement.demand_manner, "statement_due": deadlines.statement_due(served).isoformat(),
        "rights": "当事人收到催告书后有权进行陈述和申辩（《中华人民共和国行政强制法》第三十六条）",
        "court": enforcement.power == Power.COURT, "contact": {"name": actor.full_name, "phone": actor.phone},
        "date": served.isoformat()})
    enforcement.demand_number = issued.number
    enforcement.save()
    _enforcement_step(enforcement, edge, actor, on=served, document=issued, data={
        "deadline": last, "amount": sum_due, "late_fee": fee,
        "court_earliest": deadlines.court_earliest(served) if enforcement.power == Power.COURT else None})
    return enforcement


@transaction.atomic
def enforcement_hear(*, actor: User, enforcement_id: int, statement: str = "", waived: bool = False,
                     upheld: bool = False, on: Any = None) -> Enforcement:
    """陈述、申辩: the party's facts, reasons and evidence recorded and checked; those that hold are adopted
    (行政强制法 第三十六条) — an upheld objection stops the enforcement."""
    enforcement = _visible(Enforcement, actor, enforcement_id)
    edge = _take(ENFORCEMENT_EDGES, enforcement, "hear", actor)
    day = _day(on, "on", "听取日期")
    _require(day >= enforcement.demand_served_on, "听取日期不能早于催告书送达日期", "date_order", "on")
    text = str(statement or "").strip()
    _require(text or waived, "应记录当事人的陈述申辩，或注明当事人放弃", "statement_required", "statement")
    enforcement.status, enforcement.heard_on = edge.target, day
    enforcement.statement, enforcement.statement_waived = text, bool(waived) and not text
    enforcement.objection_upheld = bool(upheld) and bool(text)
    enforcement.save()
    _enforcement_step(enforcement, edge, actor, on=day, note=text or "当事人放弃陈述申辩",
                      data={"upheld": enforcement.objection_upheld})
    return enforcement


def _enforcement_decision(actor: Any, enforcement: Enforcement, day: dt.date, reason: str,
                          immediate: bool) -> documents.Issued:
    issued = _issue(actor, "enforcement_decision", enforcement, {
        "decision": {"number": enforcement.decision_reference,
                     "date": enforcement.decision_served_on.isoformat()},
        "demand": {"number": enforcement.demand_number, "date": enforcement.demand_served_on.isoformat()},
        "statements": enforcement.statement or ("当事人未陈述申辩" if not immediate else ""),
        "reason": reason, "basis": "《中华人民共和国行政强制法》第三十七条" + ("第三款" if immediate else ""),
        "manner": enforcement.get_mode_display(), "time": day.isoformat(), "immediate": immediate,
        "date": day.isoformat()})
    enforcement.decided_on, enforcement.immediate, enforcement.decision_number = day, immediate, issued.number
    _behaviour(actor, enforcement, kind=CoercionKind.ENFORCEMENT,
               name=f"强制执行（{enforcement.party_name}）", decision_number=issued.number,
               facts=enforcement.obligation, basis=enforcement.decision_reference, starts_on=day,
               enforcement_type=str(enforcement.get_mode_display()))
    return issued


@transaction.atomic
def enforcement_decide(*, actor: User, enforcement_id: int, reason: str, on: Any = None) -> Enforcement:
    """强制执行决定: in writing, after the 催告 deadline passed without performance and without a valid reason
    (行政强制法 第三十七条); for late fees, only after they ran more than 30 days and a 催告 (第四十六条)."""
    enforcement = _visible(Enforcement, actor, enforcement_id)
    edge = _take(ENFORCEMENT_EDGES, enforcement, "decide", actor)
    day = _day(on, "on", "决定日期")
    _take(ENFORCEMENT_EDGES, enforcement, "decide", actor, on=day)
    reason = _text(reason, "reason", "强制执行的理由")
    enforcement.status = edge.target
    issued = _enforcement_decision(actor, enforcement, day, reason, immediate=False)
    enforcement.save()
    _enforcement_step(enforcement, edge, actor, on=day, note=reason, document=issued)
    return enforcement


@transaction.atomic
def enforcement_decide_immediately(*, actor: User, enforcement_id: int, reason: str, on: Any = None) -> Enforcement:
    """立即强制执行决定: during the 催告 period, on evidence that the party is moving or hiding assets (行政强制法
    第三十七条第三款)."""
    enforcement = _visible(Enforcement, actor, enforcement_id)
    edge = _take(ENFORCEMENT_EDGES, enforcement, "decide_immediately", actor)
    reason = _text(reason, "reason", "转移或者隐匿财物的证据")
    day = _day(on, "on", "决定日期")
    _take(ENFORCEMENT_EDGES, enforcement, "decide_immediately", actor, on=day)
    enforcement.status = edge.target
    issued = _enforcement_decision(actor, enforcement, day, reason, immediate=True)
    enforcement.save()
    _enforcement_step(enforcement, edge, actor, on=day, note=reason, document=issued)
    return enforcement


def court_dates(enforcement: Enforcement) -> dict[str, dt.date | None]:
    """The court application's window: after the 催告 + 10 working days (第五十四条) and after the review/lawsuit
    period, within 3 months of its end (第五十三条)."""
    return workflow.court_dates(_facts(enforcement, None, "apply_court", None))


@transaction.atomic
def enforcement_apply_court(*, actor: User, enforcement_id: int, court: str, on: Any = None) -> Enforcement:
    """申请人民法院强制执行: a body without the power of enforcement applies after the period for review and
    lawsuit has passed, within 3 months (行政强制法 第五十三条), at least 10 working days after the 催告书 was
    served (第五十四条, 第六十九条)."""
    enforcement = _visible(Enforcement, actor, enforcement_id)
    edge = _take(ENFORCEMENT_EDGES, enforcement, "apply_court", actor)
    day = _day(on, "on", "申请日期")
    _take(ENFORCEMENT_EDGES, enforcement, "apply_court", actor, on=day)
    enforcement.status, enforcement.applied_on = edge.target, day
    enforcement.court = _text(court, "court", "受理法院", max_len=100)
    _behaviour(actor, enforcement, kind=CoercionKind.ENFORCEMENT, name=f"申请法院强制执行（{enforcement.party_name}）",
               decision_number=enforcement.demand_number, facts=enforcement.obligation,
               basis=enforcement.decision_reference, starts_on=day,
               # 申请人民法院强制执行 (第五十三条) is no mode of 第十二条: the dictionary's 其他强制执行方式.
               enforcement_type="其他强制执行方式")
    enforcement.save()
    _enforcement_step(enforcement, edge, actor, on=day, note=enforcement.court)
    return enforcement


def _collected(enforcement: Enforcement, value: Any) -> Decimal | None:
    amount = parse_amount(value, "collected", "执行到位金额")
    if amount is not None and enforcement.principal is not None:
        _require(amount <= enforcement.principal * 2, "执行到位金额不能超过本金与加处罚款之和（第四十五条）",
                 "collected_above_cap", "collected")
    return amount


def _finish(enforcement: Enforcement, action: str, actor: Any, *, on: Any, result: str, collected: Any = None,
            label: str = "执行结果") -> Enforcement:
    edge = _take(ENFORCEMENT_EDGES, enforcement, action, actor)
    day = _day(on, "on", "日期")
    started = enforcement.decided_on or enforcement.applied_on or enforcement.demand_served_on
    _require(started is None or day >= started, "日期不能早于上一步骤", "date_order", "on")
    enforcement.status, enforcement.ended_on = edge.target, day
    enforcement.result = _text(result, "result", label)
    enforcement.collected = _collected(enforcement, collected)
    enforcement.save()
    _amend_behaviour(actor, enforcement, label, result=enforcement.result[:50])
    _enforcement_step(enforcement, edge, actor, on=day, note=enforcement.result,
                      data={"collected": enforcement.collected})
    return enforcement


@transaction.atomic
def enforcement_execute(*, actor: User, enforcement_id: int, result: str, collected: Any = None,
                        on: Any = None) -> Enforcement:
    """执行 by the mode decided (第十二条): the outcome and the sum collected."""
    return _finish(_visible(Enforcement, actor, enforcement_id), "execute", actor, on=on, result=result,
                   collected=collected)


@transaction.atomic
def enforcement_court_enforce(*, actor: User, enforcement_id: int, result: str, collected: Any = None,
                              on: Any = None) -> Enforcement:
    """The court ruled to enforce and enforced (行政强制法 第五十七条)."""
    return _finish(_visible(Enforcement, actor, enforcement_id), "court_enforce", actor, on=on, result=result,
                   collected=collected, label="法院裁定及执行情况")


@transaction.atomic
def enforcement_court_refuse(*, actor: User, enforcement_id: int, reason: str, on: Any = None) -> Enforcement:
    """The court ruled not to enforce (行政强制法 第五十八条)."""
    return _finish(_visible(Enforcement, actor, enforcement_id), "court_refuse", actor, on=on, result=reason,
                   label="不予执行的裁定及理由")


@transaction.atomic
def enforcement_comply(*, actor: User, enforcement_id: int, result: str = "当事人已履行义务", collected: Any = None,
                       on: Any = None) -> Enforcement:
    """The party performed (at any step before the end)."""
    return _finish(_visible(Enforcement, actor, enforcement_id), "comply", actor, on=on, result=result,
                   collected=collected, label="履行情况")


@transaction.atomic
def enforcement_terminate(*, actor: User, enforcement_id: int, reason: str, on: Any = None) -> Enforcement:
    """终结执行 (行政强制法 第四十条): the decision revoked, the party gone without assets or successor, an upheld
    objection …; decided by the head."""
    return _finish(_visible(Enforcement, actor, enforcement_id), "terminate", actor, on=on, result=reason,
                   label="终结理由")


ENFORCEMENT_SERVICES = {"demand": enforcement_demand, "hear": enforcement_hear, "decide": enforcement_decide,
                        "decide_immediately": enforcement_decide_immediately,
                        "apply_court": enforcement_apply_court, "execute": enforcement_execute,
                        "court_enforce": enforcement_court_enforce, "court_refuse": enforcement_court_refuse,
                        "comply": enforcement_comply, "terminate": enforcement_terminate}


def enforcement_transition(*, actor: User, enforcement_id: int, action: str, **fields: Any) -> Enforcement:
    """One step by name; an unknown action or one not open now is refused with the open actions (409)."""
    enforcement = Enforcement.objects.get_visible(actor, pk=enforcement_id)
    workflow.edge(ENFORCEMENT_EDGES, enforcement.status, action)
    return _call(ENFORCEMENT_SERVICES[action], action, actor=actor, enforcement_id=enforcement_id, **fields)


@transaction.atomic
def enforcement_link_case(*, actor: User, enforcement_id: int, case_number: str) -> Enforcement:
    """Link an enforcement to its case; its steps so far are appended to the case's history."""
    enforcement = _visible(Enforcement, actor, enforcement_id)
    _require(_is_officer(actor, enforcement.department_id)
             or _is_head(actor, enforcement.department_id, enforcement.region_id),
             "只有本机关执法人员或负责人可以关联案件", "not_allowed_for_role")
    if enforcement.case_id:
        raise InvalidTransition(f"已关联案件“{enforcement.case_number}”", code="case_already_linked",
                                field="case_number")
    _link(enforcement, actor, case_number)
    enforcement.save(update_fields=["case_number", "case_id", "updated_at"])
    for step in enforcement.steps.order_by("at", "pk"):
        cases.case_append_event(actor=actor, case_id=enforcement.case_id,
                                verb=f"coercion.enforcement_{step.action}",
                                data={"number": enforcement.number, "from": step.old, "to": step.new,
                                      "on": step.on.isoformat(), "note": step.note, **step.data},
                                document_id=step.document_id)
    record(actor=actor, verb="coercion.enforcement_case_linked", target=enforcement,
           data={"case": enforcement.case_number, **_recorded_state(enforcement)})
    return enforcement

