"""Credit repair (信用修复) of published 行政处罚 information: applications and decisions (ADR 0045).

`repair_apply` takes an application — from the public portal (the applicant names the entity by its 统一社会信用代码
and the decision by its 文书号, uploads the 信用承诺书 and proof of correction), from an officer, or from a connected
system — checks it against the scheme in force (`repair_checks`) and stores it with its files and the payload as
received. `repair_act` takes the workflow's steps (`repair_workflow.REPAIRS`): accept or refuse, then the head's
decision with reasons. An approval records the early end of the publication (`PublicationEnd`), which the
disclosure side and the exchange read through `contracts.publication_end_list` (the exchange pushes it to the
provincial platform)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.behaviour.models import Penalty
from jianguan.core.actors import Actor, person
from jianguan.core.codes import uscc_error
from jianguan.core.errors import AccessDenied, NotFound, ValidationFailed
from jianguan.core.numbering import daily_number
from jianguan.core.roles import Role
from jianguan.core.scoping import HasScope
from jianguan.core.workflow import acts_for
from jianguan.documents import contracts as documents

from . import repair_checks as checks
from . import repair_policy as rp
from .models import PublicationEnd, RepairApplication, RepairAttachment, RepairChannel, RepairStatus
from .repair_workflow import REPAIRS, Facts

MAX_FILE_BYTES = 10 * 1024 * 1024
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
PHONE = re.compile(r"[0-9+\- ]{5,30}")
TEXT_FIELDS = {"uscc": ("统一社会信用代码", 18), "decision_number": ("行政处罚决定书文号", 100),
               "applicant_name": ("申请人", 100), "applicant_phone": ("联系电话", 30),
               "correction": ("纠正失信行为情况", 2000)}
STAFF = (Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.HEAD)  # who enters an application of their department's penalty


@dataclass(frozen=True)
class Upload:
    """A file as received: its name and bytes."""

    name: str
    data: bytes


def _text(values: dict[str, Any], key: str) -> str:
    label, max_len = TEXT_FIELDS[key]
    value = str(values.get(key) or "").strip()
    if not value:
        raise ValidationFailed(f"缺少必填字段“{label}”", code="required", field=key)
    if len(value) > max_len or "\x00" in value:
        raise ValidationFailed(f"“{label}”不能超过 {max_len} 个字符", code="too_long", field=key)
    return value


def _clean(values: dict[str, Any]) -> dict[str, str]:
    clean = {key: _text(values, key) for key in TEXT_FIELDS}
    clean["uscc"] = clean["uscc"].upper()
    if uscc_error(clean["uscc"]):
        raise ValidationFailed("统一社会信用代码无效", code="uscc_invalid", field="uscc")
    if not PHONE.fullmatch(clean["applicant_phone"]):
        raise ValidationFailed("联系电话格式不正确", code="phone_invalid", field="applicant_phone")
    return clean


def _file(upload: Upload | None, field: str, label: str) -> tuple[str, Upload]:
    """The file's type from its bytes (PDF, JPEG or PNG), within the size limit."""
    if upload is None or not upload.data:
        raise ValidationFailed(f"请上传{label}", code="required", field=field)
    if len(upload.data) > MAX_FILE_BYTES:
        raise ValidationFailed(f"{label}不能超过 10 MB", code="file_too_large", field=field)
    kind = next((mime for magic, mime in SIGNATURES if upload.data.startswith(magic)), None)
    if kind is None:
        raise ValidationFailed(f"{label}只接受 PDF、JPG 或 PNG 文件", code="file_type", field=field)
    return kind, upload


def _penalty(clean: dict[str, str], actor: Actor, channel: str) -> Penalty:
    """The published decision the application names: by the entity's code and the 文书号; officers and systems only
    within their scope (the public may name any, and learn only that it was not found)."""
    rows = Penalty.objects.filter(entity__uscc=clean["uscc"], decision_number=clean["decision_number"],
                                  withdrawn_at__isnull=True, entity__isnull=False)
    if channel != RepairChannel.PORTAL:
        rows = rows.visible_to(cast(HasScope, actor))
    found: Penalty | None = rows.select_related("department").order_by("-date", "-pk").first()
    if found is None:
        raise NotFound("未找到该主体的这份行政处罚决定（请核对统一社会信用代码和决定书文号）",
                       code="penalty_not_found", extra={"field": "decision_number"})
    if channel == RepairChannel.OFFICER and not acts_for(actor, found.department_id, *STAFF):
        raise AccessDenied("“行政处罚决定书文号”所指的处罚不是本部门作出的：信用修复申请由作出处罚决定的部门录入",
                           code="not_repair_officer", field="decision_number")
    return found


def _no_other(penalty: Penalty) -> None:
    others = RepairApplication.objects.filter(penalty=penalty).exclude(status=RepairStatus.REJECTED)
    if others.filter(status=RepairStatus.APPROVED).exists():
        raise ValidationFailed("该处罚信息已修复", code="already_repaired", field="decision_number")
    if others.exists():
        raise ValidationFailed("该处罚信息已有正在办理的修复申请", code="repair_pending", field="decision_number")


def repair_apply(*, actor: Actor, channel: str, values: dict[str, Any], commitment: Upload | None,
                 proofs: list[Upload], today: dt.date | None = None) -> RepairApplication:
    """Take in an application: every field and file checked, the scheme row chosen, every condition checked (the
    first that fails refuses it with its rule), then stored with its files and the payload as received."""
    if channel not in RepairChannel.values:
        raise ValidationFailed("申请渠道无效", code="channel_invalid", field="channel")
    today = today or timezone.localdate()
    clean = _clean(values)
    files = [("commitment", *_file(commitment, "commitment", "信用承诺书"))]
    if not proofs:
        raise ValidationFailed("请上传纠正失信行为的证明材料", code="required", field="proof")
    files += [("proof", *_file(upload, "proof", "证明材料")) for upload in proofs[:10]]
    with transaction.atomic():
        penalty = _penalty(clean, actor, channel)
        stored, policy = checks.policy_in_force(actor=actor)
        judged = checks.judge(penalty, department_kind=penalty.department.kind, policy=policy, applied_on=today)
        checks.first_refusal(judged, today=today)
        found = checks.problems(judged, penalty, today=today)
        for rule in ("repairable", "min_served", "performed", "not_listed"):
            if rule in found:
                raise found[rule]
        Penalty.objects.select_for_update().filter(pk=penalty.pk).first()  # one application at a time per penalty
        _no_other(penalty)
        assert judged.row is not None and judged.eligible_on is not None
        app = RepairApplication.objects.create(
            number=daily_number("XF", today, issued=RepairApplication.objects.all()), penalty=penalty,
            entity_id=cast(int, penalty.entity_id), department=penalty.department, region_id=penalty.region_id,
            channel=channel, applicant_name=clean["applicant_name"], applicant_phone=clean["applicant_phone"],
            correction=clean["correction"], raw={k: str(v) for k, v in values.items()}, policy=stored,
            scheme=judged.row.scheme, publication_channel=judged.channel, category=judged.category,
            scheme_date=judged.scheme_date, eligible_on=judged.eligible_on, publish_until=judged.publication.ends_on,
            submitted_at=timezone.now(), submitted_by=actor.as_actor_ref().label[:100])
        for kind, mime, upload in files:
            RepairAttachment.objects.create(application=app, kind=kind, name=upload.name[:200], content_type=mime,
                                            size=len(upload.data), sha256=hashlib.sha256(upload.data).hexdigest(),
                                            data=upload.data)
        record(actor=actor, verb="credit.repair_applied", target=app, data={
            "number": app.number, "penalty": penalty.number, "channel": channel, "scheme": app.scheme,
            "policy": stored.version, "category": app.category, "files": len(files)})
    return app


def repair_act(*, actor: Actor, application_id: int, action: str, reasons: str = "",
               today: dt.date | None = None) -> RepairApplication:
    """Take one step of the application (accept, refuse, approve, reject); an approval ends the publication."""
    today = today or timezone.localdate()
    with transaction.atomic():
        app: RepairApplication | None = RepairApplication.objects.select_for_update().filter(
            pk=application_id).first()
        if app is None:
            raise NotFound()
        penalty = Penalty.objects.get(pk=app.penalty_id)
        kind = Department.objects.only("kind").get(pk=app.department_id).kind
        _, policy = checks.policy_of(app)
        judged = checks.judge(penalty, department_kind=kind, policy=policy, applied_on=app.submitted_at.date())
        facts = Facts(app.status, actor, app.department_id, app.accepted_by_id, reasons,
                      checks.problems(judged, penalty, today=today) if action == "approve" else {})
        edge = REPAIRS.check(action, facts)
        someone = person(actor)
        now = timezone.now()
        if action == "accept":
            app.accepted_at, app.accepted_by_id = now, getattr(someone, "pk", None)
        else:
            app.decided_at, app.decided_by_id, app.reasons = now, getattr(someone, "pk", None), reasons.strip()[:2000]
        old, app.status = app.status, edge.target
        app.save()
        end = None
        if edge.target == RepairStatus.APPROVED:
            end = PublicationEnd.objects.create(penalty_id=app.penalty_id, repair=app, ended_on=today,
                                                department_id=app.department_id, region_id=app.region_id)
        if action in DECISIONS:
            _issue_decision(app, penalty, judged, actor=actor, today=today)
        record(actor=actor, verb=f"credit.repair_{action}", target=app, data={
            "number": app.number, "from": old, "to": app.status, "reasons": app.reasons,
            "citation": edge.citation, "publication_ended_on": end.ended_on.isoformat() if end else None,
            "document": app.decision_document_number})
    return app


DECISIONS = ("approve", "reject")  # the head's decisions, each issued as a 信用修复决定书
GSXT_BASIS = "《市场监督管理行政处罚信息公示规定》第十六条"


def _issue_decision(app: RepairApplication, penalty: Penalty, judged: checks.Judged, *, actor: Actor,
                    today: dt.date) -> None:
    """The 信用修复决定书 of the head's decision, in the decision's transaction: 准予 (publication stops today) or
    不予 (it runs to its end), the reasons, the penalty's 文书号 and the scheme with its basis (国市监信规〔2021〕3号
    第五条: the deciding body decides and tells the applicant; 行政处罚信息公示规定 第十六条)."""
    entity = app.entity
    title = judged.row.title if judged.row is not None else app.scheme
    approved = app.status == RepairStatus.APPROVED
    issued = documents.issue(actor=actor, kind="credit_repair_decision", department=app.department,
                             subject=f"credit-repair:{app.number}", context={
        "party": {"kind": "organisation", "name": entity.name, "code": entity.uscc,
                  "address": entity.registered_address, "legal_representative": entity.legal_representative},
        "application": {"number": app.number, "date": timezone.localtime(app.submitted_at).date().isoformat()},
        "penalty": {"number": penalty.decision_number, "date": penalty.date.isoformat(), "content": penalty.result},
        "approved": approved, "reasons": app.reasons,
        "scheme": {"title": title, "category": rp.CATEGORIES.get(app.category, app.category),
                   "eligible_on": app.eligible_on.isoformat()},
        "basis": title + (f"；{GSXT_BASIS}" if app.publication_channel == "gsxt" else ""),
        "ends_on": today.isoformat() if approved else (app.publish_until.isoformat() if app.publish_until else ""),
        "review": documents.remedies(app.department)})
    app.decision_document, app.decision_document_number = issued.id, issued.number
    app.save(update_fields=["decision_document", "decision_document_number"])
