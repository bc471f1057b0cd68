"""Pages of the knowledge base for everyone signed in: the search (`/laws/`) with its highlights, and one
provision (`/laws/p/<id>/`) in the version in force on a date, with the law's versions and what cites it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.errors import ValidationFailed
from jianguan.core.validation import parse_date

from . import inputs, search, selectors
from .models import Level

SIZE = 20


@login_required
def law_search(request: SignedInRequest) -> HttpResponse:
    context = {"levels": Level.choices, "issuers": selectors.issuers(), "values": request.GET,
               "today": timezone.localdate()}
    try:
        filters = inputs.filters_of(request.GET)
        page = inputs.page_number(request.GET.get("page"))
    except ValidationFailed as error:
        return render(request, "laws/search.html", {**context, "error": error}, status=400)
    rows, has_next = selectors.article_list(reader=request.user, filters=filters, offset=(page - 1) * SIZE,
                                            size=SIZE)
    results = [(row, search.pieces(search.snippet(row.text, filters.q), filters.q)) for row in rows]
    return render(request, "laws/search.html", {**context, "results": results, "filters": filters, "page": page,
                                                "has_next": has_next})


@login_required
def provision(request: SignedInRequest, pid: str) -> HttpResponse:
    raw = request.GET.get("on") or ""
    try:
        on = parse_date(raw, "on", "施行日期") if raw else None
    except ValidationFailed as error:
        return render(request, "laws/provision.html", {"error": error}, status=400)
    found = selectors.provision_get(reader=request.user, pid=pid, on=on)
    return render(request, "laws/provision.html", {"page": found, "on": on, "version": found.target.version,
                                                   "law": found.target.version.law})
