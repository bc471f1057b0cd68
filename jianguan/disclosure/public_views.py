"""Pages of 执法公示 on the public portal (ADR 0047, ADR 0050): 事前公开 (each department's body, duties, procedures,
officers, 随机抽查事项清单 and supervision policy), 事中公开 (the published spot-check plans and tasks), 事后公开 (the
published decisions with their search, one decision's published copy and its PDF) and an entity's published records.

Thin: the filters are checked by `public.parse_query` (a refusal names the field and the rule, answered 400), the
reads are the public selectors' and `portal.py`'s; nothing but what is public is shown. Every page is the same for
every visitor of a language and address, so each is cached for a minute."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_page

from jianguan.spotchecks.contracts import published_plan_list, published_result_list, published_task_list

from . import fields, portal, public, selectors
from .models import SourceKind

PLANS_SHOWN = 100


def _filters() -> dict[str, object]:
    return {"kinds": SourceKind.choices, "departments": portal.department_public_list(),
            "regions": portal.region_choices()}


@cache_page(60)
def public_list(request: HttpRequest) -> HttpResponse:
    """事后公开: the published decisions, searched and filtered, a page at a time (no total is counted)."""
    query = public.parse_query(request.GET)
    result = public.public_search(query)
    previous, following = portal.pager(request.GET, result)
    return render(request, "disclosure/public_list.html", {
        "result": result, "query": query, "previous": previous, "next": following, "stage": "after",
        **_filters()})


@cache_page(60)
def public_item(request: HttpRequest, number: str) -> HttpResponse:
    item = selectors.public_item_get(number=number)
    view = selectors.public_view(item)
    return render(request, "disclosure/public_item.html", {
        "item": item, "view": view, "rows": fields.labelled(view["fields"]), "stage": "after",
        "pdf": selectors.public_pdf_exists(item)})


@cache_page(60)
def prior_index(request: HttpRequest) -> HttpResponse:
    """事前公开: the departments, each linking to what it discloses before it acts."""
    return render(request, "disclosure/public_prior_index.html", {
        "departments": portal.department_public_list(), "stage": "prior"})


@cache_page(60)
def prior_department(request: HttpRequest, department_id: int) -> HttpResponse:
    department = portal.department_public_get(department_id=department_id)
    return render(request, "disclosure/public_prior.html", {
        "prior": portal.prior(department=department, day=timezone.localdate()), "stage": "prior"})


@cache_page(60)
def during(request: HttpRequest) -> HttpResponse:
    """事中公开: the published spot-check plans and the tasks past their draft, of one department when asked."""
    query = public.parse_query(request.GET)
    start = (query.page - 1) * query.size
    tasks = list(published_task_list(department_id=query.department_id)[start:start + query.size + 1])
    page = public.PublicPage(items=[], query=query, has_next=len(tasks) > query.size)
    previous, following = portal.pager(request.GET, page)
    return render(request, "disclosure/public_during.html", {
        "plans": published_plan_list(department_id=query.department_id)[:PLANS_SHOWN],
        "tasks": tasks[:query.size], "query": query, "previous": previous, "next": following,
        "departments": portal.department_public_list(), "stage": "during"})


@cache_page(60)
def entity(request: HttpRequest, uscc: str) -> HttpResponse:
    """An entity's published records only: its published (and withdrawn) decisions, its published spot-check
    results; never a credit class, a risk, a draft or a withheld item."""
    found = portal.entity_public_get(uscc=uscc)
    query = replace(public.parse_query(request.GET), entity=found.uscc, department_id=None, kind="",
                    region_id="", q="", since=None, until=None)
    result = public.public_search(query)
    previous, following = portal.pager({"page": request.GET.get("page", "")}, result)
    return render(request, "disclosure/public_entity.html", {
        "entity": found, "result": result, "results": published_result_list(entity_id=found.pk),
        "previous": previous, "next": following})


def public_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """公示文书（PDF）: the redacted PDF made at release, as stored (never made again from the original)."""
    pdf = selectors.public_pdf_get(number=number)
    response = HttpResponse(bytes(pdf.data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
