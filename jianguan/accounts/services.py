"""Every write to organisation records. Each takes the acting party as `actor` and records it in the audit chain.

Sign-in, tokens and keys live here too: a failed sign-in is a write (the throttle row) and is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, SystemActor
from jianguan.core.codes import uscc_error
from jianguan.core.errors import DomainError, NotFound, ValidationFailed

from . import permissions, second_factor
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


class LoginDelayed(LoginRefused):
    """Too many failures: the next attempt must wait (`extra.retry_after` seconds, also the Retry-After header)."""

    status = 429
    code = "login_delayed"

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.extra["retry_after"])}


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


def _delay_seconds(failures: int, allowed: int) -> int:
    """After `allowed` failures each further failure doubles the wait (2, 4, 8 … seconds), up to the cap."""
    if failures < allowed:
        return 0
    wait: int = 2 ** min(failures - allowed + 1, 30)  # a positive exponent: an int (typeshed says Any)
    cap_minutes: int = settings.JIANGUAN_LOGIN_LOCKOUT_MINUTES
    return min(wait, cap_minutes * 60)


def _throttle_keys(username: str, address: str) -> dict[str, int]:
    """The counters one attempt touches, each with the failures it allows before delays begin."""
    keys = {f"account:{username}": settings.JIANGUAN_LOGIN_MAX_FAILURES}
    if address:
        keys[f"address:{address}"] = settings.JIANGUAN_LOGIN_MAX_FAILURES_PER_ADDRESS
    return keys


def _delayed_message(seconds: int) -> str:
    if seconds >= 60:
        return f"登录失败次数过多，请 {math.ceil(seconds / 60)} 分钟后再试"
    return f"登录失败次数过多，请 {seconds} 秒后再试"


def _check_delay(keys: dict[str, int], now: dt.datetime) -> None:
    """Refuse (429, Retry-After) while any of the counters asks to wait; the password is then not even checked."""
    waits = [row.retry_at for row in LoginThrottle.objects.select_for_update().filter(key__in=keys)
             if row.retry_at and row.retry_at > now]
    if waits:
        seconds = max(1, math.ceil((max(waits) - now).total_seconds()))
        raise LoginDelayed(_delayed_message(seconds), extra={"retry_after": seconds})


def _count_failure(keys: dict[str, int], now: dt.datetime) -> tuple[int, int]:
    """Count one failure on every counter; returns the account's failures and the longest delay now asked."""
    window = dt.timedelta(minutes=settings.JIANGUAN_LOGIN_WINDOW_MINUTES)
    account_failures, longest = 0, 0
    for key, allowed in keys.items():
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key)
        if row.first_failure_at is None or now - row.first_failure_at > window:
            row.failures, row.first_failure_at = 0, now
        row.failures += 1
        delay = _delay_seconds(row.failures, allowed)
        row.retry_at = now + dt.timedelta(seconds=delay) if delay else None
        row.save()
        longest = max(longest, delay)
        if key.startswith("account:"):
            account_failures = row.failures
    return account_failures, longest


def _record_failure(*, verb: str, username: str, address: str, user: User | None, failures: int,
                    delay: int) -> None:
    record(actor=LOGIN_ACTOR, verb="accounts.login_delayed" if delay else verb, target=user,
           data={"username": username, "address": address, "failures": failures, "delay_seconds": delay},
           region_code=user.department.region_id if user else None)


@transaction.atomic
def _password_attempt(username: str, password: str, address: str) -> User | None:
    """Check one sign-in; count and audit a failure (committed even though the caller then refuses).

    An unknown username costs a password hash like a known one (as Django's ModelBackend does), so that the
    time of the answer does not tell whether the user exists.
    """
    now = timezone.now()
    keys = _throttle_keys(username, address)
    _check_delay(keys, now)
    user = User.objects.filter(username=username, is_active=True).select_related("department").first()
    if user is None:
        make_password(password)  # the hash an existing user's check would cost
    elif user.check_password(password) and user.department.is_active:
        LoginThrottle.objects.filter(key=f"account:{username}").delete()
        return user
    failures, delay = _count_failure(keys, now)
    _record_failure(verb="accounts.login_failed", username=username, address=address, user=user,
                    failures=failures, delay=delay)
    return None


def authenticate(*, username: str, password: str, address: str = "") -> User:
    """The user for a correct username and password (the first step of a sign-in), or one generic refusal.

    Failures are counted per account (whether or not it exists, so that a delay reveals nothing) and per source
    address. After `JIANGUAN_LOGIN_MAX_FAILURES` failures of an account within the window, or
    `JIANGUAN_LOGIN_MAX_FAILURES_PER_ADDRESS` from one address, each further attempt must wait twice as long as
    the last (2, 4, 8 … seconds, at most `JIANGUAN_LOGIN_LOCKOUT_MINUTES`) and is refused with 429 before that:
    a delay, not a lock, so that nobody can shut a person out for long by failing on their name.
    """
    user = _password_attempt((username or "").strip()[:150], password or "", (address or "")[:45])
    if user is None:
        raise LoginRefused(BAD_CREDENTIALS)
    return user


@transaction.atomic
def _code_attempt(user: User, code: str, address: str) -> TOTPDevice | None:
    now = timezone.now()
    keys = _throttle_keys(user.username, address)
    _check_delay(keys, now)
    device = second_factor.confirmed_device(user)
    if device is not None and code.isdigit() and len(code) == device.digits and device.verify_token(code):
        LoginThrottle.objects.filter(key=f"account:{user.username}").delete()
        return device
    failures, delay = _count_failure(keys, now)
    _record_failure(verb="accounts.otp_failed", username=user.username, address=address, user=user,
                    failures=failures, delay=delay)
    return None


def second_factor_verify(*, user: User, code: str, address: str = "") -> TOTPDevice:
    """The device that accepts `code` (the second step); a wrong code is a failed sign-in like a wrong password."""
    device = _code_attempt(user, (code or "").strip(), (address or "")[:45])
    if device is None:
        raise LoginRefused("动态验证码错误或已过期", code="otp_invalid", field="otp")
    return device


def signed_in(*, user: User, second_factor_used: bool) -> None:
    """Record a completed sign-in."""
    record(actor=user, verb="accounts.logged_in", target=user, data={"second_factor": second_factor_used})


def login(*, username: str, password: str, address: str = "", otp: str | None = None) -> User:
    """Both steps at once (the token endpoint): the password and, for those who need one, the TOTP code.

    A person who must use a second factor but has no device yet enrols on the web first.
    """
    user = authenticate(username=username, password=password, address=address)
    needs_code = second_factor.required_for(user)
    if needs_code:
        if second_factor.confirmed_device(user) is None:
            raise LoginRefused("该账号须先登录网页绑定动态验证码（双因素认证）后才能申请令牌", code="otp_not_enrolled",
                               field="otp")
        if not otp:
            raise LoginRefused("请填写动态验证码", code="otp_required", field="otp")
        second_factor_verify(user=user, code=otp, address=address)
    signed_in(user=user, second_factor_used=needs_code)
    return user


@transaction.atomic
def second_factor_enrol_start(*, actor: User) -> TOTPDevice:
    """A new, unconfirmed TOTP device of `actor` (a fresh key; an earlier unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=actor, name="totp", confirmed=False)
    record(actor=actor, verb="accounts.otp_enrolment_started", target=actor)
    return device


def second_factor_enrol_confirm(*, actor: User, code: str, address: str = "") -> TOTPDevice:
    """Confirm the pending device with a code it generated; from then on the person signs in with it."""
    with transaction.atomic():
        device = second_factor.pending_device(actor)
        code = (code or "").strip()
        accepted = device is not None and code.isdigit() and len(code) == device.digits and device.verify_token(code)
        if accepted and device is not None:  # `accepted` already holds a device; this tells the type checker
            TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(actor=actor, verb="accounts.otp_enrolled", target=actor)
            return device
    if device is None:
        raise ValidationFailed("请先生成密钥", code="otp_not_started", field="otp")
    raise ValidationFailed("动态验证码错误或已过期", code="otp_invalid", field="otp")


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """Change one's own password: the current one is required, the new one must pass the password rules. Every
    bearer token of the person is revoked with it (a stolen token should not outlive the password)."""
    if not actor.check_password(old_password or ""):
        raise ValidationFailed("当前密码错误", code="password_incorrect", field="old_password")
    try:
        validate_password(new_password or "", actor)
    except ValidationError as exc:
        raise ValidationFailed("；".join(exc.messages), code="password_weak", field="new_password") from None
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    revoked = _tokens_revoke(UserToken.objects.filter(user=actor))
    record(actor=actor, verb="accounts.password_changed", target=actor, data={"tokens_revoked": revoked})
    return actor


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
             .filter(digest=digest, expires_at__gt=now, revoked_at__isnull=True, user__is_active=True).first())
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


def _tokens_revoke(tokens: QuerySet[UserToken]) -> int:
    """Revoke the live ones of `tokens` and forget their kept users, so that they are refused at once."""
    live = list(tokens.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).values_list("pk", "digest"))
    UserToken.objects.filter(pk__in=[pk for pk, _ in live]).update(revoked_at=timezone.now())
    for _, digest in live:
        _token_users.pop(digest, None)
    return len(live)


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> None:
    """Revoke one of the actor's own live bearer tokens (someone else's answers 404 like an absent one)."""
    tokens = UserToken.objects.filter(user=actor, pk=token_id)
    if not _tokens_revoke(tokens):
        raise NotFound()
    record(actor=actor, verb="accounts.token_revoked", target=actor, data={"token": token_id})


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
