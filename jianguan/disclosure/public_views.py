"""Pages of 执法公示 on the public portal (ADR 0047): the published decisions with their search (事后公开) and one
decision's published copy with its PDF. Thin: the filters are checked by `public.parse_query` (a refusal names the
field and the rule), the reads are the public selectors'; nothing but the published copy is shown."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import public, selectors
from .models import SourceKind


def public_list(request: HttpRequest) -> HttpResponse:
    query = public.parse_query(request.GET)
    return render(request, "disclosure/public_list.html", {
        "result": public.public_search(query), "query": query, "kinds": SourceKind.choices})


def public_item(request: HttpRequest, number: str) -> HttpResponse:
    item = selectors.public_item_get(number=number)
    return render(request, "disclosure/public_item.html", {"item": item, "view": selectors.public_view(item),
                                                           "pdf": selectors.public_pdf_exists(item)})


def public_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """公示文书（PDF）: the redacted PDF made at release, as stored (never made again from the original)."""
    pdf = selectors.public_pdf_get(number=number)
    response = HttpResponse(bytes(pdf.data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
