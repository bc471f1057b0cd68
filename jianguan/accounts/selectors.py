"""Reads of organisation records, scoped by the reader's jurisdiction."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope

from .models import Department, Region, User, UserToken


def region_list(*, reader: HasScope, parent: str | None = None) -> QuerySet[Region]:
    """Regions of the reader's jurisdiction (the tree below their department's region)."""
    regions = Region.objects.filter(reader.scope.region_q("code"))
    if parent:
        regions = regions.filter(parent_id=parent)
    return regions.order_by("code")


def department_list(*, reader: HasScope, kind: str | None = None, region: str | None = None) -> QuerySet[Department]:
    """The department directory of the reader's jurisdiction."""
    departments = Department.objects.filter(reader.scope.region_q("region_id"), is_active=True)
    if kind:
        departments = departments.filter(kind=kind)
    if region:
        departments = departments.filter(region_id=region)
    return departments.select_related("region").order_by("region_id", "kind")


def department_get(*, reader: HasScope, department_id: int) -> Department:
    department = department_list(reader=reader).filter(pk=department_id).first()
    if department is None:
        raise NotFound()
    return department


def user_list(*, reader: HasScope, department: int | None = None, role: str | None = None) -> QuerySet[User]:
    """People of the departments the reader may see."""
    scope = reader.scope
    users = User.objects.filter(scope.region_q("department__region_id"))
    if scope.department_ids is not None:
        users = users.filter(department_id__in=scope.department_ids)
    if department:
        users = users.filter(department_id=department)
    if role:
        users = users.filter(role_grants__role=role)
    return users.select_related("department").prefetch_related("role_grants", "credentials").order_by("username")


def user_get(*, reader: HasScope, username: str) -> User:
    user = user_list(reader=reader).filter(username=username).first()
    if user is None:
        raise NotFound()
    return user


def token_list(*, reader: User) -> QuerySet[UserToken]:
    """The reader's own bearer tokens that still work (unexpired, unrevoked), newest first."""
    return UserToken.objects.filter(user=reader, revoked_at__isnull=True,
                                    expires_at__gt=timezone.now()).order_by("-created_at")
