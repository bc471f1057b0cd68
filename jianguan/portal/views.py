"""The two portals' shells: sign-in and sign-out, the dashboard, the public home page."""

from __future__ import annotations

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

from jianguan.accounts import services
from jianguan.audit.services import record
from jianguan.core.registry import dashboard_cards

from .forms import LoginForm


@never_cache
def login(request: HttpRequest) -> HttpResponse:
    """Sign in with username and password; repeated failures lock the username for a while."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login(username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        except services.LoginRefused as exc:
            error = exc.message
        else:
            django_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url or "portal:dashboard")
    return render(request, "portal/login.html", {"form": form, "error": error, "next": next_url})


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
    return render(request, "public/home.html")


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch without a CSRF token: choosing a language changes nothing but the visitor's own
    display, and the public pages that offer it carry no per-visitor token so that they can be cached."""
    return i18n.set_language(request)
