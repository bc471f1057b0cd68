"""`/api/v1/knowledge/cases…`: the case library searched (`q`, at most 100 characters), scoped and paginated
without counting every match (`has_next`), and the similar cases of a case by its 案件编号 with the distribution of
their fines (ADR 0061)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from jianguan.core.api import ErrorOut, PageQuery, page_bounds, require_reader
from jianguan.core.roles import ApiScope

from . import selectors
from .similar import similar_of_case

router = Router(tags=["案例库 case library"])


class CaseEntryOut(Schema):
    id: int
    kind: str
    case_number: str
    title: str
    party: str
    violation: str
    catalog_code: str
    article: str
    circumstances: list[str]
    band: str
    outcome: str
    fine: Decimal | None
    decided_on: dt.date | None
    internal_only: bool
    department: int
    region: str

    @staticmethod
    def resolve_department(obj: Any) -> int:
        return int(obj.department_id)

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return str(obj.region_id)


class EntryPage(Schema):
    items: list[CaseEntryOut]
    limit: int
    offset: int
    has_next: bool


class CaseQuery(PageQuery):
    q: str = ""


class DistributionOut(Schema):
    count: int
    minimum: Decimal | None
    lower_quartile: Decimal | None
    median: Decimal | None
    upper_quartile: Decimal | None
    maximum: Decimal | None
    buckets: list[tuple[str, int]]


class SimilarOut(Schema):
    catalog_code: str
    article: str
    band: str
    widened: bool
    distribution: DistributionOut
    entries: list[CaseEntryOut]


@router.get("/knowledge/cases", response={200: EntryPage, 400: ErrorOut})
def case_search(request: HttpRequest, filters: Query[CaseQuery]) -> dict[str, Any]:
    reader = require_reader(request, ApiScope.READ)
    limit, offset = page_bounds(filters.limit, filters.offset)
    rows = list(selectors.entry_list(reader=reader, q=filters.q).order_by("-decided_on", "-pk")
                [offset:offset + limit + 1])
    return {"items": rows[:limit], "limit": limit, "offset": offset, "has_next": len(rows) > limit}


@router.get("/knowledge/cases/{number}/similar", response={200: SimilarOut, 404: ErrorOut})
def case_similar(request: HttpRequest, number: str) -> selectors.Similar:
    return similar_of_case(reader=require_reader(request, ApiScope.READ), number=number)
