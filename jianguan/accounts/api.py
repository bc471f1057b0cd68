"""`/api/v1/auth/…`, `/api/v1/me`, `/api/v1/org/…`."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from jianguan.core import ratelimit
from jianguan.core.api import (
    ErrorOut,
    InputSchema,
    Page,
    PageQuery,
    ScopedOut,
    paginate,
    require_person,
    require_reader,
)
from jianguan.core.http import client_address
from jianguan.core.roles import ApiScope

from . import selectors, services
from .models import Department, OfficerCredential, Region, User, UserToken

router = Router(tags=["组织与用户 org"])


class TokenIn(InputSchema):
    username: str
    password: str
    otp: str | None = None  # the 6-digit TOTP code: required of administrators and heads when enforced


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 (a scheme name, not a secret)
    expires_at: dt.datetime


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut}, tags=["认证 auth"])
def token_create(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    """Exchange a username and password (and, for administrators and heads, the TOTP code `otp`) for a bearer
    token. Failures make the next attempt wait like on the sign-in page (429 with Retry-After); at most
    `JIANGUAN_TOKEN_REQUESTS_PER_MINUTE` requests per source address and minute (429 with Retry-After)."""
    ratelimit.hit(request, "auth_token", limit=settings.JIANGUAN_TOKEN_REQUESTS_PER_MINUTE, window=60)
    user = services.login(username=payload.username, password=payload.password, otp=payload.otp,
                          address=client_address(request))
    token, expires_at = services.token_issue(user=user)
    return {"token": token, "expires_at": expires_at}


class PasswordChangeIn(InputSchema):
    old_password: str
    new_password: str


@router.post("/me/password", response={204: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut}, tags=["认证 auth"])
def password_change(request: HttpRequest, payload: PasswordChangeIn) -> Status[None]:
    """Change one's own password (the current one is required); every bearer token of the person is revoked."""
    services.password_change(actor=require_person(request), old_password=payload.old_password,
                             new_password=payload.new_password)
    return Status(204, None)


class OwnTokenOut(Schema):
    id: int
    created_at: dt.datetime
    expires_at: dt.datetime


@router.get("/me/tokens", response=list[OwnTokenOut], tags=["认证 auth"])
def token_list(request: HttpRequest) -> QuerySet[UserToken]:
    """One's own bearer tokens that still work."""
    return selectors.token_list(reader=require_person(request))


@router.delete("/me/tokens/{token_id}", response={204: None, 404: ErrorOut}, tags=["认证 auth"])
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of one's own tokens; it is refused from then on (someone else's answers 404)."""
    services.token_revoke(actor=require_person(request), token_id=token_id)
    return Status(204, None)


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    parent: str | None
    gb2260: str

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent_id


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    uscc: str
    kind: str
    region: str
    region_name: str
    parent: int | None

    @staticmethod
    def resolve_region(obj: Department) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Department) -> str:
        return obj.region.name

    @staticmethod
    def resolve_parent(obj: Department) -> int | None:
        return obj.parent_id


class CredentialOut(Schema):
    number: str
    issued_by: str
    valid_from: dt.date
    valid_to: dt.date
    domains: list[str]
    qualifications: list[str]


class UserOut(ScopedOut):
    username: str
    full_name: str
    department: int
    department_name: str
    roles: list[str]
    credentials: list[CredentialOut]

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return sorted(grant.role for grant in obj.role_grants.all())

    @staticmethod
    def resolve_credentials(obj: User) -> list[OfficerCredential]:
        return [c for c in obj.credentials.all() if c.revoked_at is None]


class MeOut(UserOut):
    region: str
    scope_regions: int
    scope_all_departments: bool

    @staticmethod
    def resolve_region(obj: User) -> str:
        return obj.department.region_id

    @staticmethod
    def resolve_scope_regions(obj: User) -> int:
        return len(obj.scope.region_codes)

    @staticmethod
    def resolve_scope_all_departments(obj: User) -> bool:
        return obj.scope.department_ids is None


@router.get("/me", response=MeOut, tags=["认证 auth"])
def me(request: HttpRequest) -> User:
    """The signed-in user, their roles and the extent of what they may read."""
    # `core.api` may not name accounts' `User`; the only person a request carries is one.
    return cast(User, require_person(request))


class RegionFilter(Schema):
    parent: str | None = None


@router.get("/org/regions", response=list[RegionOut])
def region_list(request: HttpRequest, filters: Query[RegionFilter]) -> QuerySet[Region]:
    """Regions of the caller's jurisdiction."""
    return selectors.region_list(reader=require_reader(request, ApiScope.READ), parent=filters.parent)


class DepartmentFilter(Schema):
    kind: str | None = None
    region: str | None = None


@router.get("/org/departments", response=list[DepartmentOut])
def department_list(request: HttpRequest, filters: Query[DepartmentFilter]) -> QuerySet[Department]:
    """Departments of the caller's jurisdiction."""
    return selectors.department_list(reader=require_reader(request, ApiScope.READ), kind=filters.kind,
                                     region=filters.region)


@router.get("/org/departments/{department_id}", response={200: DepartmentOut, 404: ErrorOut})
def department_get(request: HttpRequest, department_id: int) -> Department:
    return selectors.department_get(reader=require_reader(request, ApiScope.READ), department_id=department_id)


class UserFilter(PageQuery):
    department: int | None = None
    role: str | None = None


@router.get("/org/users", response=Page[UserOut])
def user_list(request: HttpRequest, filters: Query[UserFilter]) -> dict[str, Any]:
    """People of the departments the caller may see (people only; systems are refused)."""
    users = selectors.user_list(reader=require_person(request), department=filters.department, role=filters.role)
    return paginate(users, filters)


@router.get("/org/users/{username}", response={200: UserOut, 404: ErrorOut})
def user_get(request: HttpRequest, username: str) -> User:
    return selectors.user_get(reader=require_person(request), username=username)
