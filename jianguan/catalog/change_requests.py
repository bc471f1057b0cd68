"""Changes of the list through the workflow in `workflow.py`: a department administrator drafts and submits
(a claim is one kind of change), the level above (or the data administrator) reviews; the submitter may withdraw
or, when sent back, resubmit. Each write takes the acting user and records it in the audit chain.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.errors import AccessDenied, NotFound, ValidationFailed
from jianguan.core.roles import Role

from . import workflow
from .models import ChangeKind, ChangeRequest, ChangeStep
from .payloads import validate

ITEM_KINDS = {ChangeKind.ITEM_ADD, ChangeKind.ITEM_MODIFY, ChangeKind.ITEM_SPLIT, ChangeKind.ITEM_MERGE,
              ChangeKind.ITEM_CANCEL, ChangeKind.ITEM_SUSPEND, ChangeKind.ITEM_RESUME}


def _require_submitter(actor: User, kind: str) -> None:
    if kind in ITEM_KINDS and actor.has_role(Role.DATA_ADMIN):
        return
    if not actor.has_role(Role.DEPARTMENT_ADMIN):
        raise AccessDenied("只有部门管理员可以提出清单变更", code="not_department_admin")


def _facts(change: ChangeRequest, actor: User) -> workflow.Facts:
    return workflow.Facts(state=change.status, actor=actor, kind=change.kind, submitted_by_id=change.submitted_by_id,
                          department_parent_id=change.department.parent_id)


def can_review(actor: User, change: ChangeRequest) -> bool:
    """Whether `actor` may review `change` (`workflow.can_review`)."""
    return workflow.can_review(actor, _facts(change, actor))


def raise_refusal(refusal: Exception | None) -> None:
    if refusal is not None:
        raise refusal


def take_step(change: ChangeRequest, action: str, actor: User, note: str = "") -> None:
    """Take the edge for `action` (`workflow.CHANGES.check`), record the step and its audit event."""
    edge = workflow.CHANGES.check(action, _facts(change, actor))
    old, change.status = change.status, edge.target
    ChangeStep.objects.create(change=change, old=old, new=edge.target, actor=actor, note=note)
    record(actor=actor, verb=f"catalog.change_{action}", target=change,
           data={"kind": change.kind, "old": old, "new": edge.target, "note": note})


@transaction.atomic
def change_submit(*, actor: User, kind: str, payload: dict[str, Any], reason: str = "") -> ChangeRequest:
    """Propose a change of the list and send it for review (validated now, and again when published)."""
    _require_submitter(actor, kind)
    clean = validate(kind, payload, actor.department)
    change = ChangeRequest.objects.create(kind=kind, payload=clean, reason=reason, department=actor.department,
                                          region_id=actor.department.region_id, submitted_by=actor)
    record(actor=actor, verb="catalog.change_drafted", target=change, data={"kind": kind, "payload": clean})
    change.submitted_at = timezone.now()
    take_step(change, "submit", actor)
    change.save(update_fields=["status", "submitted_at", "updated_at"])
    return change


def _locked(change_id: int) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().filter(pk=change_id).first()
    if change is None:
        raise NotFound()
    return change


@transaction.atomic
def change_review(*, actor: User, change_id: int, approve: bool, note: str = "") -> ChangeRequest:
    """Approve or send back a submitted change (the level above or the data administrator).

    The payload was validated when submitted and is validated again when published, against the list as it
    stands then; approval judges its merits.
    """
    change = _locked(change_id)
    raise_refusal(workflow.refuse_reviewer(None, _facts(change, actor)))
    if not approve and not note.strip():
        raise ValidationFailed("退回时须填写审核意见", code="required", field="note")
    take_step(change, "approve" if approve else "reject", actor, note)
    change.reviewed_by, change.reviewed_at, change.review_note = actor, timezone.now(), note
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    return change


@transaction.atomic
def change_withdraw(*, actor: User, change_id: int) -> ChangeRequest:
    change = _locked(change_id)
    raise_refusal(workflow.submitter_refusal("withdraw", _facts(change, actor)))
    take_step(change, "withdraw", actor)
    change.save(update_fields=["status", "updated_at"])
    return change


@transaction.atomic
def change_resubmit(*, actor: User, change_id: int, payload: dict[str, Any], reason: str = "") -> ChangeRequest:
    change = _locked(change_id)
    raise_refusal(workflow.submitter_refusal("submit", _facts(change, actor)))
    change.payload = validate(change.kind, payload, change.department)
    change.reason = reason or change.reason
    take_step(change, "submit", actor)
    change.submitted_at = timezone.now()
    change.save(update_fields=["status", "payload", "reason", "submitted_at", "updated_at"])
    return change
