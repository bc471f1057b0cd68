"""Pages of 行政强制: the lists (due dates, overdue first in the eye), a measure or an execution with its timeline
and the forms of the steps open to the reader, the new-record forms, and the documents issued."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.core.http import attempt, page_of, role_required
from jianguan.core.roles import Role
from jianguan.documents import contracts as documents

from . import common, executions, measures, selectors
from .models import ExecutionMode, MeasureKind, Power
from .workflow import (
    EXECUTION_ACTIONS,
    EXECUTION_EDGES,
    EXECUTION_STATES,
    MEASURE_ACTIONS,
    MEASURE_EDGES,
    MEASURE_STATES,
)

ITEM_ROWS = 5




def _fields(post: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The form's non-empty values among `names` (a blank date means "today" to the services)."""
    return {name: post.get(name).strip() for name in names if post.get(name, "").strip()}


def _form(post: Any, action: str, names: dict[str, tuple[str, ...]],
          required: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """The step's fields (`_fields`), those it requires present even when blank: the service names them."""
    fields = _fields(post, names.get(action, ()))
    for name in required.get(action, ()):
        fields.setdefault(name, "")
    return fields


def _link_case(request: HttpRequest, link: Callable[..., Any], **record: int) -> None:
    """Link the measure or execution (`record`) to the case numbered in the form."""
    attempt(request, lambda: link(actor=request.user, case_number=request.POST.get("case_number", ""), **record),
            _("已关联案件。"))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Measures and executions of the reader's scope with their last days; the forms of new records."""
    user = request.user
    status, overdue = request.GET.get("status", ""), request.GET.get("overdue") == "1"
    page = page_of(request, selectors.measure_list(reader=user, status=status, overdue=overdue))
    now = timezone.now()
    rows = [(m, selectors.measure_facts(m, now)) for m in page]
    execution_rows = selectors.execution_list(reader=user)[:50]
    return render(request, "coercion/index.html", {
        "measures": page, "rows": rows, "status": status, "overdue": overdue, "states": MEASURE_STATES.items(),
        "executions": [(e, selectors.execution_facts(e)) for e in execution_rows],
        "counts": selectors.dashboard_counts(reader=user), "kinds": MeasureKind.choices,
        "modes": ExecutionMode.choices, "powers": Power.choices, "item_rows": range(ITEM_ROWS),
        "now": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")})


def _items(post: Any) -> list[dict[str, str]]:
    rows = zip(post.getlist("item_name"), post.getlist("item_spec"), post.getlist("item_quantity"),
               post.getlist("item_unit"), post.getlist("item_condition"), strict=False)
    return [{"name": n, "spec": s, "quantity": q, "unit": u, "condition": c} for n, s, q, u, c in rows
            if n.strip() or q.strip()]


@require_POST
@role_required(Role.OFFICER, Role.DEPARTMENT_ADMIN)
def measure_create(request: HttpRequest) -> HttpResponse:
    post = request.POST
    values = {"kind": post.get("kind", ""), "inspection_number": post.get("inspection_number", ""),
              "catalog_code": post.get("catalog_code", ""), "facts": post.get("facts", ""),
              "basis": post.get("basis", ""), "items": _items(post),
              "officers": post.get("officers", "").replace("、", " ").replace(",", " ").split(),
              "days": post.get("days") or 30, "place": post.get("place", ""), "kind_note": post.get("kind_note", ""),
              "case_number": post.get("case_number", "").strip()}

    def create():
        if post.get("emergency") == "on":
            acted_at = parse_datetime(post.get("acted_at", "")) or timezone.now()
            return measures.measure_act_emergency(actor=request.user, acted_at=acted_at,
                                                  party_present=post.get("party_present") == "on",
                                                  witness=post.get("witness", ""), **values)
        return measures.measure_request(actor=request.user, **values)

    measure = attempt(request, create, _("行政强制措施已登记。"))
    return redirect("coercion:measure", measure_id=measure.pk) if measure else redirect("coercion:index")


@login_required
def measure_detail(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = selectors.measure_get(reader=request.user, measure_id=measure_id)
    facts = selectors.measure_facts(measure)
    return render(request, "coercion/measure.html", {
        "measure": measure, "facts": facts, "items": measure.items.all(), "steps": measure.steps.all(),
        "actions": [(a, MEASURE_ACTIONS[a]) for a in common.actions_for(request.user, measure, MEASURE_EDGES)],
        "labels": MEASURE_STATES,
        "action_labels": MEASURE_ACTIONS})


MEASURE_FIELDS = {"approve": ("note",), "refuse": ("reason",), "withdraw": ("reason",), "release": ("reason", "on"),
                  "dispose": ("reason", "on"), "extend": ("days", "reason", "on"),
                  "implement": ("on", "witness", "place"), "test": ("starts_on", "ends_on", "agency", "notified_on")}
MEASURE_REQUIRED = {"refuse": ("reason",), "withdraw": ("reason",), "release": ("reason",), "dispose": ("reason",),
                    "extend": ("days", "reason"), "test": ("starts_on", "ends_on", "agency", "notified_on")}


@require_POST
@role_required(Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.HEAD)
def measure_act(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = selectors.measure_get(reader=request.user, measure_id=measure_id)
    post, action = request.POST, request.POST.get("action", "")
    if action == "link_case":
        _link_case(request, measures.measure_link_case, measure_id=measure.pk)
        return redirect("coercion:measure", measure_id=measure.pk)
    fields = _form(post, action, MEASURE_FIELDS, MEASURE_REQUIRED)
    if action == "implement":
        fields["party_present"] = post.get("party_present") == "on"
        officers = post.get("officers", "").replace("、", " ").split()
        if officers:
            fields["officers"] = officers
    attempt(request, lambda: measures.measure_transition(actor=request.user, measure_id=measure.pk, action=action,
                                                         **fields), _("已办理。"))
    return redirect("coercion:measure", measure_id=measure.pk)


def _pdf(request: HttpRequest, document_id: int, steps: Any) -> HttpResponse:
    if not steps.filter(document_id=document_id).exists():
        raise Http404
    issued = documents.get(document_id)
    return documents.pdf_page(request, document_id, file_name=f"{issued.kind}-{document_id}.pdf")


@login_required
def measure_document(request: HttpRequest, measure_id: int, document_id: int) -> HttpResponse:
    """A document issued on a step of the measure (the measure's scope decides who may read it)."""
    measure = selectors.measure_get(reader=request.user, measure_id=measure_id)
    return _pdf(request, document_id, measure.steps)


@require_POST
@role_required(Role.OFFICER, Role.DEPARTMENT_ADMIN)
def enforcement_create(request: HttpRequest) -> HttpResponse:
    post = request.POST
    values = _fields(post, ("inspection_number", "catalog_code", "power", "mode", "decision_reference",
                            "decision_served_on", "obligation", "principal", "payment_due", "remedy_ends",
                            "case_number"))
    defaults = {"inspection_number": "", "catalog_code": "", "power": "", "mode": "", "decision_reference": "",
                "decision_served_on": "", "obligation": ""}
    execution = attempt(request, lambda: executions.execution_create(actor=request.user, **{**defaults, **values}),
                        _("强制执行已登记。"))
    if execution:
        return redirect("coercion:enforcement", enforcement_id=execution.pk)
    return redirect("coercion:index")


@login_required
def enforcement_detail(request: HttpRequest, enforcement_id: int) -> HttpResponse:
    execution = selectors.execution_get(reader=request.user, execution_id=enforcement_id)
    facts = selectors.execution_facts(execution)
    return render(request, "coercion/execution.html", {
        "execution": execution, "facts": facts, "steps": execution.steps.all(),
        "actions": [(a, EXECUTION_ACTIONS[a])
                    for a in common.actions_for(request.user, execution, EXECUTION_EDGES)],
        "labels": EXECUTION_STATES,
        "action_labels": EXECUTION_ACTIONS, "own": execution.power == Power.OWN})


EXECUTION_FIELDS = {
    "demand": ("served_on", "deadline", "manner", "amount", "late_fee"), "hear": ("statement", "on"),
    "decide": ("reason", "on"), "decide_immediately": ("reason", "on"), "apply_court": ("court", "on"),
    "execute": ("result", "collected", "on"), "court_enforce": ("result", "collected", "on"),
    "court_refuse": ("reason", "on"), "comply": ("result", "collected", "on"), "terminate": ("reason", "on")}
EXECUTION_REQUIRED = {"demand": ("served_on", "deadline", "manner"), "decide": ("reason",),
                      "decide_immediately": ("reason",), "apply_court": ("court",), "execute": ("result",),
                      "court_enforce": ("result",), "court_refuse": ("reason",), "terminate": ("reason",)}


@require_POST
@role_required(Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.HEAD)
def enforcement_act(request: HttpRequest, enforcement_id: int) -> HttpResponse:
    execution = selectors.execution_get(reader=request.user, execution_id=enforcement_id)
    post, action = request.POST, request.POST.get("action", "")
    if action == "link_case":
        _link_case(request, executions.execution_link_case, execution_id=execution.pk)
        return redirect("coercion:enforcement", enforcement_id=execution.pk)
    fields = _form(post, action, EXECUTION_FIELDS, EXECUTION_REQUIRED)
    if action == "hear":
        fields.update(waived=post.get("waived") == "on", upheld=post.get("upheld") == "on")
    attempt(request, lambda: executions.execution_transition(actor=request.user, execution_id=execution.pk,
                                                             action=action, **fields), _("已办理。"))
    return redirect("coercion:enforcement", enforcement_id=execution.pk)


@login_required
def enforcement_document(request: HttpRequest, enforcement_id: int, document_id: int) -> HttpResponse:
    execution = selectors.execution_get(reader=request.user, execution_id=enforcement_id)
    return _pdf(request, document_id, execution.steps)

