"""Reads of organisation records, scoped by the reader's jurisdiction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from jianguan.core.errors import NotFound
from jianguan.core.roles import Role
from jianguan.core.scoping import HasScope

from .models import Department, OfficerCredential, Region, RegionLevel, User, UserToken


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


# Officers on duty (行政处罚法 第四十二条, 行政强制法 第十八条第二项: officers act holding a valid 执法证) ---------

def credential_on(user: User, day: dt.date) -> OfficerCredential | None:
    """The officer's 执法证 valid on `day` (not revoked, within its validity; the longest-running first), or None."""
    return OfficerCredential.objects.valid_on(day).filter(user=user).order_by("-valid_to").first()


def credentials_on(users: Iterable[User], day: dt.date) -> dict[int, OfficerCredential]:
    """`credential_on` for many officers in one query: user id → 执法证 (officers without one are absent)."""
    held: dict[int, OfficerCredential] = {}
    for credential in OfficerCredential.objects.valid_on(day).filter(
            user_id__in=[u.pk for u in users]).order_by("user_id", "-valid_to"):
        held.setdefault(credential.user_id, credential)
    return held


def officers_on_duty(*, department: Department, day: dt.date) -> QuerySet[User]:
    """The department's active 执法人员 holding an 执法证 valid on `day`, by username."""
    return User.objects.filter(
        department=department, is_active=True, role_grants__role=Role.OFFICER,
        pk__in=OfficerCredential.objects.valid_on(day).values("user_id")).distinct().order_by("username")


def public_officer_list(*, department_id: int, day: dt.date) -> list[tuple[str, str]]:
    """(姓名, 执法证号) of the department's active officers for each 执法证 valid on `day`, by name: what 事前公开
    publishes of its officers (国办发〔2018〕118号 二（一）: 执法人员 and their 执法证), never a phone, an ID number or
    a username."""
    rows = (OfficerCredential.objects.valid_on(day)
            .filter(user__department_id=department_id, user__is_active=True)
            .order_by("user__full_name", "number").values_list("user__full_name", "number"))
    return list(rows)


def line_body(*, region: Region, kind: str) -> Department | None:
    """The active body of the line `kind` at the county (or zone) of `region`, else the locality's; None if neither
    has one. Complaints and risk alerts are routed by it."""
    node: Region | None = region
    while node is not None and node.level > RegionLevel.COUNTY:
        node = node.parent
    for candidate in (node, Region.objects.filter(code=settings.JIANGUAN_LOCALITY).first()):
        if candidate is None:
            continue
        department = Department.objects.filter(region=candidate, kind=kind, is_active=True).order_by("pk").first()
        if department is not None:
            return department
    return None
