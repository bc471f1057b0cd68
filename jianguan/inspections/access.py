"""Who may write an inspection: its officers and whoever opened it; others of its department only read it."""

from __future__ import annotations

from jianguan.accounts.models import User
from jianguan.core.actors import Actor

from . import workflow
from .models import FieldInspection


def is_user(actor: Actor) -> bool:
    return isinstance(actor, User)


def may_write(actor: Actor, inspection: FieldInspection) -> bool:
    """The officers of an inspection and whoever opened it write it; others of its department only read it."""
    if not is_user(actor):
        return True
    return inspection.created_by_id == actor.pk or inspection.officers.filter(pk=actor.pk).exists()


def for_write(actor: Actor, inspection_id: int, action: str) -> FieldInspection:
    """The inspection, locked, if `actor` may take `action` on it (the table's who may act; its state is checked
    where the step reads it)."""
    query = FieldInspection.objects.select_for_update().select_related("department__region")
    inspection = query.get_visible(actor, pk=inspection_id) if is_user(actor) else query.get(pk=inspection_id)
    workflow.refuse_reader(action, workflow.Facts(inspection.status, actor, may_write(actor, inspection)))
    return inspection
