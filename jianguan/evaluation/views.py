"""Pages of the department evaluation: a month's ranking (`?month=YYYY-MM`, default last month) with its PDF and
workbook; the 数据管理员 or 系统管理员 computes a month again (a background task)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.errors import ValidationFailed
from jianguan.core.http import attachment, holds_role, post_roles
from jianguan.core.months import parse_month, previous_month
from jianguan.core.roles import Role
from jianguan.core.tabular import XLSX

from . import reporting, tasks


def _month(request: SignedInRequest) -> str:
    try:
        return parse_month(request.GET.get("month") or previous_month(timezone.localdate()))
    except ValidationFailed:
        return previous_month(timezone.localdate())


@post_roles(Role.DATA_ADMIN, Role.SYSTEM_ADMIN)
def board(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            month = parse_month(request.POST.get("month"))
        except ValidationFailed as error:
            messages.error(request, f"{error.message} [{error.code}]")
            return redirect("evaluation:board")
        tasks.evaluation_compute.enqueue(month)
        messages.success(request, _("已提交 %(month)s 的考核计算，完成后本页显示结果。") % {"month": month})
        return redirect(f"{request.path}?month={month}")
    month = _month(request)
    found = reporting.board(reader=request.user, month=month)
    return render(request, "evaluation/board.html", {
        **reporting.context(found), "month": month,
        "can_compute": holds_role(request, Role.DATA_ADMIN, Role.SYSTEM_ADMIN)})


@login_required
def board_pdf(request: SignedInRequest) -> HttpResponse:
    found = reporting.board(reader=request.user, month=_month(request))
    return attachment(reporting.pdf(found), "application/pdf", reporting.file_name(found, "pdf"))


@login_required
def board_xlsx(request: SignedInRequest) -> HttpResponse:
    found = reporting.board(reader=request.user, month=_month(request))
    return attachment(reporting.xlsx(found), XLSX, reporting.file_name(found, "xlsx"))
