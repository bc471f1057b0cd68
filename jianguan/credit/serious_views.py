"""Pages of the 严重违法失信名单 (ADR 0044): a department's entries with their counts and clocks and the proposal
form; one entry with its entity, basis, dates, steps, decision document and the steps open to the reader."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.errors import DomainError
from jianguan.core.http import page_of, role_required
from jianguan.core.roles import Role

from . import serious
from . import serious_selectors as selectors
from .models import SeriousBasis, SeriousStatus
from .serious_rules import DOMAINS, MEASURES
from .serious_workflow import ENTRIES

STEP_LABELS = {"propose": "提出拟列入", **{edge.action: edge.label for edge in ENTRIES.edges}}
FLAGS = ("hearing_requested", "performed", "harm_removed")
FIELD_LABELS = {"defence": _("陈述、申辩意见"), "hearing_requested": _("当事人申请听证"),
                "hearing_outcome": _("听证情况"), "reason": _("理由"), "upper_reference": _("上一级同意文号"),
                "upper_on": _("上一级同意日期"), "performed": _("已履行行政处罚决定规定的义务"),
                "harm_removed": _("已主动消除危害后果和不良影响")}


@login_required
def serious_list(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    entries = selectors.serious_list(reader=request.user, status=status)
    return render(request, "credit/serious_list.html", {
        "page": page_of(request, entries), "counts": selectors.serious_counts(reader=request.user),
        "statuses": SeriousStatus.choices, "status": status, "domains": DOMAINS, "bases": SeriousBasis.choices,
        "proposer": request.user.has_role(Role.OFFICER, Role.HEAD), "penalty": request.GET.get("penalty", "")[:100]})


@login_required
def serious_detail(request: SignedInRequest, entry_id: int) -> HttpResponse:
    entry = selectors.serious_get(reader=request.user, entry_id=entry_id)
    facts = serious.facts_for(entry, request.user)
    actions = [(edge, [(name, FIELD_LABELS.get(name, name), name in FLAGS) for name in edge.fields])
               for edge in ENTRIES.edges_from(entry.status) if ENTRIES.permitted(edge, facts) is None]
    return render(request, "credit/serious_detail.html", {
        "entry": entry, "steps": [(step, STEP_LABELS.get(step.action, step.action)) for step in entry.steps.all()],
        "clocks": selectors.clocks(entry), "actions": actions,
        "domain": DOMAINS.get(entry.domain, entry.domain), "measures": MEASURES.values()})


def _proposal(post: Any) -> dict[str, Any]:
    return {"basis": post.get("basis", ""), "penalty": post.get("penalty", ""), "uscc": post.get("uscc", ""),
            "domain": post.get("domain", ""), "reason": post.get("reason", ""), "statement": post.get("statement", ""),
            "aggravated": post.get("aggravated") == "on",
            "factors": {"intent": post.get("intent") == "on", "frequency": post.get("frequency", ""),
                        "duration_days": post.get("duration_days", ""), "amount": post.get("amount", "")}}


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def serious_propose(request: SignedInRequest) -> HttpResponse:
    """Propose an entity for the list (拟列入) from a heavier penalty (its 行为编号) or the 经营异常名录."""
    try:
        entry = serious.serious_propose(data=_proposal(request.POST), actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("credit:serious_list")
    messages.success(request, _("已提出拟列入 %(number)s") % {"number": entry.number})
    return redirect("credit:serious", entry_id=entry.pk)


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def serious_act(request: SignedInRequest, entry_id: int) -> HttpResponse:
    """Take one step on an entry (the table decides who may)."""
    entry = selectors.serious_get(reader=request.user, entry_id=entry_id)
    data: dict[str, Any] = {key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"}
    for flag in FLAGS:
        data[flag] = request.POST.get(flag) == "on"
    try:
        serious.serious_act(entry_id=entry.pk, action=request.POST.get("action", ""), data=data, actor=request.user)
        messages.success(request, _("已办理"))
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    return redirect("credit:serious", entry_id=entry.pk)
