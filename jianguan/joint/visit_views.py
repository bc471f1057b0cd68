"""Pages of joint visits (one visit, many records; ADR 0055): a joint task with its participants and visits (each
department's results marked recognised by the others), registering a visit, one visit with its officers, each
department's items and results, the clues handed over and the 现场检查笔录's PDF, and the forms of its steps. Thin:
reads are the selectors', writes `visits`'."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.errors import NotFound
from jianguan.core.http import attempt, role_required
from jianguan.core.roles import Role
from jianguan.documents import contracts as documents

from . import selectors, visits
from .models import Participant
from .workflow import VISITS


@login_required
def task_detail(request: SignedInRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(reader=request.user, task_id=task_id)
    participants = list(Participant.objects.filter(task=task).select_related("department").prefetch_related(
        "inspectors"))
    mine = any(p.department_id == request.user.department_id for p in participants)
    return render(request, "joint/task_detail.html", {
        "task": task, "participants": participants, "visits": selectors.visit_list(reader=request.user,
                                                                                   task_id=task.pk),
        "can_visit": mine and task.status == "joint", "today": timezone.localdate()})


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def visit_open(request: SignedInRequest, task_id: int) -> HttpResponse:
    selectors.task_get(reader=request.user, task_id=task_id)
    visit = attempt(request, lambda: visits.visit_open(
        task_id=task_id, uscc=request.POST.get("uscc", ""), visited_on=request.POST.get("visited_on", ""),
        place=request.POST.get("place", ""), officers=request.POST.getlist("officers"), actor=request.user),
        _("已登记联合检查"))
    return redirect("joint:visit", visit_id=visit.pk) if visit else redirect("joint:task", task_id=task_id)


@login_required
def visit_detail(request: SignedInRequest, visit_id: int) -> HttpResponse:
    visit = selectors.visit_get(reader=request.user, visit_id=visit_id)
    facts = visits.visit_facts(visit, request.user)
    parts = list(Participant.objects.filter(task_id=visit.task_id).select_related("department"))
    results = {r.item: r for r in visit.results.all()}
    mine = next((p for p in parts if p.department_id == request.user.department_id), None)
    return render(request, "joint/visit_detail.html", {
        "visit": visit, "open": {e.action for e in VISITS.allowed(facts)},
        "parts": [(p, [(code, results.get(code)) for code in p.items]) for p in parts],
        "mine": mine, "entered": mine is not None and any(r.department_id == mine.department_id
                                                          for r in results.values()),
        "others": [(p.department.name, code) for p in parts if mine is None or p.pk != mine.pk for code in p.items],
        "present": request.user.username in {o["username"] for o in visit.officers}})


def _back(visit_id: int) -> HttpResponse:
    return redirect("joint:visit", visit_id=visit_id)


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def visit_results(request: SignedInRequest, visit_id: int) -> HttpResponse:
    selectors.visit_get(reader=request.user, visit_id=visit_id)
    rows = [{"item": code, "outcome": request.POST.get(f"outcome_{code}", ""),
             "note": request.POST.get(f"note_{code}", "")} for code in request.POST.getlist("items")]
    attempt(request, lambda: visits.visit_results_enter(visit_id=visit_id, results=rows, actor=request.user),
            _("已录入本部门检查结果"))
    return _back(visit_id)


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def visit_hand_over(request: SignedInRequest, visit_id: int) -> HttpResponse:
    selectors.visit_get(reader=request.user, visit_id=visit_id)
    attempt(request, lambda: visits.visit_hand_over(visit_id=visit_id, item=request.POST.get("item", ""),
                                                    summary=request.POST.get("summary", ""), actor=request.user),
            _("已移交线索"))
    return _back(visit_id)


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def visit_close(request: SignedInRequest, visit_id: int) -> HttpResponse:
    selectors.visit_get(reader=request.user, visit_id=visit_id)
    attempt(request, lambda: visits.visit_close(visit_id=visit_id, actor=request.user), _("已制作现场检查笔录"))
    return _back(visit_id)


@login_required
def visit_record(request: SignedInRequest, visit_id: int) -> HttpResponse:
    visit = selectors.visit_get(reader=request.user, visit_id=visit_id)
    if visit.record_document is None:
        raise NotFound()
    return documents.pdf_page(request, visit.record_document, file_name=f"{visit.number}-现场检查笔录.pdf")  # type: ignore[no-any-return]
