"""Pages of disclosure (ADR 0047): the work list `/disclosure/` with its filters, counts and clocks (the overdue
marked), one item with its publishable copy, its steps and the steps open to the reader, and the form that takes
one step. Thin: the reads are the selectors', the writes `services.item_transition`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.http import attempt, page_of, role_required
from jianguan.core.roles import Role

from . import redacting, selectors, services
from .models import ItemStatus, SourceKind
from .rules import REVIEWER_RULES
from .workflow import ITEMS

# The kinds of data a reviewer's mask hides (the redaction's kinds), with their labels.
MASK_KINDS = (("person_name", "姓名"), ("address", "住址"), ("phone", "联系方式"), ("id_number", "证件号码"),
              ("bank_account", "银行账户"), ("health", "健康信息"), ("secret", "秘密"), ("other", "其他"))


@login_required
def item_list(request: SignedInRequest) -> HttpResponse:
    get = request.GET
    status = get.get("status", "") if get.get("status", "") in ItemStatus.values else ""
    kind = get.get("kind", "") if get.get("kind", "") in SourceKind.values else ""
    overdue, query = get.get("overdue") == "1", get.get("q", "").strip()[:100]
    today = timezone.localdate()
    rows = selectors.item_list(reader=request.user, status=status, kind=kind, overdue=overdue, today=today, q=query)
    return render(request, "disclosure/item_list.html", {
        "page": page_of(request, rows), "counts": selectors.item_counts(reader=request.user, today=today),
        "today": today, "statuses": ItemStatus.choices, "kinds": SourceKind.choices, "status": status,
        "kind": kind, "overdue": overdue, "q": query})


@login_required
def item_detail(request: SignedInRequest, item_id: int) -> HttpResponse:
    item = selectors.item_get(reader=request.user, item_id=item_id)
    facts = services.facts_of(item, request.user)
    actions = [e for e in ITEMS.edges_from(item.status) if ITEMS.permitted(e, facts) is None]
    return render(request, "disclosure/item_detail.html", {
        "item": item, "actions": actions, "fields": {f for e in actions for f in e.fields},
        "steps": item.steps.all(), "today": timezone.localdate(), "diff": redacting.diff(item),
        "text_fields": sorted(redacting.texts_of(item)), "mask_kinds": MASK_KINDS,
        "rules": [(r.value, r.label) for r in REVIEWER_RULES]})


@require_POST
@role_required(Role.OFFICER, Role.PUBLISHER, Role.HEAD)
def item_act(request: SignedInRequest, item_id: int) -> HttpResponse:
    selectors.item_get(reader=request.user, item_id=item_id)
    values = {name: request.POST.get(name, "") for name in services.FORM_FIELDS}
    attempt(request, lambda: services.item_transition(item_id=item_id, action=request.POST.get("action", ""),
                                                      values=values, actor=request.user), _("已办理"))
    return redirect("disclosure:item", item_id=item_id)
