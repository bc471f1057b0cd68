"""Middleware of the portals: the language in use, and domain errors turned into the right page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
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
