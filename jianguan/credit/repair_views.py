"""Pages of credit repair (ADR 0045): the service portal's application form (rate-limited by source address, a field
robots fill, the files checked by their bytes) and status lookup; the deciding department's queue with the clocks
of its open steps, and one application with the steps open to the reader."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core import ratelimit
from jianguan.core.actors import Actor, SystemActor
from jianguan.core.errors import DomainError
from jianguan.core.http import page_of, role_required
from jianguan.core.roles import Role

from . import repair, repair_selectors
from .models import RepairApplication, RepairChannel, RepairStatus
from .repair_workflow import REPAIRS, Facts

PUBLIC = SystemActor("public-portal")


def _uploads(request: HttpRequest, name: str) -> list[repair.Upload]:
    return [repair.Upload(f.name or "upload", f.read()) for f in request.FILES.getlist(name)[:10]]


def _throttled(request: HttpRequest) -> HttpResponse | None:
    try:
        ratelimit.hit(request, "public_repair", limit=settings.JIANGUAN_PUBLIC_REPAIRS_PER_HOUR, window=3600)
    except ratelimit.Throttled as exc:
        response = render(request, "portal/error.html", {"error": exc}, status=exc.status)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return None


def _values(request: HttpRequest) -> dict[str, str]:
    return {name: request.POST.get(name, "").strip() for name in repair.TEXT_FIELDS}


def _apply(request: HttpRequest, actor: Actor, channel: str) -> RepairApplication:
    """The form's fields and files as one application (`repair.repair_apply`), refused with its rule."""
    commitment = _uploads(request, "commitment")
    return repair.repair_apply(actor=actor, channel=channel, values=_values(request),
                               commitment=commitment[0] if commitment else None, proofs=_uploads(request, "proof"))


def public_form(request: HttpRequest) -> HttpResponse:
    """The service portal's 信用修复 application: the entity by its code, the decision by its 文书号, the 信用承诺书
    and proof of correction uploaded; the receipt shows the number to look the application up."""
    error = None
    if request.method == "POST":
        if request.POST.get("website"):  # a field people never see: filled only by robots
            return redirect("credit:repair_public")
        throttled = _throttled(request)
        if throttled is not None:
            return throttled
        try:
            app = _apply(request, PUBLIC, RepairChannel.PORTAL)
        except DomainError as exc:
            error = exc
        else:
            return render(request, "credit/repair_receipt.html", {"app": app})
    return render(request, "credit/repair_public.html", {"values": _values(request), "error": error},
                  status=400 if error else 200)


@role_required(Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.HEAD)
def repair_new(request: SignedInRequest) -> HttpResponse:
    """An application received on paper, entered by a person of the department that decided the penalty (channel
    工作人员录入; the same fields, files and checks as the portal's, the officer recorded as the actor). A refusal is
    shown with its rule and field, with the status of its kind (400, 403 or 404)."""
    error: DomainError | None = None
    if request.method == "POST":
        try:
            app = _apply(request, request.user, RepairChannel.OFFICER)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("已录入信用修复申请 %(number)s") % {"number": app.number})
            return redirect("credit:repair", application_id=app.pk)
    return render(request, "credit/repair_new.html", {"values": _values(request), "error": error},
                  status=error.status if error else 200)


def public_status(request: HttpRequest) -> HttpResponse:
    """An application's state by its number and the entity's code (both needed; nothing else is shown)."""
    number, uscc = request.GET.get("number", "").strip()[:20], request.GET.get("uscc", "").strip()[:18]
    app, error = None, None
    if number and uscc:
        throttled = _throttled(request)
        if throttled is not None:
            return throttled
        try:
            app = repair_selectors.public_status(number=number, uscc=uscc)
        except DomainError as exc:
            error = exc
    return render(request, "credit/repair_status.html", {"app": app, "error": error, "number": number,
                                                           "uscc": uscc})


@login_required
def repair_queue(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = repair_selectors.repair_list(reader=request.user, status=status if status in RepairStatus.values else None)
    page = page_of(request, rows)
    return render(request, "credit/repair_queue.html", {
        "page": page, "rows": [(app, repair_selectors.due_on(app)) for app in page], "statuses": RepairStatus.choices,
        "status": status, "today": timezone.localdate()})


@login_required
def repair_detail(request: SignedInRequest, application_id: int) -> HttpResponse:
    app = repair_selectors.repair_get(reader=request.user, application_id=application_id)
    facts = Facts(app.status, request.user, app.department_id, app.accepted_by_id, "-")
    actions = [edge for edge in REPAIRS.edges_from(app.status) if REPAIRS.permitted(edge, facts) is None]
    return render(request, "credit/repair_detail.html", {
        "app": app, "actions": actions, "due": repair_selectors.due_on(app),
        "attachments": app.attachments.only("kind", "name", "size", "sha256")})


@require_POST
@role_required(Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.HEAD)
def repair_act(request: SignedInRequest, application_id: int) -> HttpResponse:
    app = repair_selectors.repair_get(reader=request.user, application_id=application_id)
    try:
        repair.repair_act(actor=request.user, application_id=app.pk, action=request.POST.get("action", ""),
                          reasons=request.POST.get("reasons", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已办理"))
    return redirect("credit:repair", application_id=app.pk)
