"""How callers of the API prove who they are, and the checks operations make on them.

- Browser: the Django session (with CSRF on unsafe methods, checked only when the session signs someone in, so that
  a call with a missing or bad key or token answers 401, never a CSRF 403); a person who must show a second factor
  counts only once they have.
- People from scripts and apps: `Authorization: Bearer <token>` from `POST /api/v1/auth/token`.
- Other systems: `X-API-Key: jgk_…`; each operation that systems may call names the scope it needs.
`request.auth` is then a `User` or an `ApiClient`; both carry `.scope` and describe themselves as actors.
Operations check the caller with `jianguan.core.api.require_person` / `require_reader`.

Every write operation names who may call it with `auth=allow(Role.…, systems=ApiScope.…)`: the caller is
identified as above and then refused (403) unless a person holds one of the roles or a system holds the scope,
before the body is read. `tests/test_write_matrix.py` fails for a write operation that does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthorizationError, HttpError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth
from ninja.utils import check_csrf

from . import second_factor, services
from .models import ApiClient, User


class SessionUser(SessionAuth):
    def _get_key(self, request: HttpRequest) -> str | None:
        # ninja's own version checks CSRF before it knows whether anyone is signed in: an anonymous call would get
        # 403 instead of 401. The check is made in `authenticate`, once the session is known to sign someone in.
        return request.COOKIES.get(settings.SESSION_COOKIE_NAME)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not key or not (user.is_authenticated and user.is_active):
            return None
        if second_factor.required_for(user) and not second_factor.is_verified(request):
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF check Failed")
        return user


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        # The header straight from the WSGI environ: `request.headers` builds a mapping of every header first.
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        return self.authenticate(request, token.strip()) if scheme.lower() == "bearer" and token else None

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = services.token_user(token)
        if user is not None:
            request.user = user
        return user


class SystemKey(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiClient | None:
        return services.api_key_client(key) if key else None


AUTH = [BearerToken(), SystemKey(), SessionUser()]  # cheapest checks first: headers before the session


class RoleGate:
    """One way of proving identity (`inner`), then the operation's own rule: a person holding one of `roles`, or a
    system holding `systems`. Keeps the inner scheme's OpenAPI description."""

    def __init__(self, inner: Callable[[HttpRequest], Any], roles: tuple[str, ...], systems: str | None) -> None:
        self.inner, self.roles, self.systems = inner, frozenset(roles), systems
        self.openapi_security_schema = getattr(inner, "openapi_security_schema", None)

    def __call__(self, request: HttpRequest) -> Any:
        who = self.inner(request)
        if not who:
            return None
        if getattr(who, "is_person", False):
            permitted = who.has_role(*self.roles)
        else:
            permitted = self.systems is not None and self.systems in getattr(who, "scopes", ())
        if not permitted:
            raise AuthorizationError()
        return who


def allow(*roles: str, systems: str | None = None) -> list[RoleGate]:
    """The `auth` of a write operation: who may call it (people by role, systems by the scope of their key)."""
    # One gate per scheme, named like it, so that the OpenAPI document describes the same schemes.
    return [type(type(inner).__name__, (RoleGate,), {})(inner, roles, systems) for inner in AUTH]
