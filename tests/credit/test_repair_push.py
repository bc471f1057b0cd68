"""An approved credit repair reaches the provincial platform: the early end of the publication queued as the
双公示 record with 公示状态 撤销 and pushed over HTTP to the simulator (a separate process), which stores it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.behaviour.models import Penalty
from jianguan.core.actors import SystemActor
from jianguan.credit import repair
from jianguan.exchange import push
from jianguan.exchange.models import OutboxRecord, OutboxStatus
from tests.credit.world import penalty
from tests.exchange_fixtures import exchange_world_fixture  # noqa: F401 (the fixture `exchange_world`)
from tests.library_fixtures import PENALTY
from tests.provsim_fixtures import provsim_fixture  # noqa: F401 (the fixture `provsim`)

pytestmark = pytest.mark.django_db


def test_an_approved_repair_is_pushed_and_stored_by_the_provincial_platform(exchange_world, enforcement_items,
                                                                            provsim, settings, persona):
    settings.JIANGUAN_PUSH_URL, settings.JIANGUAN_PUSH_TOKEN = provsim.base_url, provsim.token
    settings.JIANGUAN_PUSH_RECEIVER_KEY, settings.JIANGUAN_EXCHANGE_SOURCE = provsim.public_key, "421200"
    today = timezone.localdate()
    made = penalty(exchange_world["entity"], day=today - dt.timedelta(days=300))
    Penalty.objects.filter(pk=made.pk).update(party_nature="organisation", catalog_code=PENALTY,
                                              penalty_kinds=["02"], fine="20000", name="未按规定标注")
    push.push_round()  # what the platform already owed the province goes first
    values = {"uscc": made.party_code, "decision_number": made.decision_number, "applicant_name": "王经理",
              "applicant_phone": "13800000000", "correction": "已履行"}
    app = repair.repair_apply(actor=SystemActor("public-portal"), channel="portal", values=values,
                              commitment=repair.Upload("c.pdf", b"%PDF-1.4"), proofs=[repair.Upload("p.pdf", b"%PDF-")])
    repair.repair_act(actor=persona("scjg_officer"), application_id=app.pk, action="accept")
    repair.repair_act(actor=persona("scjg_head"), application_id=app.pk, action="approve", reasons="已履行、已整改")
    result = push.push_round()
    assert result.stopped == "done"
    queued = OutboxRecord.objects.get(standard="disclosure_penalty")
    assert queued.status == OutboxStatus.ACCEPTED
    [stored] = provsim.records(standard="disclosure_penalty")
    assert stored["id"] == str(made.record_id) and stored["op"] == "i"
    assert stored["data"]["publish_status"] == "1" and stored["data"]["publish_until"] == today.isoformat()
    assert app.number in stored["data"]["remark"]
