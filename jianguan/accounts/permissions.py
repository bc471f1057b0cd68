"""Who may do what to organisation records. Reads are scoped in `scoping`; these guard writes."""

from __future__ import annotations

from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied

from .models import Department, Role, User


def can_manage_users_of(actor: User, department: Department) -> bool:
    """System administrators manage users in their jurisdiction; department administrators their own department."""
    if actor.has_role(Role.SYSTEM_ADMIN):
        return department.region_id in actor.scope.region_codes
    return actor.has_role(Role.DEPARTMENT_ADMIN) and department.pk == actor.department_id


def require_manage_users(actor: Actor, department: Department) -> None:
    """A person must be allowed to manage the department's users; a system actor (the seed) is not checked."""
    if isinstance(actor, User) and not can_manage_users_of(actor, department):
        raise AccessDenied("无权管理该部门的用户", code="cannot_manage_users")
