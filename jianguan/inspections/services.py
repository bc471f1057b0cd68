"""Writes of 行政检查: open (ad hoc or assigned by a task), update the draft, attach evidence, submit, and the
idempotent sync that a phone uses for all of them.

Rules: two or more officers each holding a 执法证 valid on the day of the check (行政处罚法 第四十二条: 执法人员不得少于
两人，法律另有规定的除外; 第五十五条: 出示执法证件); the check rests on an implementation row of the acting body in
force that day (照单监管, `catalog.contracts.require_in_force`); the on-site record is signed by the party or the
refusal noted with a witness (enforcement.md §1, [practice]).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from jianguan.accounts.contracts import credentials_on
from jianguan.accounts.models import Department, User
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.catalog.contracts import require_in_force
from jianguan.core.actors import Actor
from jianguan.core.canonical import canonical_json, to_jsonable
from jianguan.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from jianguan.core.protect import lookup_hash, unseal
from jianguan.core.validation import require as _require
from jianguan.documents import contracts as documents
from jianguan.enforcement import contracts as enforcement
from jianguan.subjects.contracts import require_entity, require_ric
from jianguan.subjects.models import Person, SupervisedObject

from . import checklist as lists
from . import evidence as files
from .models import Answer, Evidence, FieldInspection, OriginKind, Outcome, Status

# Origins that name the task, complaint or alert they come from.
NEEDS_REF = frozenset({OriginKind.SPOT_CHECK, OriginKind.JOINT_TASK, OriginKind.COMPLAINT, OriginKind.RISK_ALERT})
# 检查形式 of the behaviour record, by origin (a local dictionary; the national one is unpublished). [config]
FORMS = {OriginKind.SPOT_CHECK: "双随机抽查", OriginKind.JOINT_TASK: "联合检查", OriginKind.COMPLAINT: "投诉举报核查",
         OriginKind.RISK_ALERT: "风险预警核查", OriginKind.ROUTINE: "日常检查", OriginKind.SPECIAL: "专项检查"}
LOCATION_FIELDS = (("latitude", Decimal("0.000001"), -90, 90), ("longitude", Decimal("0.000001"), -180, 180),
                   ("accuracy", Decimal("0.1"), 0, 100_000))
CLOCK_SKEW = dt.timedelta(minutes=10)  # a phone's clock may run this far ahead of the server's
MIN_OFFICERS = 2  # 行政处罚法 第四十二条


class SyncConflict(InvalidTransition):
    """The server's copy changed since the phone last saw it (or was already submitted): nothing is overwritten."""

    code = "sync_conflict"

    def __init__(self, inspection: FieldInspection, message: str) -> None:
        super().__init__(message)
        self.inspection = inspection


# Parties, officers ----------------------------------------------------------------------------------------------

def _party(party: dict[str, Any], department: Department) -> dict[str, Any]:
    """The party from one of: an entity's 统一社会信用代码, a registered person's ID number, a supervised object."""
    kind = party.get("kind") or "entity"
    if kind == "entity":
        entity = require_entity(str(party.get("uscc") or ""), "party.uscc")
        found = {"entity": entity, "person": None, "supervised_object": None, "party_name": entity.name,
                 "party_code": entity.uscc, "party_address": entity.registered_address, "region": entity.region}
    elif kind == "person":
        number = require_ric(str(party.get("id_number") or ""), "party.id_number")
        person = Person.objects.select_related("region").filter(id_lookup=lookup_hash(number)).first()
        if person is None:
            raise ValidationFailed("个人当事人尚未登记：请先在监管对象库登记", code="person_unknown",
                                   field="party.id_number")
        found = {"entity": None, "person": person, "supervised_object": None, "party_name": person.name,
                 "party_code": person.id_masked, "party_address": "", "region": person.region}
    elif kind == "object":
        thing = SupervisedObject.objects.select_related("owner", "region").filter(
            pk=party.get("object_id") or 0).first()
        if thing is None:
            raise ValidationFailed("监管对象不存在", code="object_unknown", field="party.object_id")
        owner = thing.owner
        found = {"entity": owner, "person": None, "supervised_object": thing,
                 "party_name": owner.name if owner else thing.name, "party_code": owner.uscc if owner else "",
                 "party_address": thing.address or (owner.registered_address if owner else ""),
                 "region": thing.region}
    else:
        raise ValidationFailed("当事人类型应为市场主体、个人或监管对象", code="party_kind_invalid", field="party.kind")
    if not found["region"].path.startswith(department.region.path):
        raise ValidationFailed("当事人不在实施机构的管辖区域内", code="party_out_of_jurisdiction", field="party")
    return found


def _officers(department: Department, usernames: list[str], joint_with: Iterable[int] = ()) -> list[User]:
    """The named officers, each an active member of the acting department or of a department checking jointly
    with it (a joint task's visit needs two officers in total, 行政处罚法 第四十二条), in the order given."""
    names = list(dict.fromkeys(u.strip() for u in usernames if u and u.strip()))
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True,
                                                         department_id__in={department.pk, *joint_with})}
    unknown = [n for n in names if n not in users]
    if unknown:
        raise ValidationFailed(f"检查人员“{'、'.join(unknown)}”不是{department.name}的在职人员", code="officer_unknown",
                               field="officers")
    return [users[n] for n in names]


def _is_user(actor: Actor) -> bool:
    return isinstance(actor, User)


def _may_write(actor: Actor, inspection: FieldInspection) -> bool:
    """The officers of an inspection and whoever opened it write it; others of its department only read it."""
    if not _is_user(actor):
        return True
    return inspection.created_by_id == actor.pk or inspection.officers.filter(pk=actor.pk).exists()


def _for_write(actor: Actor, inspection_id: int) -> FieldInspection:
    query = FieldInspection.objects.select_for_update().select_related("department__region")
    inspection = query.get_visible(actor, pk=inspection_id) if _is_user(actor) else query.get(pk=inspection_id)
    if not _may_write(actor, inspection):
        raise AccessDenied("只有本次检查的检查人员可以修改检查记录", code="not_an_officer")
    return inspection


# Opening ------------------------------------------------------------------------------------------------------

@transaction.atomic
def inspection_open(*, actor: Actor, origin_kind: str, implementation_code: str, party: dict[str, Any],
                    officers: list[str], origin_ref: str = "", department: Department | None = None,
                    client_id: uuid.UUID | str | None = None, place: str = "",
                    started_at: dt.datetime | None = None, joint_with: Iterable[int] = ()) -> FieldInspection:
    """Open an inspection (a draft): by an officer on the spot, or assigned to officers by a task (双随机, 联合检查,
    a complaint, a risk alert). The implementation row must be the acting body's and in force on the day; the
    checklist is made from the row's 检查内容."""
    department = department or getattr(actor, "department", None)
    if department is None:
        raise ValidationFailed("未指明实施机构", code="department_required", field="department")
    if origin_kind not in OriginKind.values:
        raise ValidationFailed("检查来源无效", code="origin_invalid", field="origin_kind")
    origin_ref = (origin_ref or "").strip()
    if origin_kind in NEEDS_REF and not origin_ref:
        raise ValidationFailed("该检查来源须注明来源编号（任务、投诉或预警编号）", code="origin_ref_required",
                               field="origin_ref")
    day = timezone.localdate(started_at) if started_at else timezone.localdate()
    card = require_in_force(body_id=department.pk, implementation_code=implementation_code, on=day,
                            field="implementation_code")
    if card.action_type != "check":
        raise ValidationFailed("该实施清单不是行政检查事项", code="implementation_not_check",
                               field="implementation_code")
    found = _party(party, department)
    checklist_kind = lists.kind_for(origin_kind)
    inspection = FieldInspection.objects.create(
        client_id=client_id or uuid.uuid4(), origin_kind=origin_kind, origin_ref=origin_ref[:100],
        department=department, implementation_code=implementation_code, catalog_code=card.item_code,
        item_name=card.item_name, checklist_kind=checklist_kind,
        checklist=lists.blank(lists.items_for(card, checklist_kind)), place=place[:300], started_at=started_at,
        created_by=actor if _is_user(actor) else None, **found)
    inspection.officers.set(_officers(department, officers, joint_with))
    record(actor=actor, verb="inspections.inspection_opened", target=inspection, data={
        "client_id": str(inspection.client_id), "origin": origin_kind, "origin_ref": origin_ref,
        "implementation_code": implementation_code, "party": inspection.party_code or inspection.party_name,
        "officers": sorted(officers)})
    return inspection


# Drafts ------------------------------------------------------------------------------------------------------

DRAFT_FIELDS = ("place", "officers", "started_at", "ended_at", "location", "checklist", "signature_png",
                "signature_refused", "refusal_note", "witness", "outcome", "findings", "rectify_due",
                "rectify_requirement", "transfer_to")


def _apply(inspection: FieldInspection, values: dict[str, Any]) -> list[str]:
    """Set the draft's fields that `values` carries; the names of those that changed."""
    changed = []

    def put(name: str, value: Any) -> None:
        if getattr(inspection, name) != value:
            setattr(inspection, name, value)
            changed.append(name)

    unknown = set(values) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能修改的字段：{'、'.join(sorted(unknown))}", code="field_not_editable",
                               field=sorted(unknown)[0])
    if "officers" in values:
        # Officers of another department stay allowed once a joint task has put them on the visit.
        partners = set(inspection.officers.exclude(department=inspection.department_id)
                       .values_list("department_id", flat=True))
        wanted = _officers(inspection.department, values["officers"] or [], partners)
        if sorted(u.pk for u in wanted) != sorted(inspection.officers.values_list("pk", flat=True)):
            inspection.officers.set(wanted)
            changed.append("officers")
    for name in ("place", "refusal_note", "witness", "findings", "rectify_requirement", "transfer_to"):
        if name in values:
            put(name, str(values[name] or "").strip())
    for name in ("started_at", "ended_at", "rectify_due"):
        if name in values:
            put(name, values[name] or None)
    if "signature_refused" in values:
        put("signature_refused", bool(values["signature_refused"]))
    if "outcome" in values:
        outcome = values["outcome"] or ""
        if outcome and outcome not in Outcome.values:
            raise ValidationFailed("检查结果无效", code="outcome_invalid", field="outcome")
        put("outcome", outcome)
    if "location" in values:
        for name, value in _location(values["location"]).items():
            put(name, value)
    if "checklist" in values:
        put("checklist", lists.answered(inspection.checklist, values["checklist"] or []))
    if "signature_png" in values:
        png = files.signature_bytes(values["signature_png"]) if values["signature_png"] else None
        if (bytes(inspection.signature_png) if inspection.signature_png else None) != png:
            inspection.signature_png = png
            inspection.signature_sha256 = hashlib.sha256(png).hexdigest() if png else ""
            changed.append("signature_png")
    return changed


def _location(location: dict[str, Any] | None) -> dict[str, Decimal | None]:
    """Latitude and longitude (WGS-84 degrees, 6 places) and accuracy (metres, 1 place) from the phone."""
    location = location or {}
    found: dict[str, Decimal | None] = {}
    for name, places, low, high in LOCATION_FIELDS:
        value = location.get(name)
        if value in (None, ""):
            found[name] = None
            continue
        try:
            number = Decimal(str(value)).quantize(places)
        except InvalidOperation:
            raise ValidationFailed("定位数据无效", code="location_invalid", field=f"location.{name}") from None
        if not low <= number <= high:
            raise ValidationFailed("定位数据超出范围", code="location_invalid", field=f"location.{name}")
        found[name] = number
    if (found["latitude"] is None) != (found["longitude"] is None):
        raise ValidationFailed("定位应同时有纬度和经度", code="location_invalid", field="location")
    return found


@transaction.atomic
def inspection_update(*, actor: Actor, inspection_id: int, base_version: int, values: dict[str, Any]
                      ) -> FieldInspection:
    """Change a draft. `base_version` is the version the writer last saw: if the record changed since, nothing is
    written and the conflict is reported (409)."""
    inspection = _for_write(actor, inspection_id)
    if inspection.status != Status.DRAFT:
        raise SyncConflict(inspection, "检查记录已提交，不能再修改")
    if base_version != inspection.version:
        raise SyncConflict(inspection, "检查记录已被他人或其他终端修改，请核对服务器上的版本")
    changed = _apply(inspection, values)
    if changed:
        inspection.version += 1
        inspection.payload_hash = ""
        inspection.save()
        record(actor=actor, verb="inspections.inspection_updated", target=inspection,
               data={"fields": changed, "version": inspection.version})
    return inspection


# Evidence ----------------------------------------------------------------------------------------------------

@transaction.atomic
def evidence_add(*, actor: Actor, inspection_id: int, client_id: uuid.UUID | str, name: str, data: bytes,
                 sha256: str, taken_at: dt.datetime | None = None) -> tuple[Evidence, bool]:
    """Attach a photo or video taken on site (while the inspection is a draft). The bytes must be of an accepted
    type, within the size limit, and hash to the phone's SHA-256. Sending the same file again (same `client_id`)
    answers the stored one; a different file under the same `client_id` is refused (409)."""
    inspection = _for_write(actor, inspection_id)
    kind, digest = files.check(data, sha256)
    existing = Evidence.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.inspection_id != inspection.pk or existing.sha256 != digest:
            raise InvalidTransition("该文件标识已用于另一文件", code="evidence_conflict", field="client_id")
        return existing, False
    if inspection.status != Status.DRAFT:
        raise InvalidTransition("检查记录已提交，不能再添加证据", code="inspection_submitted")
    stem = (name or "evidence").rsplit(".", 1)[0][:150] or "evidence"
    item = Evidence(inspection=inspection, client_id=client_id, kind=kind.kind, name=f"{stem}.{kind.extension}",
                    content_type=kind.content_type, size=len(data), sha256=digest, taken_at=taken_at,
                    uploaded_by=actor if _is_user(actor) else None)
    item.file.save(f"{uuid.uuid4().hex}.{kind.extension}", ContentFile(data), save=False)
    item.save()
    record(actor=actor, verb="inspections.evidence_added", target=item,
           data={"inspection": inspection.pk, "sha256": digest, "size": len(data), "type": kind.content_type})
    return item, True


# Submitting --------------------------------------------------------------------------------------------------

def _credentials(inspection: FieldInspection, day: dt.date, actor: Actor) -> list[dict[str, str]]:
    """The officers (the one submitting first) with the 执法证 each holds on `day`; an officer without one is named
    in the refusal."""
    officers = sorted(inspection.officers.all(), key=lambda u: (u.pk != getattr(actor, "pk", None), u.username))
    _require(len(officers) >= MIN_OFFICERS, "现场检查的执法人员不得少于两人（行政处罚法第四十二条）",
             "officers_too_few", "officers")
    held, credentials = [], credentials_on(officers, day)
    for user in officers:
        credential = credentials.get(user.pk)
        _require(credential is not None, f"检查人员{user.full_name}（{user.username}）在 {day} 没有有效的执法证",
                 "credential_invalid", "officers")
        held.append({"username": user.username, "name": user.full_name, "credential": credential.number})
    return held


def _check_complete(inspection: FieldInspection, actor: Actor) -> dt.date:
    _require(inspection.started_at is not None and inspection.ended_at is not None, "请填写检查开始和结束时间",
             "times_required", "started_at")
    _require(inspection.ended_at >= inspection.started_at, "检查结束时间不能早于开始时间", "date_order", "ended_at")
    _require(inspection.ended_at <= timezone.now() + CLOCK_SKEW, "检查结束时间不能晚于现在", "date_in_future",
             "ended_at")
    if _is_user(actor):
        _require(inspection.officers.filter(pk=actor.pk).exists(), "提交人应为本次检查的检查人员之一",
                 "not_an_officer", "officers")
    _require(bool(inspection.place), "请填写检查地点", "place_required", "place")
    missing = lists.unanswered(inspection.checklist)
    _require(not missing, f"检查内容尚未填写结论：{'、'.join(missing)}", "checklist_incomplete", "checklist")
    if inspection.signature_refused:
        _require(bool(inspection.witness), "当事人拒绝签名的，应注明见证人", "witness_required", "witness")
    else:
        _require(bool(inspection.signature_png), "请当事人签名，或注明拒绝签名及见证人", "signature_required",
                 "signature_png")
    _require(bool(inspection.outcome), "请选择检查结果", "outcome_required", "outcome")
    if inspection.outcome == Outcome.NO_PROBLEM:
        _require(not lists.failed(inspection.checklist), "检查内容有不合格项，检查结果不能为“未发现问题”",
                 "outcome_contradicts_checklist", "outcome")
    else:
        _require(bool(inspection.findings), "请填写发现的问题", "findings_required", "findings")
    day = timezone.localdate(inspection.started_at)
    if inspection.outcome == Outcome.RECTIFY:
        _require(inspection.rectify_due is not None and inspection.rectify_due > day, "请填写晚于检查日期的改正期限",
                 "rectify_due_required", "rectify_due")
        _require(bool(inspection.rectify_requirement), "请填写改正要求", "rectify_requirement_required",
                 "rectify_requirement")
    if inspection.outcome == Outcome.TRANSFER:
        _require(bool(inspection.transfer_to), "请填写移送机关", "transfer_to_required", "transfer_to")
    return day


def spot_check_plan(inspection: FieldInspection) -> str:
    """双随机一公开计划id of a check started from a spot-check task: the task part of its reference
    (`<task id>/<result id>`)."""
    if inspection.origin_kind != OriginKind.SPOT_CHECK:
        return ""
    return inspection.origin_ref.split("/", 1)[0][:50]


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


def _behaviour_party(inspection: FieldInspection) -> dict[str, Any]:
    if inspection.supervised_object_id:
        return {"object_id": inspection.supervised_object_id}
    if inspection.person_id:
        return {"person_id": unseal(inspection.person.id_sealed), "person_name": inspection.person.name}
    return {"entity_code": inspection.entity.uscc}


def _party_block(inspection: FieldInspection) -> dict[str, str]:
    return {"kind": "person" if inspection.person_id else "organisation", "name": inspection.party_name,
            "code": inspection.party_code, "address": inspection.party_address}


def _findings_text(inspection: FieldInspection) -> str:
    """现场检查情况 as lines: the item checked, each checklist item with its conclusion, the result, what was found,
    the evidence and the location."""
    answers = dict(Answer.choices)
    lines = [f"检查事项：{inspection.item_name}（{inspection.catalog_code}），{FORMS[inspection.origin_kind]}"
             + (f"（{inspection.origin_ref}）" if inspection.origin_ref else "") + "。"]
    if inspection.checklist:
        lines.append(f"检查内容（{inspection.get_checklist_kind_display()}）：")
        lines += [f"{row['seq']}. {row['item']}：{answers.get(row['answer'], '')}"
                  + (f"（{row['note']}）" if row.get("note") else "") for row in inspection.checklist]
    lines.append(f"检查结果：{Outcome(inspection.outcome).label}。")
    if inspection.findings:
        lines += [f"发现的问题：{line}" if n == 0 else line for n, line in enumerate(inspection.findings.splitlines())]
    if inspection.outcome == Outcome.RECTIFY:
        lines.append(f"责令于 {inspection.rectify_due.isoformat()} 前改正：{inspection.rectify_requirement}")
    if inspection.outcome == Outcome.TRANSFER:
        lines.append(f"移送：{inspection.transfer_to}")
    evidence = list(inspection.evidence.all())
    if evidence:
        lines.append(f"现场照片、视频 {len(evidence)} 件（SHA-256）：")
        lines += [f"{e.name} {e.sha256}" for e in evidence]
    if inspection.latitude is not None:
        lines.append(f"检查位置：北纬 {inspection.latitude}，东经 {inspection.longitude}"
                     + (f"（定位精度约 {inspection.accuracy} 米）" if inspection.accuracy is not None else ""))
    return "\n".join(lines)


def _signature_note(inspection: FieldInspection) -> str:
    if inspection.signature_png:
        return f"当事人已在执法终端上签名确认，签名图像 SHA-256：{inspection.signature_sha256}。"
    return (f"当事人拒绝签名（{inspection.refusal_note or '未说明理由'}），见证人：{inspection.witness}。")


def _context(inspection: FieldInspection, officers: list[dict[str, str]], actor: Actor) -> dict[str, Any]:
    """What the 现场检查笔录 shows (the keys of `documents.contracts.CONTEXT_KEYS["onsite_record"]`), plus the
    checklist, the evidence hashes and the signature image (a data URI) for templates that print them."""
    image = ""
    if inspection.signature_png:
        image = "data:image/png;base64," + base64.b64encode(bytes(inspection.signature_png)).decode()
    return {
        "inspection_number": inspection.number, "party": _party_block(inspection),
        "started_at": _local(inspection.started_at), "ended_at": _local(inspection.ended_at),
        "place": inspection.place, "officers": [{"name": o["name"], "credential": o["credential"]} for o in officers],
        "recorder": actor.full_name if _is_user(actor) else officers[0]["name"],
        "findings": _findings_text(inspection), "refusal": _signature_note(inspection),
        "checklist": [{"seq": row["seq"], "item": row["item"], "answer": row["answer"], "note": row.get("note", "")}
                      for row in inspection.checklist],
        "evidence": [{"name": e.name, "type": e.content_type, "size": e.size, "sha256": e.sha256}
                     for e in inspection.evidence.all()],
        "signature_image": image, "signature_sha256": inspection.signature_sha256,
        "signature_refused": inspection.signature_refused, "witness": inspection.witness,
    }


def _rectification_context(inspection: FieldInspection, actor: Actor) -> dict[str, Any]:
    failed = [f"{row['item']}：{row['note']}" if row.get("note") else row["item"]
              for row in lists.failed(inspection.checklist)]
    return {
        "party": _party_block(inspection), "facts": inspection.findings.splitlines() + failed,
        "deadline": inspection.rectify_due.isoformat(), "requirements": inspection.rectify_requirement,
        "contact": {"name": actor.full_name, "phone": actor.phone} if _is_user(actor) else {},
        "inspection_number": inspection.number,
    }


def _issue(actor: Actor, inspection: FieldInspection, kind: str, context: dict[str, Any]) -> dict[str, Any]:
    issued = documents.issue(actor=actor, kind=kind, department=inspection.department, context=context,
                             subject=f"inspection:{inspection.number}")
    return {"id": issued.id, "kind": issued.kind, "title": issued.title, "number": issued.number,
            "digest": issued.digest}


def _submit(inspection: FieldInspection, actor: Actor) -> None:
    """Submit a complete draft: the 行政检查行为 record, the 现场检查笔录 (and the 责令改正通知书), and a clue when the
    result is one — all in the caller's transaction, so all of it lands or none."""
    if inspection.status != Status.DRAFT:
        raise InvalidTransition("检查记录已提交", code="inspection_submitted")
    day = _check_complete(inspection, actor)
    require_in_force(body_id=inspection.department_id, implementation_code=inspection.implementation_code, on=day,
                     field="implementation_code")
    officers = _credentials(inspection, day, actor)
    inspection.number = f"{inspection.region_id}JC{day:%Y%m%d}{inspection.pk:06d}"
    inspection.officer_credentials = officers
    behaviour.inspection_record(
        actor=actor, department=inspection.department, implementation_code=inspection.implementation_code,
        number=inspection.number, name=f"{FORMS[inspection.origin_kind]}：{inspection.item_name}", date=day,
        form=FORMS[inspection.origin_kind], category="1", method="现场检查",
        result=str(Outcome(inspection.outcome).label), inspectors=[o["name"] for o in officers],
        credential_numbers=[o["credential"] for o in officers],
        spot_check_plan=spot_check_plan(inspection),
        party=_behaviour_party(inspection))
    issued = [_issue(actor, inspection, "onsite_record", _context(inspection, officers, actor))]
    if inspection.outcome == Outcome.RECTIFY:
        issued.append(_issue(actor, inspection, "rectification_order", {
            **_rectification_context(inspection, actor), "onsite_record": issued[0]["number"]}))
    inspection.documents = issued
    if inspection.outcome == Outcome.CLUE:
        clue = enforcement.clue_from_inspection(actor=actor, inspection_number=inspection.number,
                                                summary=inspection.findings)
        inspection.clue_number = clue.number
    inspection.status = Status.SUBMITTED
    inspection.submitted_at = timezone.now()
    inspection.submitted_by = actor if _is_user(actor) else None
    record(actor=actor, verb="inspections.inspection_submitted", target=inspection, data={
        "number": inspection.number, "outcome": inspection.outcome, "officers": officers,
        "documents": [{"number": d["number"], "digest": d["digest"]} for d in issued],
        "clue": inspection.clue_number, "signature_sha256": inspection.signature_sha256})


@transaction.atomic
def inspection_submit(*, actor: Actor, inspection_id: int, base_version: int | None = None) -> FieldInspection:
    """Submit a draft (see `_submit`); with `base_version`, only if nobody changed it since."""
    inspection = _for_write(actor, inspection_id)
    if base_version is not None and base_version != inspection.version:
        raise SyncConflict(inspection, "检查记录已被他人或其他终端修改，请核对服务器上的版本")
    _submit(inspection, actor)
    inspection.version += 1
    inspection.save()
    return inspection


# Sync from a phone -------------------------------------------------------------------------------------------

IDENTITY = ("origin_kind", "origin_ref", "implementation_code", "party")


def payload_digest(payload: dict[str, Any]) -> str:
    """A keyed digest of what a phone sent (JSON values), to recognise the same payload sent again without keeping
    personal data it may carry."""
    return salted_hmac("jianguan.inspections.sync", canonical_json(payload), algorithm="sha256").hexdigest()


def same_party(inspection: FieldInspection, party: dict[str, Any]) -> bool:
    """Whether `party` (as given to `inspection_open`) names the inspection's party."""
    found = _party(party, inspection.department)
    return (getattr(found["entity"], "pk", None), getattr(found["person"], "pk", None),
            getattr(found["supervised_object"], "pk", None)) == (
        inspection.entity_id, inspection.person_id, inspection.supervised_object_id)


def _same_identity(inspection: FieldInspection, values: dict[str, Any]) -> bool:
    """Whether what the phone names (origin, row, party; each only where it names one) is the record's."""
    for name in ("origin_kind", "origin_ref", "implementation_code"):
        if values.get(name) and str(values[name]).strip() != getattr(inspection, name):
            return False
    return not values.get("party") or same_party(inspection, values["party"])


def _sync_once(actor: User, client_id: uuid.UUID, base_version: int, values: dict[str, Any], submit: bool,
               digest: str) -> tuple[FieldInspection, bool]:
    with transaction.atomic():
        inspection = FieldInspection.objects.select_for_update().select_related("department__region").filter(
            client_id=client_id).first()
        if inspection is None:
            inspection = inspection_open(
                actor=actor, origin_kind=values.get("origin_kind") or OriginKind.ROUTINE,
                origin_ref=values.get("origin_ref") or "", implementation_code=values.get("implementation_code") or "",
                party=values.get("party") or {}, officers=values.get("officers") or [], client_id=client_id,
                started_at=values.get("started_at"))
            created = True
        else:
            if not FieldInspection.objects.visible_to(actor).filter(pk=inspection.pk).exists() \
                    or not _may_write(actor, inspection):
                raise NotFound()
            if inspection.payload_hash == digest:
                return inspection, False  # sent again: the stored record, nothing written twice
            if inspection.status != Status.DRAFT:
                raise SyncConflict(inspection, "服务器上的检查记录已提交，与本机的版本不同，未覆盖")
            if base_version != inspection.version:
                raise SyncConflict(inspection, "服务器上的检查记录在本机上次同步后已被修改，未覆盖")
            if not _same_identity(inspection, values):
                raise ValidationFailed("检查来源、实施清单和当事人在开始检查后不能更改", code="identity_changed",
                                       field="implementation_code")
            created = False
        changed = _apply(inspection, {k: v for k, v in values.items() if k in DRAFT_FIELDS})
        if submit:
            _submit(inspection, actor)
        if not created:
            inspection.version += 1
        inspection.payload_hash = digest
        inspection.save()
        record(actor=actor, verb="inspections.inspection_synced", target=inspection, data={
            "client_id": str(client_id), "version": inspection.version, "created": created, "fields": changed,
            "submitted": submit})
        return inspection, created


def inspection_sync(*, actor: User, client_id: uuid.UUID, base_version: int, values: dict[str, Any],
                    submit: bool = False) -> tuple[FieldInspection, bool]:
    """Store what a phone captured, exactly once: create it under the phone's `client_id`, or update the draft the
    phone last saw (`base_version`), and submit it when asked. The same payload sent again answers the stored
    record; a different payload for a record that changed on the server since (or was submitted) is a conflict
    (409) and nothing is overwritten. Returns (record, created)."""
    unknown = set(values) - set(DRAFT_FIELDS) - set(IDENTITY)
    if unknown:
        raise ValidationFailed(f"不允许的字段：{'、'.join(sorted(unknown))}", code="field_unknown",
                               field=sorted(unknown)[0])
    digest = payload_digest(to_jsonable({"values": values, "submit": submit, "client_id": client_id}))
    try:
        return _sync_once(actor, client_id, base_version, values, submit, digest)
    except IntegrityError:
        # Another request created the same client_id in between: it is now stored; answer (or compare with) it.
        return _sync_once(actor, client_id, base_version, values, submit, digest)
