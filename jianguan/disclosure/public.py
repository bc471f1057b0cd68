"""The public's search of published disclosure items (事后公开, ADR 0047): one set of filters, checked once, for the
portal's pages and the open-data API alike, and a page of results fetched without counting every match.

Parameters out of range are refused with the field and the rule named (`kind_invalid`, `out_of_range`,
`date_invalid`, `date_range_inverted`, `too_long`); a page is `size + 1` rows read to learn whether another
follows, so no search counts a million rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from jianguan.core.validation import parse_date, require, text

from .models import DisclosureItem, SourceKind
from .selectors import public_item_list

MAX_PAGE = 1000
MAX_SIZE = 100
DEFAULT_SIZE = 20


@dataclass(frozen=True)
class PublicQuery:
    """A search of published items: kind, department, region (行政区划代码), entity (统一社会信用代码), words in the
    party's name or the decision's number, published between two dates; page and size."""

    kind: str = ""
    department_id: int | None = None
    region_id: str = ""
    entity: str = ""
    q: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1
    size: int = DEFAULT_SIZE

    def at_page(self, page: int) -> PublicQuery:
        return replace(self, page=page)


@dataclass(frozen=True)
class PublicPage:
    items: list[DisclosureItem]
    query: PublicQuery
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.query.page > 1


def _integer(params: Mapping[str, Any], field: str, label: str, low: int, high: int, default: int | None) -> int | None:
    raw = str(params.get(field, "") or "").strip()
    if not raw:
        return default
    require(raw.isdigit() and low <= int(raw) <= high, f"“{label}”应为 {low} 至 {high} 之间的整数，实为“{raw[:20]}”",
            "out_of_range", field)
    return int(raw)


def _date(params: Mapping[str, Any], field: str, label: str) -> dt.date | None:
    raw = str(params.get(field, "") or "").strip()
    return parse_date(raw[:20], field, label) if raw else None


def parse_query(params: Mapping[str, Any]) -> PublicQuery:
    """The search asked for by request parameters; `ValidationFailed` naming the field and the rule otherwise."""
    kind = text(params.get("kind"), "kind", "决定类别", required=False, max_len=20)
    require(not kind or kind in SourceKind.values, f"“决定类别”应为 {'、'.join(SourceKind.values)} 之一",
            "kind_invalid", "kind")
    since, until = _date(params, "since", "公示日期起"), _date(params, "until", "公示日期止")
    require(not (since and until and since > until), "“公示日期起”不能晚于“公示日期止”", "date_range_inverted",
            "since")
    page = _integer(params, "page", "页码", 1, MAX_PAGE, 1)
    size = _integer(params, "size", "每页条数", 1, MAX_SIZE, DEFAULT_SIZE)
    return PublicQuery(
        kind=kind, department_id=_integer(params, "department", "部门", 1, 2**31 - 1, None),
        region_id=text(params.get("region"), "region", "行政区划", required=False, max_len=12),
        entity=text(params.get("entity"), "entity", "统一社会信用代码", required=False, max_len=18),
        q=text(params.get("q"), "q", "关键词", required=False, max_len=50), since=since, until=until,
        page=page or 1, size=size or DEFAULT_SIZE)


def public_search(query: PublicQuery) -> PublicPage:
    """One page of the published items that match, newest first."""
    start = (query.page - 1) * query.size
    rows = public_item_list(kind=query.kind, department_id=query.department_id, region_id=query.region_id,
                            entity_uscc=query.entity, q=query.q, since=query.since, until=query.until,
                            need=start + query.size + 1)
    found = list(rows[start:start + query.size + 1])
    return PublicPage(items=found[:query.size], query=query, has_next=len(found) > query.size)
