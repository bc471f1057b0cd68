"""Pages of risk alerts: the list (scoped, highest score first) and one alert with each observation's text and its
hits highlighted, the rule and article behind each, its steps and the actions open to the reader; an alert decided
立案 offers 转为案件线索, which posts to enforcement (the clue is registered there, above risk). The monthly report
(`report`), as a page, an A4 PDF and a workbook. The reference registers: their files (scoped), one file's rows, the
import form of the 数据管理员 and each kind's template. Files of observations: the upload (数据管理员), the
template, and each file's progress and problems."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.errors import DomainError
from jianguan.core.http import attachment, file_import, holds_role, page_of, post_roles, role_required
from jianguan.core.months import parse_month
from jianguan.core.roles import Role
from jianguan.core.tabular import XLSX
from jianguan.core.workflow import acts_for
from jianguan.risk import lexicon, registers, rules_registers

from . import disposal, file_intake, files, highlight, register_imports, report, reporting, selectors
from .models import PENDING, AlertStatus, RegisterKind, RiskModel
from .workflow import ALERTS, Facts


@login_required
def alert_list(request: SignedInRequest) -> HttpResponse:
    status, model = request.GET.get("status", ""), request.GET.get("model", "")
    alerts = selectors.alert_list(reader=request.user, status=status if status in AlertStatus.values else None,
                                  model=model if model in RiskModel.values else None,
                                  overdue=request.GET.get("overdue") == "1")
    return render(request, "risk/list.html", {"page": page_of(request, alerts), "statuses": AlertStatus.choices,
                                              "models": RiskModel.choices, "status": status, "model": model})


@login_required
def alert_detail(request: SignedInRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get(reader=request.user, alert_id=alert_id)
    observations = [(o, highlight.pieces(o.text, [h for h in alert.hits if h.get("observation") == o.pk]))
                    for o in alert.observations.all()]
    facts = Facts(state=alert.status, actor=request.user, department_id=alert.department_id,
                  extended=alert.extended, finding=alert.finding)
    return render(request, "risk/detail.html", {
        "alert": alert, "observations": observations, "actions": ALERTS.allowed(facts),
        "can_carry": alert.status == AlertStatus.CASE and not alert.clue_number
        and acts_for(request.user, alert.department_id, Role.OFFICER, Role.HEAD),
        "checks": [h for h in alert.hits if not h.get("quote") and "evidence" not in h]})


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def alert_act(request: SignedInRequest, alert_id: int) -> HttpResponse:
    selectors.alert_get(reader=request.user, alert_id=alert_id)
    data = {name: request.POST.get(name, "") for name in ("finding", "note", "transfer_to")}
    try:
        disposal.alert_transition(actor=request.user, alert_id=alert_id, action=request.POST.get("action", ""),
                                  data=data)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    return redirect("risk:detail", alert_id=alert_id)


def _report(request: SignedInRequest) -> report.Report:
    """The report the query asks for: `month` (default this month), `department` (default all in scope)."""
    month = parse_month(request.GET.get("month") or timezone.localdate().strftime("%Y-%m"))
    department = report.department_in_scope(reader=request.user, department_id=request.GET.get("department"))
    return report.risk_report(reader=request.user, month=month, department=department)


@login_required
def risk_report(request: SignedInRequest) -> HttpResponse:
    built = _report(request)
    return render(request, "risk/report.html", {**reporting.context(built), "query": request.GET.urlencode(),
                                                "departments": report.report_departments(reader=request.user)})


@login_required
def report_pdf(request: SignedInRequest) -> HttpResponse:
    built = _report(request)
    return attachment(reporting.pdf(built), "application/pdf", reporting.file_name(built, "pdf"))


@login_required
def report_xlsx(request: SignedInRequest) -> HttpResponse:
    built = _report(request)
    return attachment(reporting.xlsx(built), XLSX, reporting.file_name(built, "xlsx"))


@post_roles(Role.DATA_ADMIN)
def register_list(request: SignedInRequest) -> HttpResponse:
    """The register files the reader may see; the 数据管理员 imports one (all or nothing, every problem listed)."""
    kind, source = request.POST.get("kind", ""), request.POST.get("source", "")
    batch, error = file_import(request, partial(register_imports.register_import, kind=kind, source=source))
    if batch is not None:
        messages.success(request, _("已导入 %(n)s 条登记。") % {"n": batch.rows})
        return redirect("risk:register", import_id=batch.pk)
    chosen = request.GET.get("kind", "")
    imports = selectors.register_import_list(reader=request.user,
                                             kind=chosen if chosen in RegisterKind.values else None)
    ban_list = lexicon.load("drug_ban_list")
    return render(request, "risk/registers.html", {
        "page": page_of(request, imports), "kinds": RegisterKind.choices, "kind": chosen, "error": error,
        "posted": {"kind": kind, "source": source}, "can_import": holds_role(request, Role.DATA_ADMIN),
        "columns": [(value, name, register_imports.column_notes(value)) for value, name in RegisterKind.choices],
        "ban_list": ban_list, "departments": rules_registers.departments("departments.json")})


@login_required
def register_detail(request: SignedInRequest, import_id: int) -> HttpResponse:
    imported = selectors.register_import_get(reader=request.user, import_id=import_id)
    entries = selectors.register_entry_list(imported=imported)
    return render(request, "risk/register.html", {
        "imported": imported, "page": page_of(request, entries, per_page=50),
        "columns": registers.columns(imported.kind)})


@login_required
def register_template(request: SignedInRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in registers.KINDS:
        raise Http404
    return attachment(register_imports.template(kind), XLSX, f"{registers.label(kind)}导入模板.xlsx")


@post_roles(Role.DATA_ADMIN)
def file_list(request: SignedInRequest) -> HttpResponse:
    """导入监测数据: the upload form (a POST from the 数据管理员 only) and the files the reader may see."""
    kept, error = file_import(request, file_intake.observation_file_receive)
    if kept is not None:
        return redirect("risk:file", file_id=kept.pk)
    return render(request, "risk/files.html", {
        "error": error, "columns": list(files.COLUMNS), "required": files.REQUIRED,
        "page": page_of(request, selectors.observation_file_list(reader=request.user)),
        "max_rows": file_intake.max_rows(), "can_upload": holds_role(request, Role.DATA_ADMIN)})


@login_required
def file_detail(request: SignedInRequest, file_id: int) -> HttpResponse:
    """One file: its progress while it is checked (asked again every two seconds), then what was stored or each
    problem by row and column."""
    kept = selectors.observation_file_get(reader=request.user, file_id=file_id)
    template = "risk/_file_state.html" if getattr(request, "htmx", False) else "risk/file.html"
    pending = kept.status in PENDING
    return render(request, template, {"file": kept, "pending": pending,
                                      "percent": kept.checked * 100 // kept.rows if kept.rows else 0})


@login_required
def file_template(request: SignedInRequest, kind: str) -> HttpResponse:
    """The import template: the Chinese column titles (xlsx with a sheet of notes, or a CSV header)."""
    if kind == "csv":
        return attachment(files.template_csv(), "text/csv; charset=utf-8", "监测数据导入模板.csv")
    return attachment(files.template_xlsx(), XLSX, "监测数据导入模板.xlsx")
