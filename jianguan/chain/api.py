"""`GET /api/v1/subjects/{uscc}/chain`: one entity's information chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from jianguan.core.api import ErrorOut, require_reader
from jianguan.core.errors import ValidationFailed
from jianguan.core.roles import ApiScope
from jianguan.subjects.contracts import EntityOut

from . import selectors

router = Router(tags=["监管信息链 chain"])


class ChainItemOut(Schema):
    kind: str
    kind_label: str
    date: dt.date
    title: str
    detail: str
    source: str
    department: str
    ref: str


class EntryOut(ChainItemOut):
    items: list[ChainItemOut]  # the records this entry stands for (a spot check's 行政检查 of each task item)


class ChainOut(Schema):
    entity: EntityOut
    counts: dict[str, int]
    kinds: dict[str, str]
    entries: list[EntryOut]


class ChainFilter(Schema):
    kind: list[str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = 200


@router.get("/subjects/{uscc}/chain", response={200: ChainOut, 404: ErrorOut})
def chain(request: HttpRequest, uscc: str, filters: Query[ChainFilter]) -> dict[str, Any]:
    """Everything about one entity in one timeline, newest first: registration, licences, inspections,
    penalties, coercion, complaints, credit records … each within the caller's scope; counts per kind."""
    known = selectors.kinds()
    unknown = sorted(set(filters.kind or []) - set(known))
    if unknown:
        raise ValidationFailed(f"未知的类别：{'、'.join(unknown)}", code="kind_invalid", field="kind")
    if filters.since and filters.until and filters.since > filters.until:
        raise ValidationFailed("起始日期不能晚于截止日期", code="date_order", field="until")
    result = selectors.chain_get(reader=require_reader(request, ApiScope.READ), uscc=uscc,
                                    kinds_wanted=set(filters.kind) if filters.kind else None, since=filters.since,
                                    until=filters.until, limit=max(1, min(filters.limit, 1000)))
    return {"entity": result.entity, "counts": result.counts, "kinds": result.kinds, "entries": result.entries}
