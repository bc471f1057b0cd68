"""`record`: the one way to append to the audit chain; `checkpoint_make`: sign the chain's head (ADR 0023)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from jianguan.core.actors import Actor, actor_ref
from jianguan.core.canonical import to_jsonable

from . import checkpoints
from .chain import SCHEME, event_hash
from .models import AuditEvent, ChainHead, Checkpoint


def _target_fields(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):  # ("type", "id", "label") for things that are not model instances
        kind, ident, label = target
        return str(kind), str(ident), str(label)[:300]
    meta = target._meta
    return meta.label_lower, str(target.pk), str(target)[:300]


def _next_id() -> int:
    """The new event's row id, known before the insert because scheme 2 hashes it: the table's identity
    sequence on PostgreSQL, one past the largest id on SQLite (writers are serialised by the head's lock)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id'))")
            row = cursor.fetchone()
            assert row is not None  # nextval always answers one row
            return int(row[0])
    return int(AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0) + 1


def _target_jurisdiction(target: Any) -> tuple[str | None, int | None]:
    jurisdiction = getattr(target, "audit_jurisdiction", None)
    return jurisdiction() if callable(jurisdiction) else (None, None)


@transaction.atomic
def record(*, actor: Actor, verb: str, target: Any = None, data: dict[str, Any] | None = None,
           region_code: str | None = None, department_id: int | None = None) -> AuditEvent:
    """Append one event, chained to the last, in the caller's transaction.

    `actor` is required: no write can forget who did it. The jurisdiction defaults to the target's
    (`audit_jurisdiction()` → (region code, department id)) and then to the actor's department and region.
    Call it inside the same transaction as the write it describes, so both land or neither does.
    """
    ref = actor_ref(actor)
    target_region, target_department = _target_jurisdiction(target)
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    values: dict[str, Any] = {
        "id": _next_id(),
        "seq": head.seq + 1,
        "occurred_at": timezone.now(),
        "actor_kind": ref.kind,
        "actor_id": ref.id,
        "actor_label": ref.label[:200],
        "verb": verb,
        "region_code": region_code or target_region or ref.region_code or "",
        "department_id": department_id if department_id is not None else (
            target_department if target_department is not None else ref.department_id),
        "payload": to_jsonable(data or {}),
        "algorithm": settings.JIANGUAN_AUDIT_HASH,
        "prev_hash": head.hash,
        "scheme": SCHEME,
    }
    values["target_type"], values["target_id"], values["target_label"] = _target_fields(target)
    values["hash"] = event_hash(values)
    event = AuditEvent.objects.create(**values)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


@transaction.atomic
def checkpoint_make(*, actor: Actor) -> Checkpoint:
    """Sign the chain's head as it stands (检查点), store the checkpoint, write it as a file into the checkpoint
    directory and record the act as the next event. The key never enters the database (ADR 0023)."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    made_at = timezone.now()
    doc = checkpoints.sign(seq=head.seq, hash=head.hash, made_at=to_jsonable(made_at))
    checkpoint = Checkpoint.objects.create(seq=head.seq, hash=head.hash, made_at=made_at, key_id=doc["key_id"],
                                           public_key=doc["public_key"], signature=doc["signature"])
    path = checkpoints.write_file(doc)
    record(actor=actor, verb="audit.checkpoint_made", target=checkpoint,
           data={"seq": head.seq, "hash": head.hash, "key_id": doc["key_id"], "file": path.name})
    return checkpoint
