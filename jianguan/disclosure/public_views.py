"""Pages of 执法公示 on the public portal (ADR 0047): the published decisions with their search (事后公开) and one
decision's published copy. Thin: the filters are checked by `public.parse_query` (a refusal names the field and the
rule), the reads are the public selectors'; nothing but the published copy is shown.

Both pages are the same for every visitor in a language (no per-visitor token) and are cached for a minute, as the
public home page is (a search's page by its whole address): a publication or withdrawal shows within the minute,
far inside its clock of days."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_page

from . import public, selectors
from .models import SourceKind


@cache_page(60)
def public_list(request: HttpRequest) -> HttpResponse:
    query = public.parse_query(request.GET)
    return render(request, "disclosure/public_list.html", {
        "result": public.public_search(query), "query": query, "kinds": SourceKind.choices})


@cache_page(60)
def public_item(request: HttpRequest, number: str) -> HttpResponse:
    item = selectors.public_item_get(number=number)
    return render(request, "disclosure/public_item.html", {"item": item, "view": selectors.public_view(item)})
