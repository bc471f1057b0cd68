"""Published 行政处罚 decisions pushed upward as 双公示 records, and their withdrawals after them (ADR 0047).

Disclosure publishes (`disclosure.contracts.published_penalty_chunks`); this module turns each publication into the
双公示 行政处罚 record (`disclosure_penalty`, 记录唯一标识 the item's own, 公示状态 0, its 公示日期 and 公示截止期)
queued as version 1 (`i`), and a withdrawal or an early end into version 2 (`u`) with 公示状态 1 (撤销) and the
撤销原因 (《行政处罚法》第四十八条: the reason is made public). The copy pushed is the published (redacted) one.
Each version is checked by the quality engine and queued once: the (record id, version) in the outbox is the
watermark, as `publication_ends.py` does; the push stores the receiver's receipt on each."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.disclosure import contracts as disclosure

from . import standards
from .models import Op, OutboxRecord
from .quality import engine
from .records import issue_dict
from .refs import LibraryRefs

STANDARD = "disclosure_penalty"
SHOWN, WITHDRAWN = "0", "1"  # 公示状态: 0 正常, 1 撤销, 2 删除


def disclosure_data(card: disclosure.PublishedCard) -> dict[str, Any]:
    """The 双公示 record of one version of a published penalty."""
    data = {**card.fields, "record_id": card.record_id, "published_on": card.published_on.isoformat(),
            "publish_until": card.publish_until.isoformat() if card.publish_until else None,
            "publish_status": WITHDRAWN if card.withdrawn else SHOWN,
            "withdraw_reason": card.withdraw_reason[:1000] or None, "remark": card.remark[:512] or None}
    return {k: v for k, v in data.items() if v is not None}


def disclosures_collect(*, actor: Actor) -> tuple[int, int]:
    """Queue every version of a published penalty not yet in the outbox, a chunk of items at a time (each chunk's
    look-up of the outbox bounded by it, its queueing one transaction); (queued, refused)."""
    queued = refused = 0
    for cards in disclosure.published_penalty_chunks():
        done, held = _queue(cards, actor)
        queued, refused = queued + done, refused + held
    return queued, refused


def _queue(cards: list[disclosure.PublishedCard], actor: Actor) -> tuple[int, int]:
    """Queue the versions of `cards` not yet in the outbox; (queued, refused)."""
    with transaction.atomic():
        queued = set(OutboxRecord.objects.filter(standard=STANDARD, record_id__in={c.record_id for c in cards})
                     .values_list("record_id", "version"))
        fresh = [card for card in cards if (card.record_id, card.version) not in queued]
        if not fresh:
            return 0, 0
        rows: list[OutboxRecord] = []
        refused: list[dict[str, Any]] = []
        for version in (1, 2):  # checked apart: a publication and its withdrawal are no duplicates of each other
            _check([card for card in fresh if card.version == version], rows, refused)
        OutboxRecord.objects.bulk_create(rows)
        record(actor=actor, verb="exchange.disclosures_queued",
               data={"queued": [[row.record_id, row.version] for row in rows], "refused": refused})
    return len(rows), len(refused)


def _check(cards: list[disclosure.PublishedCard], rows: list[OutboxRecord], refused: list[dict[str, Any]]) -> None:
    """Check `cards` with the quality engine: the valid ones into `rows`, the others into `refused`."""
    records = [disclosure_data(card) for card in cards]
    verdicts = engine.check(standards.get(STANDARD), records, refs=LibraryRefs()) if records else []
    for card, data, verdict in zip(cards, records, verdicts, strict=True):
        if not verdict.ok:
            refused.append({"record_id": card.record_id, "version": card.version,
                            "errors": [issue_dict(e) for e in verdict.errors]})
            continue
        rows.append(OutboxRecord(standard=STANDARD, record_id=card.record_id, version=card.version,
                                 op=Op.INSERT if card.version == 1 else Op.UPDATE, data=data,
                                 department_id=card.department_id, region_id=card.region_id))
