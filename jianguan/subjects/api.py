"""`/api/v1/subjects…`: market entities of the caller's jurisdiction."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from jianguan.core.api import ErrorOut, Page, PageQuery, paginate, require_reader
from jianguan.core.roles import ApiScope

from . import selectors
from .cards import EntityCard

router = Router(tags=["监管对象 subjects"])
JSON_TYPE = "application/json; charset=utf-8"


class EntityOut(Schema):
    uscc: str
    name: str
    entity_type: str
    enterprise_type: str
    legal_representative: str
    registered_address: str
    region: str
    region_name: str
    industry: str
    industry_name: str
    established_on: dt.date
    registered_capital: Decimal | None
    status: str
    risk_class: str

    @staticmethod
    def resolve_region(obj: EntityCard) -> str:
        return obj.region_id

    @staticmethod
    def resolve_industry(obj: EntityCard) -> str:
        return f"{obj.industry_section}{obj.industry_id}"


class EntityFilter(PageQuery):
    q: str | None = None
    region: str | None = None
    risk_class: str | None = None
    status: str | None = None
    limit: int = 20


@router.get("/subjects", response=Page[EntityOut])
def entity_list(request: HttpRequest, filters: Query[EntityFilter]) -> dict[str, Any]:
    """Entities of the caller's jurisdiction. `q` finds the start of a 统一社会信用代码, or words (separated by
    spaces, each of any length) all found in the name, a former name, the legal representative or the address; a
    query of only very common words lists at most the first 1,000 entities by code."""
    found = selectors.entity_search(reader=require_reader(request, ApiScope.READ), q=filters.q,
                                    region=filters.region, risk_class=filters.risk_class, status=filters.status)
    page = paginate(found.entities, filters, count=found.count)
    return {**page, "items": [EntityCard.from_model(e) for e in page["items"]]}


def entity_body(card: EntityCard) -> dict[str, Any]:
    """`EntityOut` of a card written out: the read below is the API's most frequent, and validating its own
    output through the schema costs as much as the read itself (ADR 0016). A test holds the two equal."""
    capital = card.registered_capital
    return {"uscc": card.uscc, "name": card.name, "entity_type": card.entity_type,
            "enterprise_type": card.enterprise_type, "legal_representative": card.legal_representative,
            "registered_address": card.registered_address, "region": card.region_id, "region_name": card.region_name,
            "industry": f"{card.industry_section}{card.industry_id}", "industry_name": card.industry_name,
            "established_on": card.established_on.isoformat(),
            "registered_capital": None if capital is None else str(capital),
            "status": card.status, "risk_class": card.risk_class}


@router.get("/subjects/{uscc}", response={200: EntityOut, 404: ErrorOut})
def entity_get(request: HttpRequest, uscc: str) -> HttpResponse:
    """One entity by 统一社会信用代码; 404 when it is unknown or outside the caller's jurisdiction."""
    card = selectors.entity_get(reader=require_reader(request, ApiScope.READ), uscc=uscc)
    return HttpResponse(json.dumps(entity_body(card), ensure_ascii=False), content_type=JSON_TYPE)
