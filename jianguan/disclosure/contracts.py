"""What other apps may use of disclosure (ADR 0047): the published penalties as the exchange pushes them upward
(`published_penalty_list`: the publication, and its withdrawal or early end, as versions of one 双公示 record), the
public reads for the public portal (`public_item_list`, `public_item_get`, `public_view`), the published copy of
one decision with its public page (`published_decision`, what the 曝光台 rests on) and the overdue counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .models import DisclosureItem, ItemStatus, SourceKind
from .public import PublicPage as PublicPage
from .public import PublicQuery as PublicQuery
from .public import parse_query as parse_query
from .public import public_search as public_search
from .selectors import item_counts as item_counts
from .selectors import public_item_get as public_item_get
from .selectors import public_item_list as public_item_list
from .selectors import public_view as public_view
from .services import SOURCES

PUSHED = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN, ItemStatus.ENDED)


@dataclass(frozen=True)
class PublishedCard:
    """One published 行政处罚 item as the exchange pushes it: version 1 the publication (公示状态 0), version 2 its
    withdrawal with the reason, or its early end (公示状态 1)."""

    record_id: str
    version: int
    fields: dict[str, Any]
    published_on: dt.date
    publish_until: dt.date | None
    withdrawn: bool
    withdraw_reason: str
    remark: str
    department_id: int
    region_id: str


def _cards(item: DisclosureItem) -> list[PublishedCard]:
    assert item.published_on is not None
    published, fields = item.published_on, dict(item.redacted)  # the published copy, never the original

    def card(version: int, until: dt.date | None, reason: str = "", remark: str = "") -> PublishedCard:
        return PublishedCard(str(item.record_id), version, fields, published, until, version > 1, reason, remark,
                             item.department_id, item.region_id)

    found = [card(1, item.period_ends_on)]
    if item.status == ItemStatus.WITHDRAWN:
        found.append(card(2, item.withdrawn_on, item.withdraw_reason, "撤回公示"))
    elif item.status == ItemStatus.ENDED:
        found.append(card(2, item.ended_on, item.end_reason, item.end_reason))
    return found


def published_penalty_list(*, queued: set[tuple[str, int]] | None = None) -> list[PublishedCard]:
    """The versions of published penalties not in `queued` ((record id, version) pairs), oldest first."""
    queued = queued or set()
    rows = DisclosureItem.objects.filter(source_kind=SourceKind.PENALTY, status__in=PUSHED).order_by("pk")
    return [card for item in rows for card in _cards(item) if (card.record_id, card.version) not in queued]


def published_record_ids() -> list[str]:
    """The record ids of every pushed penalty item (for the exchange's look-up of what it has queued)."""
    rows = DisclosureItem.objects.filter(source_kind=SourceKind.PENALTY, status__in=PUSHED)
    return [str(r) for r in rows.values_list("record_id", flat=True)]


@dataclass(frozen=True)
class PublishedDecision:
    """A decision as it is published (已公示): its 公示编号, the published copy (redacted; never the original) and
    its page on the public portal."""

    number: str
    fields: dict[str, Any]
    url: str


def published_decision(*, kind: str, source_number: str) -> PublishedDecision | None:
    """The published item of the behaviour record of `kind` numbered `source_number` (行为编号), None when the
    decision has no item or its item is not published now (pending, withheld, withdrawn, ended)."""
    if kind not in SOURCES or not source_number:
        return None
    rows = SOURCES[kind]._default_manager.filter(number=source_number).values("pk")
    item = (DisclosureItem.objects.filter(source_kind=kind, source_id__in=rows, status=ItemStatus.PUBLISHED)
            .only("number", "redacted").first())
    if item is None:
        return None
    return PublishedDecision(item.number, dict(item.redacted), reverse("disclosure:public_item", args=[item.number]))
