"""Submitting an inspection: the draft must be complete (times, place, checklist, the party's signature or the
refusal with a witness, enforcement.md §1), two or more officers each with a 执法证 valid that day (行政处罚法
第四十二条、第五十五条); then the 行政检查行为 record, the documents, and a clue when the result is one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.contracts import credentials_on
from jianguan.audit.contracts import record
from jianguan.behaviour import contracts as behaviour
from jianguan.catalog.contracts import require_in_force
from jianguan.core.actors import Actor
from jianguan.core.protect import unseal
from jianguan.core.validation import require as _require
from jianguan.enforcement import contracts as enforcement

from . import checklist as lists
from . import workflow
from .access import for_write, is_user
from .drafts import SyncConflict
from .models import FieldInspection, OriginKind, Outcome
from .onsite_record import FORMS, issue_document, record_context, rectification_context

CLOCK_SKEW = dt.timedelta(minutes=10)  # a phone's clock may run this far ahead of the server's


MIN_OFFICERS = 2  # 行政处罚法 第四十二条


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
    if is_user(actor):
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


def _behaviour_party(inspection: FieldInspection) -> dict[str, Any]:
    if inspection.supervised_object_id:
        return {"object_id": inspection.supervised_object_id}
    if inspection.person_id:
        return {"person_id": unseal(inspection.person.id_sealed), "person_name": inspection.person.name}
    return {"entity_code": inspection.entity.uscc}


def submit_draft(inspection: FieldInspection, actor: Actor) -> None:
    """Submit a complete draft: the 行政检查行为 record, the 现场检查笔录 (and the 责令改正通知书), and a clue when the
    result is one — all in the caller's transaction, so all of it lands or none."""
    edge = workflow.INSPECTIONS.check("submit", workflow.writing(inspection, actor))
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
    issued = [issue_document(actor, inspection, "onsite_record", record_context(inspection, officers, actor))]
    if inspection.outcome == Outcome.RECTIFY:
        issued.append(issue_document(actor, inspection, "rectification_order", {
            **rectification_context(inspection, actor), "onsite_record": issued[0]["number"]}))
    inspection.documents = issued
    if inspection.outcome == Outcome.CLUE:
        clue = enforcement.clue_from_inspection(actor=actor, inspection_number=inspection.number,
                                                summary=inspection.findings)
        inspection.clue_number = clue.number
    inspection.status = edge.target
    inspection.submitted_at = timezone.now()
    inspection.submitted_by = actor if is_user(actor) else None
    record(actor=actor, verb="inspections.inspection_submitted", target=inspection, data={
        "number": inspection.number, "outcome": inspection.outcome, "officers": officers,
        "documents": [{"number": d["number"], "digest": d["digest"]} for d in issued],
        "clue": inspection.clue_number, "signature_sha256": inspection.signature_sha256})


@transaction.atomic
def inspection_submit(*, actor: Actor, inspection_id: int, base_version: int | None = None) -> FieldInspection:
    """Submit a draft (see `submit_draft`); with `base_version`, only if nobody changed it since."""
    inspection = for_write(actor, inspection_id, "submit")
    if base_version is not None and base_version != inspection.version:
        raise SyncConflict(inspection, "检查记录已被他人或其他终端修改，请核对服务器上的版本")
    submit_draft(inspection, actor)
    inspection.version += 1
    inspection.save()
    return inspection
