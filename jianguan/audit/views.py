"""Work-portal page of the audit chain: the reader's events and, for administrators, verification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.core.http import page_of, render_page, role_required
from jianguan.core.roles import Role

from . import selectors, tasks
from .models import AuditEvent


@login_required
def events(request: HttpRequest) -> HttpResponse:
    verb = request.GET.get("verb", "").strip()
    page = page_of(request, selectors.event_list(user=request.user, verb=verb or None))
    can_verify = request.user.has_role(Role.DATA_ADMIN, Role.SYSTEM_ADMIN)
    last_check = AuditEvent.objects.filter(verb="audit.chain_verified").order_by("-seq").first() \
        if can_verify else None
    return render_page(request, "audit/events.html",
                       {"page": page, "verb": verb, "last_check": last_check, "can_verify": can_verify},
                       partial="rows")


@require_POST
@role_required(Role.DATA_ADMIN, Role.SYSTEM_ADMIN)
def verify(request: HttpRequest) -> HttpResponse:
    tasks.chain_verify.enqueue()
    messages.success(request, _("已提交审计链校验任务，完成后结果显示在本页。"))
    return redirect("audit:events")
