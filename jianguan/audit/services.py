"""`record`: the one way to append to the audit chain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.core.actors import Actor, actor_ref
from jianguan.core.canonical import to_jsonable

from .chain import event_hash
from .models import AuditEvent, ChainHead


def _target_fields(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):  # ("type", "id", "label") for things that are not model instances
        kind, ident, label = target
        return str(kind), str(ident), str(label)[:300]
    meta = target._meta
    return meta.label_lower, str(target.pk), str(target)[:300]


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
    }
    values["target_type"], values["target_id"], values["target_label"] = _target_fields(target)
    values["hash"] = event_hash(values)
    event = AuditEvent.objects.create(**values)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event
