"""Work-portal pages of the organisation (the department directory, the people of a jurisdiction) and each person's
own account: password, bearer tokens, second factor."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from jianguan.core.errors import DomainError
from jianguan.core.http import attempt, client_address, own_account, page_of, role_required
from jianguan.core.roles import Role

from . import second_factor, selectors, services
from .models import Department, Region, User
from .requests import SignedInRequest


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=gettext_lazy("当前密码"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=gettext_lazy("新密码"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))


@login_required
def org(request: SignedInRequest) -> HttpResponse:
    departments = selectors.department_list(reader=request.user)
    regions = {r.code: r for r in selectors.region_list(reader=request.user)}
    by_region: dict[str, list[Department]] = {}
    for department in departments:
        by_region.setdefault(department.region_id, []).append(department)
    groups = [(regions.get(code) or Region(code=code, name=code), items) for code, items in by_region.items()]
    return render(request, "accounts/org.html", {"groups": groups, "region_count": len(regions)})


@role_required(Role.SYSTEM_ADMIN, Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN, Role.LEADER)
def users(request: SignedInRequest) -> HttpResponse:
    people = selectors.user_list(reader=request.user)
    return render(request, "accounts/users.html", {"page": page_of(request, people)})


@login_required
def account(request: SignedInRequest) -> HttpResponse:
    """The signed-in person's own security: password, bearer tokens, second factor."""
    return render(request, "accounts/account.html", {
        "form": PasswordChangeForm(), "tokens": selectors.token_list(reader=request.user),
        "second_factor_required": second_factor.required_for(request.user),
        "device": second_factor.confirmed_device(request.user)})


@own_account
@require_POST
def password_change(request: SignedInRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST)
    if form.is_valid():
        done = attempt(request, lambda: services.password_change(
            actor=request.user, old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password"]), _("密码已修改，原有访问令牌均已撤销"))
        if done is not None:
            update_session_auth_hash(request, done)  # the browser that changed it stays signed in
    else:
        messages.error(request, _("请填写当前密码和新密码"))
    return redirect("accounts:account")


@own_account
@require_POST
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    services.token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("访问令牌已撤销"))
    return redirect("accounts:account")


@own_account
@never_cache
def second_factor_page(request: SignedInRequest) -> HttpResponse:
    """Enrol a TOTP device (a new key shown as an otpauth URI and as text, confirmed by a code it generates), or,
    with one already confirmed, enter its code to go on."""
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    device = second_factor.confirmed_device(user)
    verify = device is not None and not second_factor.is_verified(request)
    error = ""
    if request.method == "POST":
        code = request.POST.get("otp", "")
        try:
            if verify:
                accepted = services.second_factor_verify(user=user, code=code, address=client_address(request))
            elif request.POST.get("action") == "start":
                services.second_factor_enrol_start(actor=user)
                accepted = None
            else:
                accepted = services.second_factor_enrol_confirm(actor=user, code=code)
        except DomainError as exc:
            error = exc.message
            if isinstance(exc, services.LoginDelayed):
                response = _second_factor_render(request, user, verify, next_url, error, status=429)
                response["Retry-After"] = exc.headers["Retry-After"]
                return response
        else:
            if accepted is not None:
                otp_login(request, accepted)
                messages.success(request, _("双因素认证已启用") if not verify else _("验证通过"))
                return redirect(next_url or "portal:dashboard")
    return _second_factor_render(request, user, verify, next_url, error)


def _second_factor_render(request: HttpRequest, user: User, verify: bool, next_url: str, error: str,
                          status: int = 200) -> HttpResponse:
    pending = None if verify else second_factor.pending_device(user)
    return render(request, "accounts/second_factor.html", {
        "verify": verify, "pending": pending, "next": next_url, "error": error,
        "uri": pending.config_url if pending else "",
        "secret": second_factor.grouped_secret(pending) if pending else "",
        "enrolled": second_factor.confirmed_device(user) is not None}, status=status)
