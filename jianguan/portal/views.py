"""The two portals' shells: sign-in and sign-out, the dashboard, the public home page."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import i18n
from django.views.decorators.cache import cache_page, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from jianguan.accounts import contracts as accounts
from jianguan.accounts.models import User
from jianguan.articles import contracts as articles
from jianguan.audit.contracts import record
from jianguan.core.http import client_address
from jianguan.core.registry import dashboard_cards

from .forms import LoginForm

PENDING = "jianguan_signin_pending"  # session key: the user whose password was right and whose code is awaited
PENDING_SECONDS = 300


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).select_related("department").first()


def _refused(request: HttpRequest, template_context: dict[str, Any], exc: accounts.LoginRefused) -> HttpResponse:
    response = render(request, "portal/login.html", {**template_context, "error": exc.message},
                      status=exc.status if isinstance(exc, accounts.LoginDelayed) else 200)
    for name, value in getattr(exc, "headers", {}).items():
        response[name] = value
    return response


def _complete(request: HttpRequest, user: User, device: object, next_url: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    accounts.signed_in(user=user, second_factor_used=device is not None)
    return redirect(next_url or "portal:dashboard")


@never_cache
def login(request: HttpRequest) -> HttpResponse:
    """Sign in with username and password, then, for administrators and heads, the 6-digit code of their
    authenticator app. Repeated failures make the next attempt wait, longer each time (429 with Retry-After)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    address = client_address(request)
    pending = _pending_user(request) if request.method == "POST" and "otp" in request.POST else None
    if pending is not None:
        context: dict[str, Any] = {"form": None, "otp_step": True, "next": next_url}
        try:
            device = accounts.second_factor_verify(user=pending, code=request.POST["otp"], address=address)
        except accounts.LoginRefused as exc:
            return _refused(request, context, exc)
        return _complete(request, pending, device, next_url)
    form = LoginForm(request.POST or None) if "otp" not in request.POST else LoginForm()
    context = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.authenticate(username=form.cleaned_data["username"],
                                         password=form.cleaned_data["password"], address=address)
        except accounts.LoginRefused as exc:
            return _refused(request, context, exc)
        if accounts.required_for(user) and accounts.confirmed_device(user) is not None:
            request.session[PENDING] = {"user": user.pk, "at": time.time()}
            return render(request, "portal/login.html", {"form": None, "otp_step": True, "next": next_url})
        # Someone who must use a second factor but has none yet is signed in only to enrol one (the middleware).
        return _complete(request, user, None, next_url)
    return render(request, "portal/login.html", {**context, "error": ""})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(actor=request.user, verb="accounts.logged_out", target=request.user)
    django_logout(request)
    return redirect("portal:login")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html", {"cards": dashboard_cards(request)})


@cache_page(60)
def public_home(request: HttpRequest) -> HttpResponse:
    """The service portal's home page: the same for every visitor in a language, so cached for a minute."""
    return render(request, "public/home.html", {"headlines": articles.headlines()})


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch without a CSRF token: choosing a language changes nothing but the visitor's own
    display, and the public pages that offer it carry no per-visitor token so that they can be cached."""
    return i18n.set_language(request)
