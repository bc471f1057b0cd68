"""Work-portal pages of market entities: search within the jurisdiction, and one entity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.http import page_of, render_page

from . import search, selectors
from .models import RiskClass


@login_required
def entity_list(request: SignedInRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    risk = request.GET.get("risk_class", "")
    found = selectors.entity_search(reader=request.user, q=q or None,
                                    risk_class=risk if risk in RiskClass.values else None)
    return render_page(request, "subjects/list.html",
                       {"page": page_of(request, found.entities, count=found.count), "q": q, "risk": risk,
                        "risk_classes": RiskClass.choices, "capped": found.capped, "cap": search.SCAN_CAP},
                       partial="results")
