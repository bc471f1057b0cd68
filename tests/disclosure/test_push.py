"""A published decision reaches the provincial platform, and its withdrawal follows: the 双公示 record pushed over
HTTP to the simulator (a separate process) as version 1 (公示状态 0), then version 2 with 公示状态 1 and the 撤销原因,
each with the receiver's receipt stored; the copy pushed is the published one."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.disclosure import services
from jianguan.exchange import push
from jianguan.exchange.models import OutboxRecord, OutboxStatus
from tests.disclosure.world import fine, published
from tests.exchange_fixtures import exchange_world_fixture  # noqa: F401 (the fixture `exchange_world`)
from tests.provsim_fixtures import provsim_fixture  # noqa: F401 (the fixture `provsim`)

pytestmark = pytest.mark.django_db


def test_a_publication_and_its_withdrawal_are_pushed_with_receipts(exchange_world, enforcement_items, provsim,
                                                                   settings, persona, clock):
    settings.JIANGUAN_PUSH_URL, settings.JIANGUAN_PUSH_TOKEN = provsim.base_url, provsim.token
    settings.JIANGUAN_PUSH_RECEIVER_KEY, settings.JIANGUAN_EXCHANGE_SOURCE = provsim.public_key, "421200"
    push.push_round()  # what the platform already owed the province goes first
    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    facts = "经查，当事人销售过期食品，举报人电话 13812345678。"
    item = published(fine(exchange_world["entity"], day=clock.day - dt.timedelta(days=3), facts=facts), officer,
                     publisher)
    assert push.push_round().stopped == "done"
    key = str(item.record_id)
    [first] = OutboxRecord.objects.filter(standard="disclosure_penalty", record_id=key)
    assert first.status == OutboxStatus.ACCEPTED and first.batch.receipt is not None and first.batch.receipt_verified
    [stored] = [r for r in provsim.records(standard="disclosure_penalty") if r["id"] == key]
    assert stored["version"] == 1 and stored["data"]["publish_status"] == "0"
    assert stored["data"]["published_on"] == clock.day.isoformat()
    assert stored["data"]["decision_number"] == item.decision_number
    assert "13812345678" not in stored["data"]["facts"] and stored["data"]["facts"] == item.redacted["facts"]

    services.item_transition(item_id=item.pk, action="withdraw", actor=publisher,
                             values={"reason": "该决定经行政复议被撤销"})
    assert push.push_round().stopped == "done"
    second = OutboxRecord.objects.get(standard="disclosure_penalty", record_id=key, version=2)
    assert second.status == OutboxStatus.ACCEPTED and second.op == "u"
    [current] = [r for r in provsim.records(standard="disclosure_penalty") if r["id"] == key]
    assert current["version"] == 2 and current["data"]["publish_status"] == "1"
    assert current["data"]["withdraw_reason"] == "该决定经行政复议被撤销"
    assert push.push_round().stopped == "done"  # nothing queued twice
    assert OutboxRecord.objects.filter(standard="disclosure_penalty", record_id=key).count() == 2


def test_the_collector_reads_the_published_items_a_chunk_at_a_time(exchange_world, enforcement_items, persona,
                                                                     clock, monkeypatch):
    from jianguan.audit.models import AuditEvent
    from jianguan.core.actors import SystemActor
    from jianguan.disclosure import contracts
    from jianguan.exchange.disclosures import disclosures_collect

    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    party = exchange_world["entity"]  # an organisation whose USCC the 双公示 standard accepts
    items = [published(fine(party, day=clock.day - dt.timedelta(days=n + 1)), officer, publisher) for n in range(3)]
    services.item_transition(item_id=items[0].pk, action="withdraw", actor=publisher, values={"reason": "复议撤销"})
    monkeypatch.setattr(contracts, "CHUNK", 2)
    chunks = list(contracts.published_penalty_chunks())
    assert [sorted((c.record_id, c.version) for c in chunk) for chunk in chunks] == [
        sorted([(str(items[0].record_id), 1), (str(items[0].record_id), 2), (str(items[1].record_id), 1)]),
        [(str(items[2].record_id), 1)]]
    actor = SystemActor("test.collect")
    assert disclosures_collect(actor=actor) == (4, 0)
    events = AuditEvent.objects.filter(verb="exchange.disclosures_queued").order_by("id")
    assert [len(e.payload["queued"]) for e in events] == [3, 1]  # one transaction per chunk
    assert disclosures_collect(actor=actor) == (0, 0)  # nothing queued twice
    assert OutboxRecord.objects.filter(standard="disclosure_penalty").count() == 4
