"""Pages of the platform's own 经营异常名录 (ADR 0043): a department's entries with their counts and clocks (the
listing and removal due days, those overdue) and the entries due for a proposal to the 严重违法失信名单, the
proposal form, one entry with its entity's other entries, the steps open to the reader and its two decisions as
PDFs, and the list as a workbook."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.accounts.models import DepartmentKind
from jianguan.core.http import attachment, attempt, page_of, role_required
from jianguan.core.roles import Role
from jianguan.core.tabular import XLSX, write_xlsx
from jianguan.documents import contracts as documents

from . import abnormal
from . import abnormal_selectors as selectors
from .abnormal_workflow import ENTRIES
from .models import AbnormalReason, AbnormalRepair, AbnormalStatus

COLUMNS = ("编号", "市场主体", "统一社会信用代码", "列入事由", "作出决定机关", "状态", "列入情形发生（查实）日期",
           "列入决定期限", "列入日期", "公示日期", "列入决定书文号", "移出事由", "申请移出日期", "移出决定期限",
           "移出日期", "移出决定书文号")


def _filters(request: SignedInRequest) -> tuple[str, str]:
    status, reason = request.GET.get("status", ""), request.GET.get("reason", "")
    return (status if status in AbnormalStatus.values else "", reason if reason in AbnormalReason.values else "")


@login_required
def entry_list(request: SignedInRequest) -> HttpResponse:
    status, reason = _filters(request)
    today = timezone.localdate()
    user = request.user
    return render(request, "credit/abnormal_list.html", {
        "page": page_of(request, selectors.entry_list(reader=user, status=status, reason=reason)),
        "counts": selectors.abnormal_counts(reader=user, today=today), "today": today,
        "due": selectors.abnormal_due_for_serious(reader=user, on=today),
        "statuses": AbnormalStatus.choices, "reasons": AbnormalReason.choices, "status": status, "reason": reason,
        "proposer": user.has_role(Role.OFFICER) and user.department.kind == DepartmentKind.SCJG,
        "query": request.GET.urlencode()})


@require_POST
@role_required(Role.OFFICER)
def entry_propose(request: SignedInRequest) -> HttpResponse:
    post = request.POST
    entry = attempt(request, lambda: abnormal.abnormal_propose(
        actor=request.user, uscc=post.get("uscc", ""), reason=post.get("reason", ""), facts=post.get("facts", ""),
        found_on=post.get("found_on", "")), _("已提出列入经营异常名录，待负责人审批"))
    return redirect("credit:abnormal_entry", entry_id=entry.pk) if entry else redirect("credit:abnormal")


@login_required
def entry_detail(request: SignedInRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get(reader=request.user, entry_id=entry_id)
    facts = abnormal.facts_of(entry, request.user)
    # The steps the reader may take (the guard on the repair is checked with the form's answer).
    actions = [e for e in ENTRIES.edges_from(entry.status) if ENTRIES.permitted(e, facts) is None]
    return render(request, "credit/abnormal_entry.html", {
        "entry": entry, "actions": actions, "fields": {f for e in actions for f in e.fields},
        "others": selectors.entity_entry_list(entry=entry, reader=request.user), "today": timezone.localdate(),
        "repair_choices": AbnormalRepair.choices})


@require_POST
@role_required(Role.OFFICER, Role.HEAD)
def entry_act(request: SignedInRequest, entry_id: int) -> HttpResponse:
    selectors.entry_get(reader=request.user, entry_id=entry_id)
    values = {name: request.POST.get(name, "") for name in
              ("note", "decided_on", "published_on", "repair", "repair_facts", "applied_on", "removed_on")}
    attempt(request, lambda: abnormal.abnormal_transition(entry_id=entry_id, action=request.POST.get("action", ""),
                                                          values=values, actor=request.user), _("已办理"))
    return redirect("credit:abnormal_entry", entry_id=entry_id)


@login_required
def entry_document(request: SignedInRequest, entry_id: int, which: str) -> HttpResponse:
    """The 列入决定书 (`listing`) or 移出决定书 (`removal`) of an entry the reader may see."""
    entry = selectors.entry_get(reader=request.user, entry_id=entry_id)
    document = {"listing": entry.decision_document, "removal": entry.removal_document}.get(which)
    if document is None:
        raise Http404()
    response: HttpResponse = documents.pdf_page(request, document, file_name=f"{entry.number}-{which}.pdf")
    return response


@login_required
def entry_export(request: SignedInRequest) -> HttpResponse:
    """The entries the reader may see (with the page's filters) as a workbook."""
    status, reason = _filters(request)
    rows = ((e.number, e.entity.name, e.entity.uscc, e.get_reason_display(), e.department.name,
             e.get_status_display(), e.found_on, e.listing_due, e.decided_on, e.published_on, e.decision_number,
             e.get_repair_display(), e.removal_applied_on, e.removal_due, e.removed_on, e.removal_number)
            for e in selectors.entry_list(reader=request.user, status=status, reason=reason).iterator())
    data = write_xlsx("经营异常名录", COLUMNS, rows, widths=[18, 28, 22, 24, 24, 14] + [14] * 10)
    name = f"经营异常名录-{timezone.localdate():%Y%m%d}.xlsx"
    return attachment(data, XLSX, name)
