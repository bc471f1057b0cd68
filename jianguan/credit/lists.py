"""The public lists of credit supervision (`GET /api/v1/credit/lists`): each list's public entries — the entity's
name and code, the ground, the deciding body and the day — never a person's data nor the internal class.

`LISTS` is the one merge point: a list adds itself with its name, its title and a function answering its public
entries (anything with `count()` and slicing, in the order to show, each row giving `PublicEntry`'s fields through
`entry`): the 经营异常名录 and the 严重违法失信名单.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jianguan.core.validation import require

from .abnormal_selectors import public_abnormal_list
from .models import AbnormalEntry, AbnormalReason, SeriousEntry
from .serious_selectors import serious_public_rows


@dataclass(frozen=True)
class PublicEntry:
    list: str
    name: str
    uscc: str
    reason: str
    authority: str
    decision_number: str
    date: dt.date
    ends_on: dt.date | None  # the end of the publication, where the list has one


@dataclass(frozen=True)
class PublicList:
    title: str
    rows: Callable[[], Any]  # count() and slicing
    entry: Callable[[Any], PublicEntry]


def _abnormal(row: AbnormalEntry) -> PublicEntry:
    return PublicEntry("abnormal", row.entity.name, row.entity.uscc, str(AbnormalReason(row.reason).label),
                       row.department.name, row.decision_number, row.decided_on or dt.date.min, None)


def _serious(row: SeriousEntry) -> PublicEntry:
    return PublicEntry("serious", row.entity.name, row.entity.uscc, row.reason, row.department.name,
                       row.decision_number, row.listed_on or dt.date.min, row.ends_on)


LISTS: dict[str, PublicList] = {
    "abnormal": PublicList("经营异常名录", public_abnormal_list, _abnormal),
    "serious": PublicList("严重违法失信名单", serious_public_rows, _serious),
}


def _names(value: str | None) -> list[str]:
    if not value:
        return list(LISTS)
    require(value in LISTS, f"参数“list”应为{'、'.join(LISTS)}之一（{'、'.join(v.title for v in LISTS.values())}）",
            "list_unknown", "list")
    return [value]


def public_entries(*, list_name: str | None, offset: int, limit: int,
                   uscc: str = "") -> tuple[int, list[PublicEntry]]:
    """The total and one page of the public entries of one list, or of every list one after the other; one
    entity's with `uscc`."""
    total, page = 0, list[PublicEntry]()
    for name in _names(list_name):
        source = LISTS[name]
        rows = source.rows()
        if uscc:
            rows = rows.filter(entity__uscc=uscc.strip().upper())
        count = rows.count()
        start = max(0, offset - total)
        wanted = limit - len(page)
        if wanted > 0 and start < count:
            page += [source.entry(row) for row in rows[start:start + wanted]]
        total += count
    return total, page
