"""Helpers for the work portal's views: sign-in and role checks, pagination, htmx partials."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def role_required(*roles: str) -> Callable:
    """Signed in, and holding one of `roles` (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def page_of(request: HttpRequest, items: Any, per_page: int = 25) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def render_page(request: HttpRequest, template: str, context: dict[str, Any], *, partial: str) -> HttpResponse:
    """Render the whole page, or only `partial` of it when htmx asks (a search box, a next page)."""
    name = f"{template}#{partial}" if getattr(request, "htmx", False) else template
    return render(request, name, context)
