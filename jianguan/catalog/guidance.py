"""Guidance: a guiding department writes to the departments it guides about a 子项 (recorded in the audit chain)."""

from __future__ import annotations

from django.db import transaction

from jianguan.accounts.models import Department, User
from jianguan.audit.contracts import record
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role

from .models import CatalogItem, Guidance


@transaction.atomic
def guidance_send(*, actor: User, to_department: Department, item: CatalogItem, note: str) -> Guidance:
    """A guiding department's administrator writes to a department it guides about a 子项."""
    if not actor.has_role(Role.DEPARTMENT_ADMIN) or to_department.parent_id != actor.department_id:
        raise AccessDenied("只能指导本部门所指导的下级部门", code="not_guiding_department")
    if not note.strip():
        raise ValidationFailed("指导意见不能为空", code="required", field="note")
    guidance = Guidance.objects.create(from_department=actor.department, to_department=to_department, item=item,
                                       note=note.strip(), author=actor)
    record(actor=actor, verb="catalog.guidance_sent", target=guidance, department_id=to_department.pk,
           region_code=to_department.region_id, data={"item": item.code, "to": to_department.pk, "note": note})
    return guidance
