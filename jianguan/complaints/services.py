"""Writes of the complaints library: intake from every channel, the decision to accept, the outcome, and the
hand-over to enforcement as a clue. Clocks count working days (core.calendar):

- 投诉: accept or refuse within 7 working days of receipt; mediation ends when no agreement is reached within
  45 working days of acceptance (市场监督管理投诉举报处理暂行办法; enforcement.md §2, stage 1).
- 举报: verify and decide whether to open a case within 15 working days of receipt, extendable by 15 (市场监督管理
  行政处罚程序规定; enforcement.md §2, stage 2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Region, User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import NotFound, ValidationFailed
from jianguan.core.numbering import daily_number
from jianguan.core.tabular import ImportRefused, Problem, read_table
from jianguan.subjects.contracts import require_entity

from . import routing, workflow
from .models import Category, Channel, Complaint, ComplaintImport, ComplaintKind, ComplaintStep

ACCEPT_WORKING_DAYS = 7  # [law] 投诉: decide on acceptance
MEDIATION_WORKING_DAYS = 45  # [law] 投诉: mediation without agreement ends
REPORT_WORKING_DAYS = 15  # [law] 举报: verify and decide whether to open a case
EARLIEST = dt.date(1949, 10, 1)  # no complaint to this platform's bodies is older than the People's Republic
# The longest text each field takes (the column's length; the content a generous letter). Longer is refused, never
# cut: a complaint is evidence of what was said.
MAX_LENGTH = {"kind": 10, "category": 20, "subject_name": 200, "subject_uscc": 18, "subject_address": 300,
              "region": 12, "content": 5000, "complainant_name": 50, "complainant_phone": 20, "external_ref": 50}
LABELS = {"kind": "类型", "category": "事项类别", "subject_name": "被投诉举报对象", "subject_uscc": "统一社会信用代码",
          "subject_address": "地址", "region": "所在区划", "content": "内容", "complainant_name": "投诉举报人",
          "complainant_phone": "联系电话", "external_ref": "来源编号"}
MULTILINE = frozenset({"content", "subject_address"})


def _number(moment: dt.datetime) -> str:
    """TS2026120700001, per day of receipt (taken under the day's sequence row lock)."""
    return daily_number("TS", timezone.localtime(moment).date(), issued=Complaint.objects.all())


def _clean(values: dict[str, Any], *, field_prefix: str = "", reader: Actor | None = None) -> dict[str, Any]:
    """Check one complaint's fields; name the field at fault."""
    def fail(message: str, code: str, field: str) -> None:
        raise ValidationFailed(message, code=code, field=field_prefix + field)

    for name, value in values.items():
        problem = text_problem(name, value)
        if problem:
            fail(*problem, name)
    kind = values.get("kind") or ComplaintKind.COMPLAINT
    if kind not in ComplaintKind.values:
        fail("类型应为“complaint”（投诉）或“report”（举报）", "kind_invalid", "kind")
    category = values.get("category") or Category.OTHER
    if category not in Category.values:
        fail("事项类别无效", "category_invalid", "category")
    content = str(values.get("content") or "").strip()
    if len(content) < 5:
        fail("请写明投诉举报的内容（至少 5 个字）", "content_required", "content")
    subject = str(values.get("subject_name") or "").strip()
    code = str(values.get("subject_uscc") or "").strip().upper()
    entity = require_entity(code, field_prefix + "subject_uscc", reader=reader) if code else None
    if not subject and entity is None:
        fail("请写明被投诉举报的对象", "subject_required", "subject_name")
    region = entity.region if entity else Region.objects.filter(code=values.get("region") or "").first()
    if region is None:
        fail("请选择所在区县或乡镇", "region_required", "region")
    phone = str(values.get("complainant_phone") or "").strip()
    if phone and not (phone.replace("-", "").isdigit() and 7 <= len(phone.replace("-", "")) <= 13):
        fail("联系电话格式不正确", "phone_invalid", "complainant_phone")
    return {"kind": kind, "category": category, "content": content, "entity": entity,
            "subject_name": (subject or (entity.name if entity else ""))[:200],
            "subject_address": str(values.get("subject_address") or "")[:300],
            "region": region, "complainant_name": str(values.get("complainant_name") or "")[:50],
            "complainant_phone": phone, "real_name": bool(values.get("complainant_name") and phone)}


def text_problem(name: str, value: Any) -> tuple[str, str] | None:
    """(message, code) when the text of field `name` is too long or holds a control character (line breaks and
    tabs are allowed in long text only); None when it is fine or the field is not one of a complaint's texts."""
    if name not in MAX_LENGTH or value is None or not isinstance(value, str):
        return None
    label, limit = LABELS[name], MAX_LENGTH[name]
    if len(value.strip()) > limit:
        return f"“{label}”最多 {limit} 个字符（实为 {len(value.strip())} 个）", "too_long"
    allowed = "\n\r\t" if name in MULTILINE else ""
    if any((ord(c) < 32 or 127 <= ord(c) < 160) and c not in allowed for c in value):
        return f"“{label}”含有不允许的控制字符", "invalid_character"
    return None


def received_in_range(moment: dt.datetime, field: str = "received_at") -> dt.datetime:
    """`moment` if it lies between 1949-10-01 and now; refused naming `field` otherwise."""
    moment = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    if timezone.localtime(moment).date() < EARLIEST:
        raise ValidationFailed("收到时间不能早于 1949-10-01", code="date_out_of_range", field=field)
    if moment > timezone.now():
        raise ValidationFailed("收到时间不能晚于现在", code="date_in_future", field=field)
    return moment


def dedup_hours() -> int:
    """How long the same submission is answered with its first complaint [config]: JIANGUAN_COMPLAINT_DEDUP_HOURS
    (default 24)."""
    return settings.JIANGUAN_COMPLAINT_DEDUP_HOURS


def _fingerprint(channel: str, clean: dict[str, Any], external_ref: str) -> str:
    entity = clean["entity"]
    parts = [channel, external_ref, clean["kind"], clean["category"], clean["subject_name"],
             entity.uscc if entity else "", clean["subject_address"], clean["region"].pk, clean["content"],
             clean["complainant_name"], clean["complainant_phone"]]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _deadlines(kind: str, received: dt.date) -> dict[str, dt.date | None]:
    if kind == ComplaintKind.COMPLAINT:
        return {"accept_due": add_working_days(received, ACCEPT_WORKING_DAYS), "handle_due": None}
    return {"accept_due": None, "handle_due": add_working_days(received, REPORT_WORKING_DAYS)}


def _create(actor: Actor, clean: dict[str, Any], *, channel: str, received_at: dt.datetime, external_ref: str = "",
            raw: Any = None, imported: ComplaintImport | None = None, content_hash: str = "") -> Complaint:
    department = routing.assign(clean["region"], clean["category"])
    complaint = Complaint.objects.create(
        number=_number(received_at), channel=channel, received_at=received_at, external_ref=external_ref,
        department=department, raw=raw, imported=imported, content_hash=content_hash,
        **_deadlines(clean["kind"], timezone.localtime(received_at).date()), **clean)
    record(actor=actor, verb="complaints.received", target=complaint,
           data={"number": complaint.number, "channel": channel, "kind": complaint.kind,
                 "category": complaint.category, "department": department.pk})
    return complaint


@transaction.atomic
def complaint_receive(*, actor: Actor, values: dict[str, Any], channel: str, external_ref: str = "",
                      received_at: dt.datetime | None = None) -> Complaint:
    """Take in one complaint or report (portal form, API call), keep what was received, assign it.

    The same submission again (same channel and fields, no source number) within `dedup_hours()` is not stored
    twice: the first complaint is returned (its `pk` is the answer's id) and nothing is written. With a source
    number (`external_ref`) that number decides: received before, the submission is refused as a duplicate."""
    if channel not in Channel.values:
        raise ValidationFailed("渠道无效", code="channel_invalid", field="channel")
    problem = text_problem("external_ref", external_ref)
    if problem:
        message, code = problem
        raise ValidationFailed(message, code=code, field="external_ref")
    received_at = received_in_range(received_at) if received_at is not None else timezone.now()
    # A person recording a complaint (an officer taking a call) names only entities of their jurisdiction.
    reader = actor if getattr(actor, "is_person", False) else None
    clean = _clean(values, reader=reader)
    fingerprint = _fingerprint(channel, clean, external_ref)
    if external_ref:  # the sending system's own number identifies the submission: a repeat is refused by it
        if Complaint.objects.filter(channel=channel, external_ref=external_ref).exists():
            raise ValidationFailed(f"来源编号“{external_ref}”已收到过", code="duplicate", field="external_ref")
    else:
        since = timezone.now() - dt.timedelta(hours=dedup_hours())
        first: Complaint | None = Complaint.objects.filter(content_hash=fingerprint,
                                                           created_at__gte=since).order_by("pk").first()
        if first is not None:
            return first
    return _create(actor, clean, channel=channel, received_at=received_at, external_ref=external_ref,
                   raw=_raw(values), content_hash=fingerprint)


def _raw(values: dict[str, Any]) -> dict[str, Any]:
    return {str(k): ("" if v is None else str(v)) for k, v in values.items()}


HOTLINE_COLUMNS = {"工单编号": "external_ref", "受理时间": "received_at", "诉求类型": "kind", "事项类别": "category",
                   "被反映对象": "subject_name", "统一社会信用代码": "subject_uscc", "地址": "subject_address",
                   "区划代码": "region", "诉求人": "complainant_name", "联系电话": "complainant_phone",
                   "诉求内容": "content"}
KIND_LABELS = {"投诉": ComplaintKind.COMPLAINT, "举报": ComplaintKind.REPORT}
CATEGORY_LABELS = {str(label): value for value, label in Category.choices}


@transaction.atomic
def complaint_import(*, actor: Actor, file_name: str, data: bytes) -> ComplaintImport:
    """Import a 12345 hotline file (Excel or CSV) whole: every row checked first, all stored or none."""
    table = read_table(data, file_name, required=("工单编号", "受理时间", "诉求内容"),
                       optional=[c for c in HOTLINE_COLUMNS if c not in ("工单编号", "受理时间", "诉求内容")])
    problems: list[Problem] = []
    rows = []
    seen = set(Complaint.objects.filter(channel=Channel.HOTLINE, external_ref__in=[
        r["工单编号"] for _, r in table.rows]).values_list("external_ref", flat=True))
    for number, row in table.rows:
        values = {HOTLINE_COLUMNS[k]: v for k, v in row.items() if k in HOTLINE_COLUMNS}
        values["kind"] = KIND_LABELS.get(values.get("kind", ""), ComplaintKind.COMPLAINT)
        values["category"] = CATEGORY_LABELS.get(values.get("category", ""), Category.OTHER)
        if values["external_ref"] in seen:
            problems.append(Problem(number, "工单编号", "duplicate", f"工单“{values['external_ref']}”已导入过"))
            continue
        seen.add(values["external_ref"])
        try:
            received = dt.datetime.fromisoformat(values["received_at"].replace("/", "-"))
        except ValueError:
            problems.append(Problem(number, "受理时间", "date_invalid", "受理时间应为 YYYY-MM-DD HH:MM"))
            continue
        try:
            received = received_in_range(received)
        except ValidationFailed as exc:
            problems.append(Problem(number, "受理时间", exc.code, exc.message.replace("收到时间", "受理时间")))
            continue
        try:
            rows.append((values, _clean(values), received))
        except ValidationFailed as exc:
            label = next((k for k, v in HOTLINE_COLUMNS.items() if v == exc.field), exc.field)
            problems.append(Problem(number, label, exc.code, exc.message))
    if problems:
        raise ImportRefused(problems)
    batch = ComplaintImport.objects.create(file_name=file_name[:200], raw=data, rows=len(rows),
                                          imported_by=actor_ref(actor).label)
    for values, clean, received in rows:
        _create(actor, clean, channel=Channel.HOTLINE, received_at=received, external_ref=values["external_ref"],
                raw=_raw(values), imported=batch)
    record(actor=actor, verb="complaints.imported", target=batch,
           data={"file": file_name, "rows": len(rows), "sha256": hashlib.sha256(data).hexdigest()})
    return batch


def _locked(complaint_id: int, actor: User) -> Complaint:
    complaint: Complaint | None = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
    if complaint is None or not Complaint.objects.visible_to(actor).filter(pk=complaint_id).exists():
        raise NotFound()
    refused = workflow.handler_refusal(actor, complaint.department_id)
    if refused is not None:
        raise refused
    return complaint


def _move(complaint: Complaint, action: str, actor: User, note: str) -> None:
    """Take the edge for `action` (`workflow.COMPLAINTS.check`), record the step and its audit event."""
    edge = workflow.COMPLAINTS.check(action, workflow.Facts(complaint.status, actor, complaint.department_id))
    old, new = complaint.status, edge.target
    complaint.status = new
    ComplaintStep.objects.create(complaint=complaint, old=old, new=new, actor_label=str(actor), note=note)
    record(actor=actor, verb=f"complaints.{new}", target=complaint, data={"old": old, "new": new, "note": note})


@transaction.atomic
def complaint_decide(*, actor: User, complaint_id: int, accept: bool, note: str = "") -> Complaint:
    """Accept a complaint (starting the 45-working-day mediation clock) or refuse it with the reason."""
    complaint = _locked(complaint_id, actor)
    if not accept and not note.strip():
        raise ValidationFailed("不予受理须说明理由", code="required", field="note")
    _move(complaint, "accept" if accept else "refuse", actor, note)
    complaint.decided_at, complaint.decision_note = timezone.now(), note
    if accept and complaint.kind == ComplaintKind.COMPLAINT:
        complaint.handle_due = add_working_days(timezone.localdate(), MEDIATION_WORKING_DAYS)
    complaint.save(update_fields=["status", "decided_at", "decision_note", "handle_due", "updated_at"])
    return complaint


@transaction.atomic
def complaint_conclude(*, actor: User, complaint_id: int, outcome: str) -> Complaint:
    complaint = _locked(complaint_id, actor)
    if not outcome.strip():
        raise ValidationFailed("请填写办理结果", code="required", field="outcome")
    _move(complaint, "conclude", actor, outcome)
    complaint.outcome, complaint.concluded_at = outcome.strip(), timezone.now()
    complaint.save(update_fields=["status", "outcome", "concluded_at", "updated_at"])
    return complaint


@transaction.atomic
def complaint_mark_converted(*, actor: User, complaint_id: int, note: str) -> Complaint:
    """Record that the complaint became a clue for enforcement (called by the enforcement app)."""
    complaint = _locked(complaint_id, actor)
    _move(complaint, "convert", actor, note)
    complaint.concluded_at = timezone.now()
    complaint.save(update_fields=["status", "concluded_at", "updated_at"])
    return complaint
