"""What other apps may use of disclosure (ADR 0047): the published penalties as the exchange pushes them upward
(`published_penalty_chunks`: the publication, and its withdrawal or early end, as versions of one 双公示 record), the
public reads for the public portal (`public_item_list`, `public_item_get`, `public_view`), the published copy of
one decision with its public page (`published_decision`, what the 曝光台 rests on) and the overdue counts; and the
hand-over of received 行政许可 records that makes their items (`licences_receive`, `ReceivedLicence`, ADR 0062)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .licences import ReceivedLicence as ReceivedLicence
from .licences import licences_receive as licences_receive
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
CHUNK = 500


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


def published_penalty_chunks(*, size: int | None = None) -> Iterator[list[PublishedCard]]:
    """Every version of every published penalty, `size` items at a time, oldest first: each chunk one bounded
    query (keyset on the item's id), so a caller's look-up of what it has queued is bounded by the chunk too."""
    last, size = 0, size or CHUNK
    while True:
        items = list(DisclosureItem.objects.filter(source_kind=SourceKind.PENALTY, status__in=PUSHED, pk__gt=last)
                     .defer("fields", "masks", "persons").order_by("pk")[:size])
        if not items:
            return
        last = items[-1].pk
        yield [card for item in items for card in _cards(item)]


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
