"""Middleware of the portals: the language in use, domain errors turned into the right page, and the headers that
keep a signed-in person's pages private and the browser's features off."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import check_for_language

from .errors import DomainError, NotFound


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The language a visitor chose (the language cookie), otherwise the platform's default (中文).

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not consulted: a government platform speaks
    Chinese unless someone switches, whatever the browser's locale happens to be.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        if isinstance(exception, DomainError):
            return render(request, "portal/error.html", {"error": exception}, status=exception.status)
        return None


class PrivateResponseMiddleware:
    """`Permissions-Policy` on every response (camera and position only for this site's own pages: the phone page of
    field inspections; the rest off), and `Cache-Control: no-store` on every response to a signed-in person or a
    system, so that no browser or proxy cache keeps what only they may read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.JIANGUAN_PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.policy)
        if self._signed_in(request):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        if getattr(request, "auth", None) is not None:  # the API's caller: a person's token or a system's key
            return True
        user = getattr(request, "user", None)
        if user is None or (isinstance(user, SimpleLazyObject) and settings.SESSION_COOKIE_NAME not in request.COOKIES):
            return False  # no session cookie and nobody signed in during this request: the session is not read
        return bool(user.is_authenticated)
