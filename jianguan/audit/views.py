"""Work-portal page of the audit chain: the reader's events and, for administrators, verification; the public
portal's list of signed checkpoints (page and JSON, with the public key), for anyone to keep a copy (ADR 0023)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.core.http import holds_role, page_of, reader_of, render_page, role_required
from jianguan.core.roles import Role

from . import checkpoints, selectors, tasks
from .models import AuditEvent, Checkpoint

PUBLIC_CHECKPOINTS = 400  # more than a year of daily checkpoints


@login_required
def events(request: HttpRequest) -> HttpResponse:
    verb = request.GET.get("verb", "").strip()
    page = page_of(request, selectors.event_list(reader=reader_of(request), verb=verb or None))
    can_verify = holds_role(request, Role.DATA_ADMIN, Role.SYSTEM_ADMIN)
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


def _public_listing() -> dict[str, Any]:
    rows = Checkpoint.objects.order_by("-made_at", "-pk")[:PUBLIC_CHECKPOINTS]
    return {"scheme": checkpoints.SCHEME, "public_key": checkpoints.public_key(),
            "past_keys": list(settings.JIANGUAN_CHECKPOINT_PAST_KEYS),
            "checkpoints": [checkpoints.document(c) for c in rows]}


def public_checkpoints(request: HttpRequest) -> HttpResponse:
    """审计链检查点: the signed daily statements of the audit chain's head, newest first."""
    return render(request, "audit/public_checkpoints.html", {"listing": _public_listing()})


def public_checkpoints_json(request: HttpRequest) -> JsonResponse:
    """The same listing as JSON: what `jianguan audit verify --checkpoint FILE` reads."""
    return JsonResponse(_public_listing(), json_dumps_params={"ensure_ascii": False})
