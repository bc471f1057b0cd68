"""What the 现场检查笔录 and the 责令改正通知书 of a submitted inspection say, and issuing them."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.utils import timezone

from jianguan.core.actors import Actor
from jianguan.documents import contracts as documents

from . import checklist as lists
from .access import is_user
from .models import Answer, FieldInspection, OriginKind, Outcome

# 检查形式 of the behaviour record, by origin (a local dictionary; the national one is unpublished). [config]
FORMS = {OriginKind.SPOT_CHECK: "双随机抽查", OriginKind.JOINT_TASK: "联合检查", OriginKind.COMPLAINT: "投诉举报核查",
         OriginKind.RISK_ALERT: "风险预警核查", OriginKind.ROUTINE: "日常检查", OriginKind.SPECIAL: "专项检查",
         OriginKind.REMOTE_ALARM: "非现场监管告警核查"}


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


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


def record_context(inspection: FieldInspection, officers: list[dict[str, str]], actor: Actor) -> dict[str, Any]:
    """What the 现场检查笔录 shows (the keys of `documents.contracts.CONTEXT_KEYS["onsite_record"]`), plus the
    checklist, the evidence hashes and the signature image (a data URI) for templates that print them."""
    image = ""
    if inspection.signature_png:
        image = "data:image/png;base64," + base64.b64encode(bytes(inspection.signature_png)).decode()
    return {
        "inspection_number": inspection.number, "party": _party_block(inspection),
        "started_at": _local(inspection.started_at), "ended_at": _local(inspection.ended_at),
        "place": inspection.place, "officers": [{"name": o["name"], "credential": o["credential"]} for o in officers],
        "recorder": actor.full_name if is_user(actor) else officers[0]["name"],
        "findings": _findings_text(inspection), "refusal": _signature_note(inspection),
        "checklist": [{"seq": row["seq"], "item": row["item"], "answer": row["answer"], "note": row.get("note", "")}
                      for row in inspection.checklist],
        "evidence": [{"name": e.name, "type": e.content_type, "size": e.size, "sha256": e.sha256}
                     for e in inspection.evidence.all()],
        "signature_image": image, "signature_sha256": inspection.signature_sha256,
        "signature_refused": inspection.signature_refused, "witness": inspection.witness,
    }


def rectification_context(inspection: FieldInspection, actor: Actor) -> dict[str, Any]:
    failed = [f"{row['item']}：{row['note']}" if row.get("note") else row["item"]
              for row in lists.failed(inspection.checklist)]
    return {
        "party": _party_block(inspection), "facts": inspection.findings.splitlines() + failed,
        "deadline": inspection.rectify_due.isoformat(), "requirements": inspection.rectify_requirement,
        "contact": {"name": actor.full_name, "phone": actor.phone} if is_user(actor) else {},
        "inspection_number": inspection.number,
    }


def issue_document(actor: Actor, inspection: FieldInspection, kind: str, context: dict[str, Any]) -> dict[str, Any]:
    issued = documents.issue(actor=actor, kind=kind, department=inspection.department, context=context,
                             subject=f"inspection:{inspection.number}")
    return {"id": issued.id, "kind": issued.kind, "title": issued.title, "number": issued.number,
            "digest": issued.digest}
