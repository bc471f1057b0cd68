"""Helpers for the work portal's views: sign-in and role checks, pagination, htmx partials."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .errors import DomainError
from .scoping import HasScope, Scope
from .tabular import ImportRefused

View = Callable[..., HttpResponse]


def role_required(*roles: str) -> Callable[[View], View]:
    """Signed in, and holding one of `roles` (403 otherwise)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not holds_role(request, *roles):
                raise PermissionDenied
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        wrapped.post_roles = frozenset(roles)  # type: ignore[attr-defined]  # read by the write matrix test
        return wrapped

    return decorator


def post_roles(*roles: str) -> Callable[[View], View]:
    """A page every signed-in reader may see whose form (POST) only holders of `roles` may send (403 otherwise).
    Every page that accepts POST names its roles, here or with `role_required`."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and not holds_role(request, *roles):
                raise PermissionDenied
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        wrapped.post_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def own_account(view: View) -> View:
    """A signed-in page whose form acts only on the sender's own account (password, own tokens, second factor):
    every role may send it, for themselves and nobody else. Named so, like `post_roles`, for the write matrix."""
    wrapped = login_required(view)
    wrapped.own_account = True  # type: ignore[attr-defined]
    return wrapped


def holds_role(request: HttpRequest, *roles: str) -> bool:
    """Whether the signed-in user holds one of `roles` (the user model, in accounts, defines `has_role`)."""
    has_role = getattr(request.user, "has_role", None)
    return bool(has_role and has_role(*roles))


class _Nobody:
    """A reader who may see nothing (an anonymous visitor)."""

    scope = Scope.nothing()


def reader_of(request: HttpRequest) -> HasScope:
    """Who reads a page: the signed-in user (accounts computes their `scope`); anyone else reads nothing. For code
    that receives a plain `HttpRequest` (dashboard cards, the apps below accounts); a page of an app above accounts
    types its request as `accounts.contracts.SignedInRequest` instead."""
    user = request.user
    return user if isinstance(user, HasScope) else _Nobody()


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as the server saw it (a proxy in front should pass the client's on)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    """A download of `data` named `name` (a Chinese name kept, RFC 6266)."""
    disposition = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    return HttpResponse(data, content_type=content_type, headers={"Content-Disposition": disposition})


def page_of(request: HttpRequest, items: Any, per_page: int = 25, *, count: int | None = None) -> Page[Any]:
    """The requested page of `items`; `count`, when the caller knows it already, saves counting them again."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # the cached value Paginator would otherwise compute with a query
    return paginator.get_page(request.GET.get("page"))


def render_page(request: HttpRequest, template: str, context: dict[str, Any], *, partial: str) -> HttpResponse:
    """Render the whole page, or only `partial` of it when htmx asks (a search box, a next page)."""
    name = f"{template}#{partial}" if getattr(request, "htmx", False) else template
    return render(request, name, context)


def record_fields(record: Any, *, hidden: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    """(label, shown value) of a record's fields for a detail page: choices by their label, foreign keys by their
    text, empty values as "—"; `hidden` fields and keys are left out."""
    shown = []
    for field in record._meta.concrete_fields:
        if field.primary_key or field.name in hidden:
            continue
        if field.choices:
            value = getattr(record, f"get_{field.name}_display")()
        elif field.is_relation:
            value = getattr(record, field.name)
        else:
            value = getattr(record, field.attname)
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        elif isinstance(value, list):
            value = "、".join(str(v) for v in value)
        shown.append((str(field.verbose_name), "—" if value in (None, "", []) else value))
    return shown


def attempt(request: HttpRequest, action: Callable[[], Any], done: str) -> Any:
    """Run a service from a page's form; a refusal becomes a message on the page the user comes back to (with
    the error's code), success the message `done`. Returns the service's result, or None when refused."""
    try:
        outcome = action()
    except DomainError as exc:
        messages.error(request, f"{exc.message}（{exc.code}）")
        return None
    messages.success(request, done)
    return outcome


def file_import(request: HttpRequest, load: Callable[..., Any]) -> tuple[Any, ImportRefused | None]:
    """The file posted as `file` given to the import service `load(actor=…, file_name=…, data=…)`: its result, or
    the refusal to show with the form (all or nothing: nothing was kept); `(None, None)` when no file came."""
    upload = request.FILES.get("file") if request.method == "POST" else None
    if not upload:
        return None, None
    try:
        return load(actor=request.user, file_name=upload.name, data=upload.read()), None
    except ImportRefused as exc:
        return None, exc
