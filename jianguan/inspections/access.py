"""Who may write an inspection: its officers and whoever opened it; others of its department only read it."""

from __future__ import annotations

from jianguan.accounts.models import User
from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied

from .models import FieldInspection


def is_user(actor: Actor) -> bool:
    return isinstance(actor, User)


def may_write(actor: Actor, inspection: FieldInspection) -> bool:
    """The officers of an inspection and whoever opened it write it; others of its department only read it."""
    if not is_user(actor):
        return True
    return inspection.created_by_id == actor.pk or inspection.officers.filter(pk=actor.pk).exists()


def for_write(actor: Actor, inspection_id: int) -> FieldInspection:
    query = FieldInspection.objects.select_for_update().select_related("department__region")
    inspection = query.get_visible(actor, pk=inspection_id) if is_user(actor) else query.get(pk=inspection_id)
    if not may_write(actor, inspection):
        raise AccessDenied("只有本次检查的检查人员可以修改检查记录", code="not_an_officer")
    return inspection
