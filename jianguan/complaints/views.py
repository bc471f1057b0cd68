"""Pages of complaints: the public portal's form, and the work portal's list, handling and 12345 import."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.accounts.models import Region, RegionLevel
from jianguan.core import ratelimit
from jianguan.core.actors import SystemActor
from jianguan.core.errors import ValidationFailed
from jianguan.core.http import file_import, page_of, role_required
from jianguan.core.roles import Role

from . import selectors, services
from .models import Category, ComplaintKind, ComplaintStatus

PUBLIC = SystemActor("public-portal")
FORM_FIELDS = ("kind", "category", "subject_name", "subject_uscc", "subject_address", "region", "content",
               "complainant_name", "complainant_phone")


def public_form(request: HttpRequest) -> HttpResponse:
    """The service portal's complaint and report form; the receipt shows the number and the decision deadline."""
    values = {name: request.POST.get(name, "").strip() for name in FORM_FIELDS}
    error = None
    if request.method == "POST":
        if request.POST.get("website"):  # a field people never see: filled only by robots
            return redirect("complaints:public_form")
        try:
            ratelimit.hit(request, "public_complaint", limit=settings.JIANGUAN_PUBLIC_COMPLAINTS_PER_HOUR, window=3600)
        except ratelimit.Throttled as exc:
            response = render(request, "portal/error.html", {"error": exc}, status=exc.status)
            response["Retry-After"] = str(exc.retry_after)
            return response
        try:
            complaint = services.complaint_receive(actor=PUBLIC, values=values, channel="portal")
        except ValidationFailed as exc:
            error = exc
        else:
            return render(request, "complaints/public_receipt.html", {"complaint": complaint})
    regions = Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]).order_by("code")
    return render(request, "complaints/public_form.html", {
        "values": values, "error": error, "kinds": ComplaintKind.choices, "categories": Category.choices,
        "regions": regions})


@login_required
def complaint_list(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    complaints = selectors.complaint_list(reader=request.user, status=status if status in ComplaintStatus.values
                                          else None, q=request.GET.get("q") or None)
    return render(request, "complaints/list.html", {"page": page_of(request, complaints),
                                                    "statuses": ComplaintStatus.choices, "status": status,
                                                    "overdue": selectors.overdue_counts(reader=request.user)})


@login_required
def complaint_detail(request: SignedInRequest, complaint_id: int) -> HttpResponse:
    complaint = selectors.complaint_get(reader=request.user, complaint_id=complaint_id)
    can_handle = (request.user.has_role(Role.OFFICER, Role.DEPARTMENT_ADMIN)
                  and complaint.department_id == request.user.department_id and complaint.status in selectors.OPEN)
    return render(request, "complaints/detail.html", {"complaint": complaint, "can_handle": can_handle})


@require_POST
@role_required(Role.OFFICER, Role.DEPARTMENT_ADMIN)
def complaint_act(request: SignedInRequest, complaint_id: int) -> HttpResponse:
    selectors.complaint_get(reader=request.user, complaint_id=complaint_id)
    action, note = request.POST.get("action"), request.POST.get("note", "")
    if action in ("accept", "reject"):
        services.complaint_decide(actor=request.user, complaint_id=complaint_id, accept=action == "accept", note=note)
    elif action == "conclude":
        services.complaint_conclude(actor=request.user, complaint_id=complaint_id, outcome=note)
    return redirect("complaints:detail", complaint_id=complaint_id)


@role_required(Role.DATA_ADMIN, Role.DEPARTMENT_ADMIN)
def hotline_import(request: SignedInRequest) -> HttpResponse:
    batch, error = file_import(request, services.complaint_import)
    if batch is not None:
        messages.success(request, _("已导入 %(n)s 条工单。") % {"n": batch.rows})
        return redirect("complaints:list")
    return render(request, "complaints/import.html", {"error": error, "columns": list(services.HOTLINE_COLUMNS)})
