"""Sends a signed-in person who must show a second factor and has not (yet) to the page where they enrol or enter
their code; nothing else of the work portal answers them. The API decides for itself (its session check)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import second_factor

OPEN_PREFIXES = ("/static/", "/public/", "/api/", "/i18n/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (settings.JIANGUAN_REQUIRE_SECOND_FACTOR and settings.SESSION_COOKIE_NAME in request.COOKIES
                and not request.path.startswith(OPEN_PREFIXES)
                and request.path not in {reverse("accounts:second_factor"), reverse("portal:login"),
                                         reverse("portal:logout")}
                and second_factor.required_for(request.user) and not second_factor.is_verified(request)):
            return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
