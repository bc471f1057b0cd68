"""Pages of joint supervision (ADR 0054): the plans with the visits saved and the scenarios, one plan with its tasks
and merge proposals and the steps open to the reader, one merge proposal with accept / decline, the forms that take a
plan's or a proposal's step, and an entity's burden ledger with its joint visits' recognised results (joint visits'
pages: `visit_views`). Thin: reads are the selectors', writes the services'."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.charts import bar_chart
from jianguan.core.http import attachment, attempt, page_of, role_required
from jianguan.core.roles import Role
from jianguan.core.tabular import XLSX, write_xlsx

from . import merges, metrics, scenarios, selectors, services
from .workflow import MERGES, PLANS


@login_required
def plan_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "joint/plan_list.html", {
        "page": page_of(request, selectors.plan_list(reader=request.user)),
        "saved": selectors.visits_saved(reader=request.user), "catalog": scenarios.current(),
        "dispatched": selectors.dispatched_list(reader=request.user)[:50]})


@login_required
def scenario_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "joint/scenario_list.html", {"catalog": scenarios.current()})


@login_required
def plan_detail(request: SignedInRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(reader=request.user, plan_id=plan_id)
    facts = services.plan_facts(plan, request.user)
    proposals = list(selectors.merge_list(reader=request.user, plan_id=plan.pk))
    open_merges = {p.pk: [e for e in MERGES.edges_from(p.status)
                          if MERGES.permitted(e, merges.merge_facts(p, request.user)) is None] for p in proposals}
    return render(request, "joint/plan_detail.html", {
        "plan": plan, "actions": [e for e in PLANS.edges_from(plan.status) if PLANS.permitted(e, facts) is None],
        "tasks": selectors.task_list(reader=request.user, plan_id=plan.pk).prefetch_related("participants__department"),
        "proposals": [(p, open_merges[p.pk]) for p in proposals],
        "saved": selectors.visits_saved(reader=request.user, plan_id=plan.pk)})


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def plan_act(request: SignedInRequest, plan_id: int) -> HttpResponse:
    selectors.plan_get(reader=request.user, plan_id=plan_id)
    values = {name: request.POST.get(name, "") for name in ("note", "reason")}
    attempt(request, lambda: services.plan_transition(plan_id=plan_id, action=request.POST.get("action", ""),
                                                      values=values, actor=request.user), _("已办理"))
    return redirect("joint:plan", plan_id=plan_id)


def _merge_context(request: SignedInRequest, proposal_id: int) -> dict[str, Any]:
    proposal = selectors.merge_get(reader=request.user, proposal_id=proposal_id)
    facts = merges.merge_facts(proposal, request.user)
    return {"proposal": proposal, "edges": [e for e in MERGES.edges_from(proposal.status)
                                            if MERGES.permitted(e, facts) is None],
            "merged": selectors.task_list(reader=request.user).prefetch_related("participants__department").filter(
                pk=proposal.merged_task_id).first() if proposal.merged_task_id else None}


@login_required
def merge_detail(request: SignedInRequest, proposal_id: int) -> HttpResponse:
    """One merge proposal: the two tasks, the shared entities, the combined items and inspectors, the rules, and
    the accept / decline (with reason) buttons for the office's people; answered in place (htmx)."""
    return render(request, "joint/merge_detail.html", _merge_context(request, proposal_id))


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def merge_act(request: SignedInRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.merge_get(reader=request.user, proposal_id=proposal_id)
    values = {"reason": request.POST.get("reason", "")}
    attempt(request, lambda: merges.merge_transition(proposal_id=proposal_id, action=request.POST.get("action", ""),
                                                     values=values, actor=request.user), _("已办理"))
    if getattr(request, "htmx", False):
        return render(request, "joint/_merge_card.html", _merge_context(request, proposal_id))
    return redirect("joint:plan", plan_id=proposal.plan_id)


@login_required
def entity_visits(request: SignedInRequest, uscc: str) -> HttpResponse:
    year = timezone.localdate().year
    code, name, found = selectors.entity_ledger(reader=request.user, uscc=uscc, year=year)
    return render(request, "joint/entity_visits.html", {
        "uscc": code, "name": name, "ledger": found,
        "joint_visits": selectors.entity_visit_list(reader=request.user, uscc=code)[:50]})






def _year(request: SignedInRequest) -> int:
    value = request.GET.get("year", "")
    this = timezone.localdate().year
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else this


@login_required
def metrics_page(request: SignedInRequest) -> HttpResponse:
    """联合检查占比 by month and department, visits saved by merges, repeat visits, with bar charts (ADR 0039)."""
    found = metrics.figures(reader=request.user, year=_year(request))
    charts = {
        "share": bar_chart([(r.label, r.share) for r in found.months], title=_("联合检查占比（%）")),
        "departments": bar_chart([(r.label, r.share) for r in found.departments], title=_("各部门联合检查占比（%）")),
        "saved": bar_chart([(r.label, r.saved) for r in found.months], title=_("合并减少的检查次数")),
        "repeats": bar_chart([(r.label, r.repeats) for r in found.months], title=_("重复检查主体数"))}
    return render(request, "joint/metrics.html", {"figures": found, "charts": charts})


@login_required
def metrics_xlsx(request: SignedInRequest) -> HttpResponse:
    found = metrics.figures(reader=request.user, year=_year(request))
    headers = [_("表"), _("月份或部门"), _("现场检查"), _("联合检查"), _("联合检查占比（%）"), _("合并减少的检查次数"),
               _("重复检查主体数")]
    rows = [[_("按月"), r.label, r.visits, r.joint, r.share, r.saved, r.repeats] for r in found.months]
    rows.append([_("全市合计"), found.city.label, found.city.visits, found.city.joint, found.city.share,
                 found.city.saved, found.city.repeats])
    rows += [[_("按部门"), r.label, r.visits, r.joint, r.share, "", ""] for r in found.departments]
    data = write_xlsx(_("联合监管指标 %(year)s") % {"year": found.year}, headers, rows)
    name = _("联合监管指标-%(year)s.xlsx") % {"year": found.year}
    return attachment(data, XLSX, name)
