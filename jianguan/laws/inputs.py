"""The search's parameters from a page or the API, each checked with the rule named."""

from __future__ import annotations

from typing import Any

from jianguan.core.validation import parse_date, require

from .models import Level
from .search import Filters, check_query

PAGE_MAX = 100


def filters_of(values: Any) -> Filters:
    """`q` (at most `search.QUERY_MAX` characters), `level` (one of the levels), `issuer`, `on` (a date)."""
    level = (values.get("level") or "").strip()
    require(not level or level in Level.values, f"“效力层级”应为 {'、'.join(Level.values)} 之一", "invalid_choice",
            "level")
    issuer = (values.get("issuer") or "").strip()
    require(len(issuer) <= 100, "“制定机关”不能超过 100 字", "too_long", "issuer")
    on = values.get("on") or ""
    return Filters(check_query(values.get("q") or ""), level, issuer, parse_date(on, "on", "施行日期") if on else None)


def page_number(value: Any) -> int:
    try:
        page = int(value or 1)
    except (TypeError, ValueError):
        page = 0
    require(1 <= page <= 1000, "“页码”应为 1 至 1000 的整数", "invalid", "page")
    return page
