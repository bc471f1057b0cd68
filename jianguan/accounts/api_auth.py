"""How callers of the API prove who they are, and the checks operations make on them.

- Browser: the Django session (with CSRF on unsafe methods).
- People from scripts and apps: `Authorization: Bearer <token>` from `POST /api/v1/auth/token`.
- Other systems: `X-API-Key: jgk_…`; each operation that systems may call names the scope it needs.
`request.auth` is then a `User` or an `ApiClient`; both carry `.scope` and describe themselves as actors.
Operations check the caller with `jianguan.core.api.require_person` / `require_reader`.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from . import services
from .models import ApiClient, User


class SessionUser(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if user.is_authenticated and user.is_active else None


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
