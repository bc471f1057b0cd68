"""Evidence of a case: files checked for type (extension and content), size and the sender's SHA-256, stored
content-addressed, each one an event of the case's history."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.validation import require as _require

from . import workflow
from .cases import case_lock
from .history import append_event
from .models import Evidence, EvidenceKind
from .permissions import actor_facts, case_facts

# Evidence files [config]: extension → (content type, kind, magic test); at most EVIDENCE_MAX_BYTES each.
EVIDENCE_TYPES: dict[str, tuple[str, str, Callable[[bytes], bool]]] = {
    "jpg": ("image/jpeg", EvidenceKind.PHOTO, lambda b: b[:3] == b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", EvidenceKind.PHOTO, lambda b: b[:3] == b"\xff\xd8\xff"),
    "png": ("image/png", EvidenceKind.PHOTO, lambda b: b[:8] == b"\x89PNG\r\n\x1a\n"),
    "pdf": ("application/pdf", EvidenceKind.DOCUMENT, lambda b: b[:5] == b"%PDF-"),
    "mp3": ("audio/mpeg", EvidenceKind.AUDIO, lambda b: b[:3] == b"ID3" or b[:2] in (b"\xff\xfb", b"\xff\xf3",
                                                                                       b"\xff\xf2")),
    "wav": ("audio/wav", EvidenceKind.AUDIO, lambda b: b[:4] == b"RIFF" and b[8:12] == b"WAVE"),
    "mp4": ("video/mp4", EvidenceKind.VIDEO, lambda b: b[4:8] == b"ftyp"),
}


EVIDENCE_MAX_BYTES = 50 * 1024 * 1024


class EvidenceTooLarge(ValidationFailed):
    """A file of evidence above the configured size (413)."""

    status = 413


def evidence_max_bytes() -> int:
    return int(getattr(settings, "JIANGUAN_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES))


def evidence_path(sha256: str) -> Path:
    """Where the bytes of an evidence file live: content-addressed under the var directory."""
    return Path(settings.VAR_DIR) / "evidence" / sha256[:2] / sha256


def _sniff(name: str, data: bytes) -> tuple[str, str, str]:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = "、".join(sorted(EVIDENCE_TYPES))
    _require(extension in EVIDENCE_TYPES, f"不接受此类型的文件（允许：{allowed}）", "file_type_refused", "file")
    content_type, kind, looks_right = EVIDENCE_TYPES[extension]
    _require(looks_right(data), f"文件内容与扩展名 .{extension} 不符", "file_type_mismatch", "file")
    return extension, content_type, kind


@transaction.atomic
def evidence_add(*, actor: User, case_id: int, file_name: str, data: bytes, sha256: str, title: str = "",
                 collected_on: dt.date | None = None, today: dt.date | None = None) -> Evidence:
    """Store a file of evidence for an open case, after checking its type (extension and content), its size and
    that the SHA-256 the sender computed is that of the bytes received."""
    today = today or timezone.localdate()
    case = case_lock(case_id)
    handler = workflow.Edge(case.status, "evidence", case.status, workflow.HANDLER, "")
    if not workflow.may(handler, actor_facts(actor), case_facts(case, today)):
        raise AccessDenied("只有本案承办人员可以上传证据", code="not_permitted")
    _require(case.status in workflow.OPEN, "案件已结案，不能再补充证据", "case_closed", "file")
    limit = evidence_max_bytes()
    if len(data) > limit:
        raise EvidenceTooLarge(f"文件超过 {limit // (1024 * 1024)} MB 的上限", code="file_too_large", field="file")
    _require(data, "文件为空", "file_empty", "file")
    digest = hashlib.sha256(data).hexdigest()
    claimed = str(sha256 or "").strip().lower()
    _require(len(claimed) == 64, "须提供文件的 SHA-256（64 位十六进制）", "sha256_required", "sha256")
    _require(claimed == digest, "文件的 SHA-256 与提供的不符（传输中损坏或被改动），已拒收", "sha256_mismatch",
             "sha256")
    _require(not case.evidence.filter(sha256=digest).exists(), "该文件已上传", "evidence_duplicate", "file")
    _, content_type, kind = _sniff(file_name, data)
    collected_on = collected_on or today
    _require(collected_on <= today, "“取证日期”不能晚于今天", "date_in_future", "collected_on")
    path = evidence_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)
    evidence = Evidence.objects.create(
        case=case, kind=kind, title=(title or file_name)[:200], file_name=file_name[:200], content_type=content_type,
        size=len(data), sha256=digest, collected_on=collected_on, uploaded_by=actor, uploaded_at=timezone.now())
    append_event(case, actor=actor, verb="evidence_added", on=collected_on, data={
        "evidence": evidence.pk, "title": evidence.title, "kind": kind, "size": len(data), "sha256": digest})
    record(actor=actor, verb="enforcement.evidence_added", target=case,
           data={"evidence": evidence.pk, "sha256": digest, "size": len(data)})
    return evidence


def evidence_bytes(evidence: Evidence) -> bytes:
    data = evidence_path(evidence.sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise ValidationFailed("证据文件已被改动（摘要不符）", code="evidence_tampered", field="file")
    return data
