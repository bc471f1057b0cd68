"""Pages of the one list: the work portal's list, item, claims, changes, publication, mapping and fusion pages,
and the public portal's list, item page and Excel export."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.core.errors import NotFound, ValidationFailed
from jianguan.core.http import file_import, page_of, render_page, role_required
from jianguan.core.roles import Role

from . import change_requests, exports, guidance, mapping_imports, publishing, selectors
from .api import xlsx_response
from .models import (
    ActionType,
    ChangeKind,
    ChangeStatus,
    Guidance,
    ImplementationVersion,
    MappingImport,
    Publication,
)


def _filters(request: HttpRequest) -> dict:
    as_of = request.GET.get("as_of", "").strip()
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        day = None
    line = request.GET.get("line", "")
    action = request.GET.get("type", "")
    return {"q": request.GET.get("q", "").strip(), "line": line if line in DepartmentKind.values else "",
            "type": action if action in ActionType.values else "", "as_of": day}


def _list_context(request: HttpRequest) -> dict:
    filters = _filters(request)
    versions = selectors.item_list(as_of=filters["as_of"], q=filters["q"] or None, line=filters["line"] or None,
                                       action_type=filters["type"] or None)
    return {"page": page_of(request, versions), "filters": filters, "lines": DepartmentKind.choices,
            "types": ActionType.choices, "today": selectors.today()}


def _item_context(code: str, as_of: dt.date | None) -> dict:
    version = selectors.item_get(code=code, as_of=as_of)
    day = as_of or selectors.today()
    rows = ImplementationVersion.objects.in_force(day).filter(implementation__item=version.item).select_related(
        "implementation__body__region").order_by("implementation__level", "implementation__body__region_id")
    return {"version": version, "rows": rows, "history": selectors.item_version_list(code=code), "day": day}


# --- work portal ------------------------------------------------------------------------------------------------


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    return render_page(request, "catalog/list.html", _list_context(request), partial="results")


@login_required
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    context = _item_context(code, _filters(request)["as_of"])
    user = request.user
    context["can_claim"] = (user.has_role(Role.DEPARTMENT_ADMIN) and context["version"].item.is_sub_item
                            and (user.department.kind == context["version"].item.line
                                 or user.department.kind == DepartmentKind.TOWNSHIP)
                            and not any(r.implementation.body_id == user.department_id for r in context["rows"]))
    return render(request, "catalog/item.html", context)


@login_required
def item_diff(request: HttpRequest, code: str) -> HttpResponse:
    try:
        a, b = int(request.GET.get("a", "1")), int(request.GET.get("b", "2"))
    except ValueError:
        raise NotFound("版本号无效") from None
    return render(request, "catalog/diff.html", {"code": code, "a": a, "b": b,
                                                 "changes": selectors.version_diff(code=code, a=a, b=b),
                                                 "version": selectors.item_get(code=code)})


CLAIM_FIELDS = ("check_category", "check_method", "check_ratio", "check_frequency", "content_routine",
                "content_special", "sampling_content")


@role_required(Role.DEPARTMENT_ADMIN)
def claim(request: HttpRequest, code: str) -> HttpResponse:
    """Claim a 子项 for the administrator's department: its implementation row, sent for review."""
    version = selectors.item_get(code=code)
    values = {"effective_from": selectors.today().isoformat(), "check_category": "现场检查",
              "check_method": version.supervision_method[:60]}
    error = None
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in (*CLAIM_FIELDS, "effective_from")}
        fields = {name: values[name] for name in CLAIM_FIELDS}
        fields.update({flag: request.POST.get(flag) == "on" for flag in ("in_random_checks", "sampling")})
        try:
            change = change_requests.change_submit(actor=request.user, kind=ChangeKind.CLAIM, reason=request.POST.get(
                "reason", ""), payload={"item": code, "effective_from": values["effective_from"], "fields": fields})
        except ValidationFailed as exc:
            error = exc
        else:
            messages.success(request, _("认领申请已提交审核（#%(id)s）。") % {"id": change.pk})
            return redirect("catalog:change", change_id=change.pk)
    return render(request, "catalog/claim.html", {"version": version, "values": values, "error": error})


@role_required(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN, Role.LEADER)
def claims(request: HttpRequest) -> HttpResponse:
    """Who of the line has claimed what; guidance sent from the level above."""
    departments, rows = selectors.claims_overview(department=request.user.department)
    missing = sum(1 for row in rows for _, claimed in row.cells if not claimed)
    received = Guidance.objects.filter(to_department=request.user.department).select_related(
        "from_department", "item", "author")[:50]
    return render(request, "catalog/claims.html", {"departments": departments, "rows": rows, "missing": missing,
                                                   "received": received, "stale": selectors.rows_needing_review(
                                                       departments=departments),
                                                   "can_guide": request.user.has_role(Role.DEPARTMENT_ADMIN)})


@require_POST
@role_required(Role.DEPARTMENT_ADMIN)
def guide(request: HttpRequest) -> HttpResponse:
    """Send guidance to a department this one guides about a 子项 it has not claimed."""
    department = Department.objects.filter(pk=request.POST.get("department") or 0,
                                           parent_id=request.user.department_id).first()
    if department is None:
        raise NotFound()
    guidance.guidance_send(actor=request.user, to_department=department,
                           item=selectors.item_by_code(request.POST.get("item", "")),
                           note=request.POST.get("note", ""))
    messages.success(request, _("已向%(name)s发送指导意见。") % {"name": department.name})
    return redirect("catalog:claims")


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    listed = selectors.change_list(reader=request.user, status=status if status in ChangeStatus.values else None)
    return render(request, "catalog/changes.html", {
        "page": page_of(request, listed), "queue": selectors.change_list(reader=request.user, pending_review=True),
        "statuses": ChangeStatus.choices, "status": status})


@login_required
def change_detail(request: HttpRequest, change_id: int) -> HttpResponse:
    change = selectors.change_get(reader=request.user, change_id=change_id)
    return render(request, "catalog/change.html", {
        "change": change, "can_review": change.status == ChangeStatus.SUBMITTED and change_requests.can_review(
            request.user, change),
        "can_withdraw": change.submitted_by_id == request.user.pk and change.status in (
            ChangeStatus.DRAFT, ChangeStatus.SUBMITTED)})


@require_POST
@role_required(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN)
def change_review(request: HttpRequest, change_id: int) -> HttpResponse:
    selectors.change_get(reader=request.user, change_id=change_id)
    approve = request.POST.get("decision") == "approve"
    change_requests.change_review(actor=request.user, change_id=change_id, approve=approve,
                                  note=request.POST.get("note", ""))
    messages.success(request, _("已审核通过。") if approve else _("已退回。"))
    return redirect("catalog:change", change_id=change_id)


@require_POST
@role_required(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN)
def change_withdraw(request: HttpRequest, change_id: int) -> HttpResponse:
    selectors.change_get(reader=request.user, change_id=change_id)
    change_requests.change_withdraw(actor=request.user, change_id=change_id)
    return redirect("catalog:change", change_id=change_id)


@role_required(Role.DATA_ADMIN)
def publish(request: HttpRequest) -> HttpResponse:
    """The data administrator publishes approved changes as a new version of the city's list."""
    if request.method == "POST":
        publication = publishing.publication_publish(actor=request.user, title=request.POST.get("title", ""),
                                                     changelog=request.POST.get("changelog", ""))
        messages.success(request, _("已发布清单 %(number)s。") % {"number": publication.number})
        return redirect("catalog:publish")
    approved = selectors.change_list(reader=request.user, status=ChangeStatus.APPROVED).order_by("reviewed_at")
    return render(request, "catalog/publish.html", {"approved": approved,
                                                    "publications": Publication.objects.all()[:20]})


@role_required(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN)
def mappings(request: HttpRequest) -> HttpResponse:
    mapping, error = file_import(request, mapping_imports.mapping_import)
    if mapping is not None:
        return redirect("catalog:mapping", mapping_id=mapping.pk)
    return render(request, "catalog/mappings.html", {
        "imports": MappingImport.objects.visible_to(request.user)[:50], "error": error})


@role_required(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN)
def mapping_detail(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = MappingImport.objects.get_visible(request.user, pk=mapping_id)
    rows = mapping.rows.select_related("confirmed_item").prefetch_related("candidates__item__versions")
    return render(request, "catalog/mapping.html", {"mapping": mapping, "rows": rows,
                                                    "coverage": selectors.mapping_coverage(mapping=mapping)})


@require_POST
@role_required(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN)
def mapping_decide(request: HttpRequest, mapping_id: int, row_id: int) -> HttpResponse:
    MappingImport.objects.get_visible(request.user, pk=mapping_id)
    mapping_imports.mapping_decide(actor=request.user, row_id=row_id, item_code=request.POST.get("item") or None)
    return redirect("catalog:mapping", mapping_id=mapping_id)


@login_required
def mapping_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(exports.mapping_template(), "自建事项清单模板.xlsx")


@login_required
def fusion(request: HttpRequest) -> HttpResponse:
    line = request.GET.get("line", "")
    report = selectors.fusion_report(line=line if line in DepartmentKind.values else None)
    return render(request, "catalog/fusion.html", {"report": report, "lines": DepartmentKind.choices, "line": line})


# --- public portal ----------------------------------------------------------------------------------------------


@cache_page(60)
def public_list(request: HttpRequest) -> HttpResponse:
    return render_page(request, "catalog/public_list.html", _list_context(request), partial="results")


@cache_page(60)
def public_item(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "catalog/public_item.html", _item_context(code, None))


def export(request: HttpRequest) -> HttpResponse:
    """The list in force today (or on `as_of`) as an Excel file, for anyone."""
    day = _filters(request)["as_of"] or selectors.today()
    data = exports.catalog_xlsx(selectors.item_list(as_of=day), selectors.implementation_list(as_of=day), day)
    return xlsx_response(data, f"监管事项清单-{day}.xlsx")
