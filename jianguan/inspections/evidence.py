"""What a file on the evidence list may be: the type is read from the bytes themselves, never from the name or the
type the phone claims. Photos (JPEG, PNG, HEIC) and MP4 videos are accepted [config: `TYPES`]. `evidence_add`
attaches one to a draft inspection."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import InvalidTransition, ValidationFailed

from . import workflow
from .access import for_write, is_user
from .models import Evidence

# The accepted types: (kind, content type, extension) by how the bytes begin. [config]
HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
MP4_BRANDS = frozenset({b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"})
TYPES_LABEL = "JPEG、PNG、HEIC 照片或 MP4 视频"
# Largest file accepted, in bytes (JIANGUAN_INSPECTION_EVIDENCE_MAX_BYTES). [config]
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
SIGNATURE_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extension: str


def sniff(data: bytes) -> FileType | None:
    """The type of `data` by its first bytes, or None when it is not an accepted type."""
    if data.startswith(b"\xff\xd8\xff"):
        return FileType("photo", "image/jpeg", "jpg")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType("photo", "image/png", "png")
    if len(data) >= 12 and data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in HEIF_BRANDS:
            return FileType("photo", "image/heic", "heic")
        if brand in MP4_BRANDS:
            return FileType("video", "video/mp4", "mp4")
    return None


def max_bytes() -> int:
    return int(getattr(settings, "JIANGUAN_INSPECTION_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def check(data: bytes, claimed_sha256: str) -> tuple[FileType, str]:
    """The file's type and SHA-256, if it is an accepted type, within the size limit, and its bytes hash to what the
    phone computed when it was taken (so that what was captured is what is stored)."""
    limit = max_bytes()
    if len(data) > limit:
        raise ValidationFailed(f"文件超过大小限制（{limit // (1024 * 1024)} MB）", code="evidence_too_large",
                               field="file")
    if not data:
        raise ValidationFailed("文件为空", code="evidence_empty", field="file")
    kind = sniff(data)
    if kind is None:
        raise ValidationFailed(f"文件类型不允许：只接受{TYPES_LABEL}", code="evidence_type", field="file")
    digest = hashlib.sha256(data).hexdigest()
    if digest != claimed_sha256.strip().lower():
        raise ValidationFailed("文件的 SHA-256 与终端计算的不一致：文件可能在传输中损坏或被改动",
                               code="evidence_hash_mismatch", field="sha256")
    return kind, digest


def signature_bytes(value: str) -> bytes:
    """The PNG of a signature drawn on the screen, from base64 or a `data:image/png;base64,` URI."""
    text = value.strip()
    if text.startswith("data:"):
        header, _, text = text.partition(",")
        if header != "data:image/png;base64":
            raise ValidationFailed("签名应为 PNG 图像", code="signature_invalid", field="signature_png")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed("签名图像编码无效", code="signature_invalid", field="signature_png") from None
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationFailed("签名应为 PNG 图像", code="signature_invalid", field="signature_png")
    if len(data) > SIGNATURE_MAX_BYTES:
        raise ValidationFailed("签名图像过大", code="signature_too_large", field="signature_png")
    return data


@transaction.atomic
def evidence_add(*, actor: Actor, inspection_id: int, client_id: uuid.UUID | str, name: str, data: bytes,
                 sha256: str, taken_at: dt.datetime | None = None) -> tuple[Evidence, bool]:
    """Attach a photo or video taken on site (while the inspection is a draft). The bytes must be of an accepted
    type, within the size limit, and hash to the phone's SHA-256. Sending the same file again (same `client_id`)
    answers the stored one; a different file under the same `client_id` is refused (409)."""
    inspection = for_write(actor, inspection_id, "add_evidence")
    kind, digest = check(data, sha256)
    existing = Evidence.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.inspection_id != inspection.pk or existing.sha256 != digest:
            raise InvalidTransition("该文件标识已用于另一文件", code="evidence_conflict", field="client_id")
        return existing, False
    workflow.INSPECTIONS.check("add_evidence", workflow.writing(inspection, actor))
    stem = (name or "evidence").rsplit(".", 1)[0][:150] or "evidence"
    item = Evidence(inspection=inspection, client_id=client_id, kind=kind.kind, name=f"{stem}.{kind.extension}",
                    content_type=kind.content_type, size=len(data), sha256=digest, taken_at=taken_at,
                    uploaded_by=actor if is_user(actor) else None)
    item.file.save(f"{uuid.uuid4().hex}.{kind.extension}", ContentFile(data), save=False)
    item.save()
    record(actor=actor, verb="inspections.evidence_added", target=item,
           data={"inspection": inspection.pk, "sha256": digest, "size": len(data), "type": kind.content_type})
    return item, True
