"""Pages of the exchange: upload a file of records, the outcome of an intake, the repair queue (list, fix, dismiss)
and the data administrator's monitor (push backlog, failures, quality scores)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.core.http import page_of, post_roles, role_required

from . import intake, repairs, selectors, standards
from .models import OutboxStatus, RepairStatus
from .permissions import MONITORS, UPLOADERS, may_repair, wide
from .sealing import shown_record
from .standards.rules import DIMENSIONS


def _standard_choices() -> list[tuple[str, str]]:
    return [(s.name, s.title) for s in standards.all()]


@role_required(*UPLOADERS)
def upload(request: HttpRequest) -> HttpResponse:
    """Choose a standard and a file (xlsx or CSV, first row the column titles); the outcome page follows."""
    error = None
    chosen = request.POST.get("standard", request.GET.get("standard", "inspection"))
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            error = DomainError(_("请选择文件"), code="file_required", field="file")
        else:
            try:
                outcome = intake.exchange_upload(actor=request.user, standard=chosen, file_name=file.name or "",
                                                   data=file.read())
            except DomainError as exc:
                error = exc
            else:
                return redirect("exchange:call", call_id=outcome.call_id)
    fields = []
    with contextlib.suppress(standards.UnknownStandard):
        fields = [f.describe() for f in standards.get(chosen).fields]
    return render(request, "exchange/upload.html", {"standards": _standard_choices(), "chosen": chosen,
                                                    "error": error, "fields": fields})


@login_required
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    """The outcome of one intake: counts, the duplicates and every refused record with its problems."""
    call = selectors.call_get(reader=request.user, call_id=call_id)
    outcome = intake.Outcome.of_call(call)
    return render(request, "exchange/call.html", {"call": call, "outcome": outcome,
                                                  "rejected": page_of(request, outcome.rejected, 50)})


@login_required
def repair_list(request: HttpRequest) -> HttpResponse:
    """The repair queue: one department's (an officer's own), or every department's within the jurisdiction."""
    status = request.GET.get("status", RepairStatus.OPEN)
    status = status if status in RepairStatus.values else ""
    department = request.GET.get("department") or ""
    items = selectors.repair_list(reader=request.user, status=status,
                                  department_id=int(department) if department.isdigit() else None,
                                  standard=request.GET.get("standard", ""))
    scoped = selectors.repair_visible_list(reader=request.user)
    now = timezone.now()
    page = page_of(request, items)
    for item in page:
        item.age_days = round((now - item.created_at).total_seconds() / 86400, 1)
    return render(request, "exchange/repairs.html", {
        "page": page, "statuses": RepairStatus.choices, "status": status, "figures": repairs.queue_figures(scoped),
        "departments": repairs.by_department(scoped) if wide(request.user) else [],
        "standards": _standard_choices(), "department": department, "standard": request.GET.get("standard", "")})


def _form_fields(std: Any, payload: dict[str, Any], errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = shown_record(payload)
    faulty = {e.get("field") for e in errors}
    rows = []
    for f in std.fields:
        value = shown.get(f.id, "")
        if isinstance(value, list):
            value = "、".join(str(x) for x in value)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        rows.append({"id": f.id, "title": f.title, "value": "" if value is None else value, "required": f.required,
                     "faulty": f.id in faulty, "note": f.describe()["pattern"] or f.note,
                     "readonly": f.id == std.key})
    return rows


@post_roles(*UPLOADERS)
def repair_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    """One refused record: its problems and a form to correct its fields (checked again on submit)."""
    item = selectors.repair_get(reader=request.user, item_id=item_id)
    std = standards.get(item.standard)
    errors, payload = item.errors, item.payload
    outcome = None
    if request.method == "POST" and item.status == RepairStatus.OPEN:
        values = {f.id: request.POST[f.id].strip() for f in std.fields if f.id != std.key and f.id in request.POST}
        try:
            outcome = repairs.repair_fix(actor=request.user, item_id=item.pk, values=values)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("exchange:repair", item_id=item.pk)
        if not outcome.rejected:
            messages.success(request, _("已整改：记录已重新检查通过，将以更新（u）方式重报。"))
            return redirect("exchange:repair", item_id=item.pk)
        errors = outcome.rejected[0]["errors"]
        payload = {**item.payload, **{k: val for k, val in values.items() if val != ""}}
    return render(request, "exchange/repair.html", {
        "item": item, "standard": std, "errors": errors, "fields": _form_fields(std, payload, errors),
        "can_fix": item.status == RepairStatus.OPEN and may_repair(request.user, item),
        "age_days": round((timezone.now() - item.created_at).total_seconds() / 86400, 1)})


@require_POST
@role_required(*UPLOADERS)
def repair_dismiss(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.repair_get(reader=request.user, item_id=item_id)
    if not may_repair(request.user, item):
        messages.error(request, _("无权处理该条数据"))
        return redirect("exchange:repair", item_id=item.pk)
    try:
        repairs.repair_dismiss(actor=request.user, item_id=item.pk, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已作废该条待整改数据。"))
    return redirect("exchange:repair", item_id=item.pk)


@role_required(*MONITORS)
def monitor(request: HttpRequest) -> HttpResponse:
    """Push backlog, failures and the quality scores per department (ranking and trend)."""
    day, ranking = selectors.quality_ranking(reader=request.user)
    trend = selectors.quality_trend(reader=request.user)
    return render(request, "exchange/monitor.html", {
        "push": selectors.push_figures(reader=request.user), "batches": selectors.batch_list(),
        "day": day, "ranking": ranking, "dimensions": DIMENSIONS, "trend": trend,
        "repairs": repairs.queue_figures(selectors.repair_visible_list(reader=request.user))})


@role_required(*MONITORS)
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    """One pushed batch: its receipt and the records the reader may see, each with the receiver's problems (only
    the refused ones with `?rejected=1`)."""
    batch, records = selectors.batch_get(reader=request.user, batch_id=batch_id)
    refused = request.GET.get("rejected") == "1"
    if refused:
        records = records.filter(status=OutboxStatus.REJECTED)
    page = page_of(request, records, 100)
    problems = selectors.batch_problems(batch=batch, records=page)
    for row in page:
        row.problems = problems.get((row.record_id, row.version), [])
    return render(request, "exchange/batch.html", {"batch": batch, "page": page, "refused": refused})
