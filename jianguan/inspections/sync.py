"""The idempotent sync a phone uses for all of an inspection's writes: create under the phone's `client_id`, update
the draft it last saw, submit when asked; the same payload sent again answers the stored record."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.canonical import canonical_json, to_jsonable
from jianguan.core.errors import NotFound, ValidationFailed

from . import workflow
from .access import may_write
from .drafts import DRAFT_FIELDS, SyncConflict, apply_values
from .models import FieldInspection, OriginKind
from .opening import inspection_open
from .parties import party_fields
from .submission import submit_draft

IDENTITY = ("origin_kind", "origin_ref", "implementation_code", "party")


def payload_digest(payload: dict[str, Any]) -> str:
    """A keyed digest of what a phone sent (JSON values), to recognise the same payload sent again without keeping
    personal data it may carry."""
    return salted_hmac("jianguan.inspections.sync", canonical_json(payload), algorithm="sha256").hexdigest()


def same_party(inspection: FieldInspection, party: dict[str, Any]) -> bool:
    """Whether `party` (as given to `inspection_open`) names the inspection's party."""
    found = party_fields(party, inspection.department)
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
                    or not may_write(actor, inspection):
                raise NotFound()
            if inspection.payload_hash == digest:
                return inspection, False  # sent again: the stored record, nothing written twice
            workflow.INSPECTIONS.check("sync", workflow.writing(inspection, actor))
            if base_version != inspection.version:
                raise SyncConflict(inspection, "服务器上的检查记录在本机上次同步后已被修改，未覆盖")
            if not _same_identity(inspection, values):
                raise ValidationFailed("检查来源、实施清单和当事人在开始检查后不能更改", code="identity_changed",
                                       field="implementation_code")
            created = False
        changed = apply_values(inspection, {k: v for k, v in values.items() if k in DRAFT_FIELDS})
        if submit:
            submit_draft(inspection, actor)
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
