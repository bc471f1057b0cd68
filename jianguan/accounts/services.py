"""Every write to organisation records. Each takes the acting party as `actor` and records it in the audit chain.

Sign-in, tokens and keys live here too: a failed sign-in is a write (the throttle row) and is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianguan.audit.services import record
from jianguan.core.actors import Actor, SystemActor
from jianguan.core.codes import uscc_error
from jianguan.core.errors import DomainError, ValidationFailed

from . import permissions
from .models import (
    ApiClient,
    ApiKey,
    ApiScope,
    Department,
    LoginThrottle,
    OfficerCredential,
    Region,
    RegionKind,
    Role,
    RoleGrant,
    User,
    UserToken,
)
from .scoping import org_tree_changed

LOGIN_ACTOR = SystemActor("login")
BAD_CREDENTIALS = "用户名或密码错误"


class LoginRefused(DomainError):
    status = 401
    code = "invalid_credentials"


class LoginLocked(LoginRefused):
    code = "account_locked"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- regions and departments -------------------------------------------------------------------------------


@transaction.atomic
def region_create(*, actor: Actor, code: str, name: str, level: int, parent: Region | None,
                  kind: str = RegionKind.ADMINISTRATIVE, gb2260: str | None = None) -> Region:
    """Add a region under `parent`; its path extends the parent's so that subtrees are one prefix query."""
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise ValidationFailed(f"区划代码“{code}”应为 6、9 或 12 位数字", code="region_code_format", field="code")
    if parent is not None and level <= parent.level:
        raise ValidationFailed("下级区划的层级必须低于上级", code="region_level_order", field="level")
    path = f"{parent.path}{code}/" if parent else f"/{code}/"
    region = Region.objects.create(code=code, name=name, level=level, kind=kind, parent=parent,
                                   gb2260=gb2260 or code[:6], path=path)
    record(actor=actor, verb="accounts.region_created", target=region, region_code=code,
           data={"code": code, "name": name, "level": level, "kind": kind, "parent": parent.code if parent else None})
    org_tree_changed()
    return region


@transaction.atomic
def department_create(*, actor: Actor, name: str, short_name: str, uscc: str, kind: str, region: Region,
                      parent: Department | None = None) -> Department:
    """Add a department. Its 统一社会信用代码 must pass GB 32100's check."""
    problem = uscc_error(uscc)
    if problem:
        raise ValidationFailed(f"统一社会信用代码“{uscc}”无效（{problem}）", code=f"uscc_{problem}", field="uscc")
    if Department.objects.filter(uscc=uscc).exists():
        raise ValidationFailed(f"统一社会信用代码“{uscc}”已被其他部门使用", code="uscc_duplicate", field="uscc")
    if parent is not None and parent.region.level >= region.level:
        raise ValidationFailed("上级业务指导部门必须位于更高层级", code="department_parent_level", field="parent")
    department = Department.objects.create(name=name, short_name=short_name, uscc=uscc, kind=kind, region=region,
                                           parent=parent)
    record(actor=actor, verb="accounts.department_created", target=department,
           data={"name": name, "uscc": uscc, "kind": kind, "region": region.code,
                 "parent": parent.pk if parent else None})
    org_tree_changed()
    return department


# --- users, roles, credentials -----------------------------------------------------------------------------


@transaction.atomic
def user_create(*, actor: Actor, username: str, full_name: str, department: Department, password: str = "",
                password_hash: str = "", roles: Iterable[str] = (), phone: str = "") -> User:
    """Create a user in `department` with `roles`. The actor must be allowed to manage that department's users.

    Give `password` (checked against the password rules) or an already hashed `password_hash` (bulk imports).
    """
    permissions.require_manage_users(actor, department)
    username = username.strip()
    if not username or not username.replace("_", "").replace(".", "").isalnum():
        raise ValidationFailed("用户名只能包含字母、数字、下划线和点", code="username_format", field="username")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"用户名“{username}”已存在", code="username_taken", field="username")
    user = User(username=username, full_name=full_name, department=department, phone=phone)
    if password_hash:
        user.password = password_hash
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed("；".join(exc.messages), code="password_weak", field="password") from None
        user.set_password(password)
    user.save()
    granted = sorted(set(roles))
    for role in granted:
        if role not in Role.values:
            raise ValidationFailed(f"未知角色“{role}”", code="role_unknown", field="roles")
        RoleGrant.objects.create(user=user, role=role)
    record(actor=actor, verb="accounts.user_created", target=user,
           data={"username": username, "department": department.pk, "roles": granted})
    return user


@transaction.atomic
def role_grant(*, actor: Actor, user: User, role: str) -> RoleGrant:
    """Grant `role` to an existing user (e.g. `head` to a department's 负责人 after the role split, ADR 0022). The
    actor must be allowed to manage that department's users; granting a role already held changes nothing."""
    permissions.require_manage_users(actor, user.department)
    if role not in Role.values:
        raise ValidationFailed(f"未知角色“{role}”", code="role_unknown", field="role")
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role)
    if created:
        record(actor=actor, verb="accounts.role_granted", target=user, data={"role": role})
    return grant


@transaction.atomic
def credential_add(*, actor: Actor, user: User, number: str, issued_by: str, valid_from: dt.date,
                   valid_to: dt.date, domains: list[str], qualifications: list[str]) -> OfficerCredential:
    """Record an officer's 执法证. Only officers hold one; the validity window must be ordered."""
    permissions.require_manage_users(actor, user.department)
    if not user.has_role(Role.OFFICER):
        raise ValidationFailed("只有执法人员可以登记执法证", code="credential_not_officer", field="user")
    if not number.strip():
        raise ValidationFailed("执法证号不能为空", code="required", field="number")
    if valid_from > valid_to:
        raise ValidationFailed("执法证有效期起不能晚于有效期止", code="date_order", field="valid_to")
    try:
        with transaction.atomic():
            credential = OfficerCredential.objects.create(
                user=user, number=number.strip(), issued_by=issued_by, valid_from=valid_from, valid_to=valid_to,
                domains=domains, qualifications=qualifications)
    except IntegrityError:
        raise ValidationFailed(f"执法证号“{number}”已登记", code="credential_duplicate", field="number") from None
    record(actor=actor, verb="accounts.credential_added", target=user,
           data={"number": credential.number, "valid_from": valid_from, "valid_to": valid_to,
                 "domains": domains, "qualifications": qualifications})
    return credential


# --- sign-in, tokens, keys ---------------------------------------------------------------------------------


def _lockout_settings() -> tuple[int, dt.timedelta, dt.timedelta]:
    return (settings.JIANGUAN_LOGIN_MAX_FAILURES,
            dt.timedelta(minutes=settings.JIANGUAN_LOGIN_WINDOW_MINUTES),
            dt.timedelta(minutes=settings.JIANGUAN_LOGIN_LOCKOUT_MINUTES))


def _locked_message(until: dt.datetime) -> str:
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return f"登录失败次数过多，请 {minutes} 分钟后再试"


@transaction.atomic
def _login_attempt(username: str, password: str) -> User | None:
    """Check one sign-in; count and audit a failure (committed even though the caller then refuses)."""
    now = timezone.now()
    max_failures, window, lockout = _lockout_settings()
    throttle = LoginThrottle.objects.select_for_update().filter(username=username).first()
    if throttle and throttle.locked_until and throttle.locked_until > now:
        raise LoginLocked(_locked_message(throttle.locked_until))
    user = User.objects.filter(username=username, is_active=True).select_related("department").first()
    if user is not None and user.check_password(password) and user.department.is_active:
        if throttle:
            throttle.delete()
        record(actor=user, verb="accounts.logged_in", target=user)
        return user
    if throttle is None:
        throttle = LoginThrottle(username=username)
    if throttle.first_failure_at is None or now - throttle.first_failure_at > window:
        throttle.failures, throttle.first_failure_at = 0, now
    throttle.failures += 1
    locked = throttle.failures >= max_failures
    if locked:
        throttle.locked_until = now + lockout
    throttle.save()
    record(actor=LOGIN_ACTOR, verb="accounts.login_locked" if locked else "accounts.login_failed",
           target=user, data={"username": username, "failures": throttle.failures},
           region_code=user.department.region_id if user else None)
    return None


def login(*, username: str, password: str) -> User:
    """The user for a correct username and password, or one generic refusal.

    After `JIANGUAN_LOGIN_MAX_FAILURES` failures within the window the username is locked for the lockout
    period, whether or not such a user exists, so neither the message nor the lock reveals existence.
    """
    user = _login_attempt((username or "").strip()[:150], password or "")
    if user is None:
        raise LoginRefused(BAD_CREDENTIALS)
    return user


@transaction.atomic
def token_issue(*, user: User) -> tuple[str, dt.datetime]:
    """A new bearer token for `user` (returned once; only its digest is stored)."""
    raw = "jgt_" + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(hours=settings.JIANGUAN_TOKEN_TTL_HOURS)
    UserToken.objects.create(user=user, digest=_digest(raw), expires_at=expires_at)
    record(actor=user, verb="accounts.token_issued", target=user, data={"expires_at": expires_at})
    return raw, expires_at


# digest → (user, token expiry, monotonic time after which the entry is read again); per process.
_token_users: dict[str, tuple[User, dt.datetime, float]] = {}
_TOKEN_CACHE_LIMIT = 10_000


def token_user(raw: str) -> User | None:
    """The active user of an unexpired token, or None.

    The user, with roles and scope resolved, is kept in this process for `JIANGUAN_AUTH_CACHE_SECONDS`
    (default 60): a change of roles, department or active flag reaches token holders within that time. The
    token's own expiry is checked on every request. In-process rather than in the cache backend: unpickling a
    user on every request cost more than the rest of an API read.
    """
    digest = _digest(raw)
    now = timezone.now()
    cached = _token_users.get(digest)
    if cached is not None and cached[2] > time.monotonic():
        user, expires_at, _ = cached
        return user if expires_at > now else None
    token = (UserToken.objects.select_related("user__department__region")
             .filter(digest=digest, expires_at__gt=now, user__is_active=True).first())
    if token is None:
        _token_users.pop(digest, None)
        return None
    user = token.user
    _ = user.roles, user.scope  # resolve now, so that the kept copy carries them
    if settings.JIANGUAN_AUTH_CACHE_SECONDS:
        if len(_token_users) >= _TOKEN_CACHE_LIMIT:
            _token_users.clear()
        _token_users[digest] = (user, token.expires_at, time.monotonic() + settings.JIANGUAN_AUTH_CACHE_SECONDS)
    return user


def token_cache_clear() -> None:
    """Forget every kept token user (after bulk changes of roles, and between tests)."""
    _token_users.clear()


@transaction.atomic
def api_client_create(*, actor: Actor, name: str, department: Department, scopes: list[str]) -> ApiClient:
    unknown = sorted(set(scopes) - set(ApiScope.values))
    if unknown:
        raise ValidationFailed(f"未知的权限范围：{'、'.join(unknown)}", code="scope_unknown", field="scopes")
    client = ApiClient.objects.create(name=name, department=department, scopes=sorted(set(scopes)))
    record(actor=actor, verb="accounts.api_client_created", target=client,
           data={"name": name, "department": department.pk, "scopes": client.scopes})
    return client


@transaction.atomic
def api_key_issue(*, actor: Actor, client: ApiClient, expires_at: dt.datetime | None = None) -> str:
    """A new key `jgk_<prefix>_<secret>` for `client`, returned once."""
    prefix = secrets.token_hex(4)
    raw = f"jgk_{prefix}_{secrets.token_urlsafe(32)}"
    ApiKey.objects.create(client=client, prefix=prefix, digest=_digest(raw), expires_at=expires_at)
    record(actor=actor, verb="accounts.api_key_issued", target=client, data={"prefix": prefix,
                                                                           "expires_at": expires_at})
    return raw


def api_key_client(raw: str) -> ApiClient | None:
    """The active client of a valid, unexpired, unrevoked key, or None."""
    parts = raw.split("_")
    if len(parts) < 3 or parts[0] != "jgk":
        return None
    key = ApiKey.objects.select_related("client__department").filter(prefix=parts[1]).first()
    now = timezone.now()
    if key is None or not secrets.compare_digest(key.digest, _digest(raw)) or key.revoked_at \
            or (key.expires_at and key.expires_at <= now) or not key.client.is_active:
        return None
    return key.client
