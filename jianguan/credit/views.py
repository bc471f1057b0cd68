"""Pages of credit records (one record with its source, within the reader's jurisdiction) and of the credit-risk
classification: the runs with their class shares, cut-offs and monotonicity problems, starting a run (the
computation runs in the background, its progress shown) and publishing one, and publishing a scorecard file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.errors import DomainError
from jianguan.core.http import attempt, page_of, record_fields, role_required
from jianguan.core.roles import Role

from . import adjustments, classification, selectors, tasks, whatif
from . import scorecard as cards
from .models import ClassificationRun, CreditRecord, RunStatus, Scorecard
from .workflow import publisher_refusal


@login_required
def record_detail(request: SignedInRequest, record_id: int) -> HttpResponse:
    record = CreditRecord.objects.select_related("entity", "region").get_visible(request.user, pk=record_id)
    return render(request, "portal/record.html", {
        "title": f"{record.get_kind_display()} {record.source_ref}",
        "fields": record_fields(record, hidden=("created_at", "updated_at", "imported")),
        "entity_uscc": record.entity.uscc})


@login_required
def run_list(request: SignedInRequest) -> HttpResponse:
    runs = selectors.run_list(reader=request.user)
    publisher = publisher_refusal(request.user, classification.publisher_department_id()) is None
    published = set(Scorecard.objects.values_list("name", "version"))
    starter = publisher or request.user.has_role(Role.DATA_ADMIN)
    return render(request, "credit/runs.html", {
        "page": page_of(request, runs), "publisher": publisher, "published_status": RunStatus.DRAFT,
        "starter": starter, "scorecards": [(n, v, (n, v) in published) for n, v in cards.available()],
        "classes": cards.CLASSES, **(_whatif(request, runs) if starter else {})})


def _whatif(request: SignedInRequest, runs: QuerySet[ClassificationRun]) -> dict[str, Any]:
    """The what-if section: the computed runs to try, and the transition matrix asked for (nothing written)."""
    shown: dict[str, Any] = {"whatif_runs": runs.exclude(cutoffs=[]).filter(
        status__in=(RunStatus.DRAFT, RunStatus.PUBLISHED))[:12],
        "weight_whatifs": whatif.whatif_list(reader=request.user)[:10]}
    run_id, cutoffs = request.GET.get("whatif_run", ""), request.GET.get("cutoffs", "")
    if not run_id:
        return shown
    try:
        shown["whatif"] = whatif.cutoffs_whatif(reader=request.user, run_id=int(run_id), cutoffs=cutoffs)
    except ValueError:
        shown["whatif_error"] = _("批次编号无效")
    except DomainError as error:
        if error.status == 404:
            raise
        shown["whatif_error"] = f"{error.message}（{error.code}）"
    return shown


def _act(request: SignedInRequest, act: str) -> None:
    try:
        if act == "start":
            run = classification.run_start(actor=request.user, month=request.POST.get("month") or None)
            transaction.on_commit(lambda: tasks.classification_execute.enqueue(run.pk))
            messages.success(request, _("已发起分类批次 %(number)s，正在后台计算") % {"number": run.number})
        elif act == "publish":
            run = selectors.run_get(reader=request.user, run_id=int(request.POST.get("run", "0") or 0))
            classification.run_publish(run_id=run.pk, actor=request.user)
            messages.success(request, _("已发布分类批次 %(number)s") % {"number": run.number})
        elif act == "scorecard":
            name, _sep, version = request.POST.get("scorecard", "").rpartition("-")
            classification.scorecard_publish(name=name, version=version, actor=request.user)
            messages.success(request, _("已发布评分卡 %(name)s") % {"name": f"{name}-{version}"})
        else:
            messages.error(request, _("未知的操作"))
    except (DomainError, ValueError) as error:
        if isinstance(error, DomainError) and error.status == 404:
            raise
        messages.error(request, error.message if isinstance(error, DomainError) else _("批次编号无效"))


@require_POST
@role_required(Role.HEAD, Role.DATA_ADMIN)
def run_act(request: SignedInRequest) -> HttpResponse:
    """Start a run (数据管理员 or the head), publish a run or a scorecard (the head of the city 市场监督管理局)."""
    with transaction.atomic():
        _act(request, request.POST.get("action", ""))
    return redirect("credit:runs")


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def adjustment_propose(request: SignedInRequest) -> HttpResponse:
    """Propose a manual adjustment from the entity page (the evidence file kept as received)."""
    uscc = request.POST.get("uscc", "").strip().upper()
    upload = request.FILES.get("evidence")
    attempt(request, lambda: adjustments.adjustment_propose(
        actor=request.user, uscc=uscc, target_class=request.POST.get("target_class", ""),
        reason=request.POST.get("reason", ""), expires_on=request.POST.get("expires_on") or None,
        evidence_note=request.POST.get("evidence_note", ""), evidence_name=(upload.name or "") if upload else "",
        evidence_type=(upload.content_type or "") if upload else "", evidence_data=upload.read() if upload else None),
        _("已提出人工调整，待本部门负责人批准"))
    return redirect("chain:entity", uscc=uscc or "-")


@require_POST
@role_required(Role.HEAD)
def adjustment_act(request: SignedInRequest, adjustment_id: int) -> HttpResponse:
    """Approve, reject or withdraw an adjustment (the head of the proposer's department, never the proposer)."""
    adjustment = selectors.adjustment_get(reader=request.user, adjustment_id=adjustment_id)
    attempt(request, lambda: adjustments.adjustment_transition(
        actor=request.user, adjustment_id=adjustment.pk, action=request.POST.get("action", ""),
        opinion=request.POST.get("opinion", "")), _("已处理人工调整"))
    return redirect("chain:entity", uscc=adjustment.entity.uscc)


@login_required
def adjustment_evidence(request: SignedInRequest, adjustment_id: int) -> HttpResponse:
    """The evidence file of an adjustment as it was received (a download, never shown inline)."""
    adjustment = selectors.adjustment_get(reader=request.user, adjustment_id=adjustment_id)
    if not adjustment.evidence:
        raise Http404
    response = HttpResponse(bytes(adjustment.evidence), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, adjustment.evidence_name or "evidence")
    return response


@require_POST
@role_required(Role.HEAD, Role.DATA_ADMIN)
def whatif_start(request: SignedInRequest) -> HttpResponse:
    """Start a what-if of a run with one indicator's weight changed (computed in the background)."""
    run = request.POST.get("run", "")
    with transaction.atomic():
        asked = attempt(request, lambda: whatif.weight_whatif_start(
            actor=request.user, run_id=int(run) if run.isdigit() else 0, indicator=request.POST.get("indicator", ""),
            weight=request.POST.get("weight", "")), _("已发起模拟，正在后台计算"))
        if asked is not None:
            transaction.on_commit(lambda: tasks.whatif_execute.enqueue(asked.pk))
    return redirect(reverse("credit:runs") + "#whatif")
