"""The leaders' dashboard page (`/leaders/`): the charts of the reader's jurisdiction, a county picked with
`?county=CODE` (one of theirs), the large-screen layout with `?screen=1`; a data administrator asks for the figures
to be counted again (`/leaders/refresh/`, a background task)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.http import holds_role, role_required
from jianguan.core.roles import Role

from . import board, tasks

REFRESHERS = (Role.DATA_ADMIN, Role.SYSTEM_ADMIN)


@require_GET
@role_required(*board.READERS)
def dashboard(request: SignedInRequest) -> HttpResponse:
    counties = board.counties(request.user)
    picked = request.GET.get("county", "")
    county = next((c for c in counties if c.code == picked), None)
    if county is None and len(counties) == 1:
        county = counties[0]
    charts = board.charts(request.user, county.code if county else None)
    return render(request, "leaders/board.html", {
        "charts": charts, "data": [c.as_json() for c in charts], "counties": counties, "county": county,
        "screen": request.GET.get("screen") == "1", "refresh": board.latest_refresh(),
        "can_refresh": holds_role(request, *REFRESHERS)})


@require_POST
@role_required(*REFRESHERS)
def refresh(request: SignedInRequest) -> HttpResponse:
    tasks.figures_refresh.enqueue()
    messages.success(request, _("已提交驾驶舱数据刷新，完成后本页显示新数据。"))
    return redirect("leaders:board")
