"""Writes of 行政强制措施 (行政强制法 第九条, 第十七条—第二十八条, 第三十二条): request → the head's approval →
implementation, or on the spot in an emergency and approved within 24 hours (第十九条); extension, testing time,
release, disposal. Each step checks the transition table (`workflow.py`), the person's role and the step's guards
from law, issues its document, and is written as a whole by `common.add_step` — in one transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.contracts import credentials_on
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
from .models import Measure, MeasureItem, MeasureKind, MeasureStep
from .workflow import MEASURE_EDGES, NEW

RELEASE_BASIS = "《中华人民共和国行政强制法》第二十八条"
MAX_ITEMS = 500


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
        clean.append({"name": field_text(item.get("name"), f"{where}.name", "名称", max_len=200),
                      "spec": str(item.get("spec") or "").strip()[:200],
                      "quantity": Decimal(str(item["quantity"])).normalize(),
                      "unit": field_text(item.get("unit"), f"{where}.unit", "单位", max_len=20),
                      "condition": str(item.get("condition") or "").strip()[:200]})
    return clean


def _items_context(measure: Measure) -> list[dict[str, str]]:
    return [{"name": i.name, "spec": i.spec, "quantity": plain(i.quantity), "unit": i.unit, "note": i.condition,
             "condition": i.condition} for i in measure.items.all()]


def _measure_step(measure: Measure, edge: workflow.Edge, actor: Actor, **kwargs: Any) -> None:
    add_step(MeasureStep, {"measure": measure}, measure, edge, actor, verb_prefix="measure", **kwargs)


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


def _new_measure(*, actor: User, kind: str, inspection_number: str, catalog_code: str, facts: str, basis: str,
                 items: list[dict[str, Any]], officers: list[str], days: Any, on: dt.date, place: str,
                 kind_note: str, case_number: str, action: str) -> Measure:
    """The measure opened by `action`: who may open it is checked here, after the step's own time was read, at
    the place the check always stood."""
    status = open_step(MEASURE_EDGES, action, actor).target
    kind, kind_note = _kind(kind, kind_note)
    inspection = inspection_of(actor, inspection_number)
    card = require_item_in_force(code=str(catalog_code).strip(), on=on, action_types=("coercion",))
    measure = Measure(
        **party_from(inspection), department=actor.department, catalog_code=card.code,
        number=number_for(Measure, "QZCS"),
        kind=kind, kind_note=kind_note, facts=field_text(facts, "facts", "理由（违法事实）"),
        basis=field_text(basis, "basis", "依据"), place=str(place or "").strip()[:200], status=status,
        requested_by=actor, officers=officers_on(officers, actor.department_id, on),
        days=_days(days, "days", "期限", deadlines.MEASURE_MAX_DAYS))
    rows = clean_items(items)
    if case_number:
        link(measure, actor, case_number)
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
                           place=place, kind_note=kind_note, case_number=case_number, action=edge.action)
    _measure_step(measure, edge, actor, on=today, data={"kind": kind, "days": measure.days,
                                                        "items": measure.items.count(), "case": measure.case_number})
    return measure


def _word(measure: Measure) -> str:
    """The measure's word in the documents' titles and sentences: 查封, 扣押, 冻结, or the other measure's name."""
    if measure.kind == MeasureKind.OTHER:
        return measure.kind_note
    return {MeasureKind.SEIZE: "扣押", MeasureKind.FREEZE: "冻结"}.get(measure.kind, "查封")


def _decision(actor: Actor, measure: Measure) -> documents.Issued:
    """查封（扣押）决定书 with its 清单, handed over on the spot (第二十四条)."""
    return issue(actor, "seizure_decision", measure, {
        "measure": _word(measure), "kind": measure.kind, "kind_label": measure.get_kind_display(),
        "witness": measure.witness, "reason": measure.facts, "basis": measure.basis,
        "period_days": measure.days, "start": measure.starts_on.isoformat(), "end": measure.due_on.isoformat(),
        "items": _items_context(measure), "keep_place": measure.place, "officers": measure.officers,
        "emergency": measure.emergency, "date": measure.starts_on.isoformat()})


def _take_effect(actor: Actor, measure: Measure, starts_on: dt.date) -> documents.Issued:
    measure.starts_on = starts_on
    measure.due_on = deadlines.measure_due(starts_on=starts_on, days=measure.days)
    issued = _decision(actor, measure)
    measure.decision_number, measure.decision_document_id = issued.number, issued.id
    behaviour_record(actor, measure, kind=CoercionKind.MEASURE,
                     name=f"{measure.get_kind_display()}（{measure.party_name}）",
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
                           kind_note=kind_note, case_number=case_number, action=edge.action)
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
    measure = visible(Measure, actor, measure_id)
    edge = take(MEASURE_EDGES, measure, "approve", actor)
    now = timezone.now()
    measure.status, measure.approved_by, measure.approved_at = edge.target, actor, now
    late = bool(measure.approval_due and now > measure.approval_due)
    measure.save()
    _measure_step(measure, edge, actor, on=timezone.localdate(now), note=str(note or "").strip(),
                  data={"late": late} if measure.emergency else {})
    return measure


def _end_unexecuted(actor: User, measure_id: int, action: str, reason: Any, label: str) -> Measure:
    """A measure that ends before it is carried out (refused, withdrawn): the reason is required and is the note."""
    measure = visible(Measure, actor, measure_id)
    edge = take(MEASURE_EDGES, measure, action, actor)
    reason = field_text(reason, "reason", label)
    measure.status, measure.end_reason, measure.ended_on = edge.target, reason, timezone.localdate()
    measure.save()
    _measure_step(measure, edge, actor, on=measure.ended_on, note=reason)
    return measure


@transaction.atomic
def measure_refuse(*, actor: User, measure_id: int, reason: str) -> Measure:
    return _end_unexecuted(actor, measure_id, "refuse", reason, "不予批准理由")


@transaction.atomic
def measure_implement(*, actor: User, measure_id: int, on: Any = None, officers: list[str] | None = None,
                      party_present: bool = True, witness: str = "", place: str = "") -> Measure:
    """实施: on the approved measure's day, two or more officers with credentials valid that day hand over the
    decision and the list (第十八条, 第二十四条); the period runs from that day."""
    measure = visible(Measure, actor, measure_id)
    edge = take(MEASURE_EDGES, measure, "implement", actor)
    day = happened_on(on, "on", "实施日期")
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
    return _end_unexecuted(actor, measure_id, "withdraw", reason, "撤回理由")


@transaction.atomic
def measure_extend(*, actor: User, measure_id: int, days: Any, reason: str, on: Any = None) -> Measure:
    """延长期限: complex cases only, once, at most 30 days, on the head's approval with written reasons, decided
    within the period and told to the party in writing (行政强制法 第二十五条第一、二款; 冻结: 第三十二条)."""
    measure = visible(Measure, actor, measure_id)
    edge = take(MEASURE_EDGES, measure, "extend", actor)
    reason = field_text(reason, "reason", "延长理由")
    extra = _days(days, "days", "延长期限", deadlines.EXTENSION_MAX_DAYS)
    day = happened_on(on, "on", "批准日期")
    take(MEASURE_EDGES, measure, "extend", actor, on=day)
    measure.extension_days, measure.extension_reason = extra, reason
    measure.due_on = deadlines.measure_due(starts_on=measure.starts_on, days=measure.days, extension_days=extra,
                                           excluded_days=measure.excluded_days)
    issued = issue(actor, "extension_decision", measure, {
        "measure": _word(measure), "original": {"number": measure.decision_number,
                                                            "date": measure.starts_on.isoformat()},
        "reason": reason, "extension_days": extra, "end": measure.due_on.isoformat(), "date": day.isoformat()})
    measure.save()
    amend_behaviour(actor, measure, "延长期限", extension=f"{extra}日")
    _measure_step(measure, edge, actor, on=day, note=reason, document=issued,
                  data={"extension_days": extra, "due_on": measure.due_on})
    return measure


@transaction.atomic
def measure_test(*, actor: User, measure_id: int, starts_on: Any, ends_on: Any, agency: str,
                 notified_on: Any) -> Measure:
    """检测、检验、检疫或者技术鉴定: its period is stated and told to the party in writing, and is not counted in the
    measure's period (行政强制法 第二十五条第三款) — for goods and facilities held, not for 冻结 or premises."""
    measure = visible(Measure, actor, measure_id)
    edge = take(MEASURE_EDGES, measure, "test", actor)
    first = parse_date(starts_on, "starts_on", "检测开始日期")
    last = parse_date(ends_on, "ends_on", "检测结束日期")
    told = happened_on(notified_on, "notified_on", "书面告知日期", default_today=False)
    _require(first <= last, "检测结束日期不能早于开始日期", "date_order", "ends_on")
    take(MEASURE_EDGES, measure, "test", actor, on=first)
    _require(measure.starts_on <= told <= first, "检测期间应在检测开始前（至迟当日）书面告知当事人",
             "testing_not_notified", "notified_on")
    for period in measure.testing:
        _require(last < dt.date.fromisoformat(period["from"]) or first > dt.date.fromisoformat(period["to"]),
                 "检测期间与已登记的期间重叠", "testing_overlap", "starts_on")
    days = (last - first).days + 1
    measure.testing = [*measure.testing, {"from": first.isoformat(), "to": last.isoformat(), "days": days,
                                          "agency": field_text(agency, "agency", "检测机构", max_len=200),
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
    measure = visible(Measure, actor, measure_id)
    edge = take(MEASURE_EDGES, measure, "release", actor)
    reason = field_text(reason, "reason", "解除理由")
    day = happened_on(on, "on", "解除日期")
    _require(day >= measure.starts_on, "解除日期不能早于措施起始日期", "date_order", "on")
    measure.status, measure.ended_on, measure.end_reason = edge.target, day, reason
    issued = issue(actor, "release_decision", measure, {
        "measure": _word(measure), "original": {"number": measure.decision_number,
                                                            "date": measure.starts_on.isoformat()},
        "reason": reason, "basis": RELEASE_BASIS, "items": _items_context(measure), "date": day.isoformat()})
    measure.save()
    amend_behaviour(actor, measure, "解除", ends_on=day, result=f"解除：{reason}"[:50])
    _measure_step(measure, edge, actor, on=day, note=reason, document=issued,
                  data={"overdue": day > measure.due_on})
    return measure


@transaction.atomic
def measure_dispose(*, actor: User, measure_id: int, reason: str, on: Any = None) -> Measure:
    """依法处理: within the period the goods are dealt with by a decision (没收, 销毁 under a penalty decision, 划拨
    of frozen sums), which ends the measure (行政强制法 第二十五条, 第三十二条)."""
    measure = visible(Measure, actor, measure_id)
    edge = take(MEASURE_EDGES, measure, "dispose", actor)
    reason = field_text(reason, "reason", "处理决定及理由")
    day = happened_on(on, "on", "处理日期")
    take(MEASURE_EDGES, measure, "dispose", actor, on=day)
    measure.status, measure.ended_on, measure.end_reason = edge.target, day, reason
    measure.save()
    amend_behaviour(actor, measure, "依法处理", ends_on=day, result=f"依法处理：{reason}"[:50])
    _measure_step(measure, edge, actor, on=day, note=reason)
    return measure


MEASURE_SERVICES = {"approve": measure_approve, "refuse": measure_refuse, "implement": measure_implement,
                    "withdraw": measure_withdraw, "extend": measure_extend, "test": measure_test,
                    "release": measure_release, "dispose": measure_dispose}


def measure_transition(*, actor: User, measure_id: int, action: str, **fields: Any) -> Measure:
    """One step by name (the API's and the pages' entry point); an action the table does not know, or one not
    open in the measure's state, is refused with the open actions (409)."""
    measure = Measure.objects.get_visible(actor, pk=measure_id)
    workflow.edge(MEASURE_EDGES, measure.status, action)  # out of order: 409 with the allowed list
    return call_step(MEASURE_SERVICES[action], action, actor=actor, measure_id=measure_id, **fields)


@transaction.atomic
def measure_link_case(*, actor: User, measure_id: int, case_number: str) -> Measure:
    """Link a measure taken before the case was opened to its case (a measure may precede the 立案); the measure's
    steps so far are appended to the case's history."""
    return link_case(visible(Measure, actor, measure_id), actor, case_number, verb_prefix="measure")
