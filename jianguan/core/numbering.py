"""The numbers the platform issues (线索 `XS…`, 案件 `AJ2026-0012-00001`, 投诉举报 `TS…`, 行政强制 `QZCS…`/`QZZX…`,
清单版本 `2026-001`), each taken from one row of `NumberSequence` per (scope, period).

A number is taken with one conditional UPDATE (`last = last + 1`), which locks the row until the caller's
transaction ends: two requests of the same scope and period queue behind each other and get consecutive numbers
(on SQLite the write lock, taken at BEGIN, serialises them). A rolled-back request gives its number back. The row
of a new period starts after `floor()`, the numbers issued before it existed (by an older release or a seed), so
a number is never issued twice. (The 文号 of documents keep their own sequence, `documents.numbering`.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet

from .models import NumberSequence


@transaction.atomic
def take(scope: str, period: str, *, floor: Callable[[], int] | None = None) -> int:
    """The next number of (scope, period), taken in the caller's transaction; a new period starts at floor() + 1."""
    rows = NumberSequence.objects.filter(scope=scope, period=period)
    if not rows.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                NumberSequence.objects.create(scope=scope, period=period, last=(floor() if floor else 0) + 1)
        except IntegrityError:  # another transaction created it first: take the next one after theirs
            rows.update(last=F("last") + 1)
    return rows.values_list("last", flat=True).get()


def next_number(stem: str, *, scope: str, period: str, issued: QuerySet[Any, Any], width: int = 5) -> str:
    """`{stem}{n}` with n from (scope, period) in `width` digits; `issued` holds the numbers (a `number` field)
    already given, read once when the period's sequence starts."""

    def floor() -> int:
        last = issued.filter(number__startswith=stem).order_by("-number").values_list("number", flat=True).first()
        return int(last[len(stem):]) if last else 0

    return f"{stem}{take(scope, period, floor=floor):0{width}d}"


def daily_number(prefix: str, day: dt.date, *, issued: QuerySet[Any, Any], width: int = 5) -> str:
    """`{prefix}{YYYYMMDD}{n}`, n from 1 each day (XS2026120700001); the prefix is the sequence's scope."""
    return next_number(f"{prefix}{day:%Y%m%d}", scope=prefix, period=f"{day:%Y%m%d}", issued=issued, width=width)
