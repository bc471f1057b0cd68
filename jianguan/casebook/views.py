"""Pages of the case library (ADR 0061): `/casebook/` (search), an entry (a typical case's review on it), the
similar cases of a case with the distribution of their fines, and a typical case written by hand."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.charts import bar_chart
from jianguan.core.errors import DomainError
from jianguan.core.http import attempt, page_of, post_roles, role_required
from jianguan.core.roles import Role

from . import selectors, services, workflow
from .similar import similar_of_case

WRITERS = (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)


@login_required
def entry_list(request: SignedInRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    try:
        rows = selectors.entry_list(reader=request.user, q=q)
        error = None
    except DomainError as refused:
        rows, error = selectors.entry_list(reader=request.user), f"{refused.message}（{refused.code}）"
    return render(request, "casebook/list.html", {"page": page_of(request, rows), "q": q[:100], "error": error})


@login_required
def entry_detail(request: SignedInRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get(reader=request.user, entry_id=entry_id)
    facts = workflow.Facts(entry.status, request.user, entry.department_id, entry.author_id)
    actions = workflow.WORKFLOW.allowed(facts) if entry.kind == "typical" else []
    return render(request, "casebook/entry.html", {"entry": entry, "actions": actions})


@require_POST
@role_required(*WRITERS)
def entry_act(request: SignedInRequest, entry_id: int) -> HttpResponse:
    attempt(request, lambda: services.typical_act(actor=request.user, entry_id=entry_id,
                                                  action=request.POST.get("action", ""), data=request.POST),
            _("已办理。"))
    return redirect("casebook:entry", entry_id=entry_id)


@post_roles(*WRITERS)
def typical_new(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        entry = attempt(request, lambda: services.typical_submit(actor=request.user, data=request.POST),
                        _("典型案例已提交审核。"))
        if entry:
            return redirect("casebook:entry", entry_id=entry.pk)
    return render(request, "casebook/new.html", {"post": request.POST})


@login_required
def case_similar(request: HttpRequest, number: str) -> HttpResponse:
    found = similar_of_case(reader=request.user, number=number)  # type: ignore[arg-type]
    chart = bar_chart(list(found.distribution.buckets), title=_("罚款金额分布（元）"))
    return render(request, "casebook/similar.html", {"number": number, "similar": found, "chart": chart})
