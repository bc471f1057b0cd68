"""How callers of the API prove who they are, and the checks operations make on them.

- Browser: the Django session (with CSRF on unsafe methods, checked only when the session signs someone in, so that
  a call with a missing or bad key or token answers 401, never a CSRF 403); a person who must show a second factor
  counts only once they have.
- People from scripts and apps: `Authorization: Bearer <token>` from `POST /api/v1/auth/token`.
- Other systems: `X-API-Key: jgk_…`; each operation that systems may call names the scope it needs.
`request.auth` is then a `User` or an `ApiClient`; both carry `.scope` and describe themselves as actors.
Operations check the caller with `jianguan.core.api.require_person` / `require_reader`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
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
