"""Pages of enforcement: hand-over of complaints and reports as clues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.complaints import selectors as complaint_selectors

from . import services


@require_POST
@login_required
def clue_from_complaint(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """转为案件线索: the complaint page's button; the clue's 15-working-day check clock starts at receipt."""
    complaint_selectors.complaint_get(reader=request.user, complaint_id=complaint_id)
    clue = services.clue_from_complaint(actor=request.user, complaint_id=complaint_id,
                                        note=request.POST.get("note", ""))
    messages.success(request, _("已转为案件线索 %(number)s，核查期限 %(due)s。") % {
        "number": clue.number, "due": clue.check_due})
    return redirect("complaints:detail", complaint_id=complaint_id)
