"""Tables the platform only sends upward (a unit's joint-task feedback, the audit chain's checkpoints): a record the
receiver refused is filed in its department's repair queue and shown there like any other (list and detail answer
200 with the standard's fields); a sender cannot send them in."""

from __future__ import annotations

import json

import pytest

from jianguan.exchange import repairs, standards
from jianguan.exchange.models import Op, OutboxRecord, RepairItem, RepairStatus
from tests.exchange_fixtures import city_scjg, system_client

pytestmark = pytest.mark.django_db

FEEDBACK = {"record_id": "FK-LH-2026-0001-1", "task_no": "LH-2026-0001", "union_unit_type": "department",
            "union_unit_no": "11421200MB0000000X", "union_unit_name": "示例市市场监督管理局", "status": "反馈",
            "claim_time": "2026-06-03 09:00:00", "supervision_matter_code": "00000000000000",
            "end_time": "2026-06-20 17:00:00", "end_reason": "完成", "feedback_time": "2026-06-20 17:00:00",
            "feedback_suggestion": "已检查", "local_task_number": "LHRW-2026-0001",
            "adm_inspection": [{"number": "JC2026000000001", "date": "2026-06-20", "result": "1"}]}
CHECKPOINT = {"seq": 7, "hash": "ab" * 32, "made_at": "2026-06-20T17:00:00+08:00", "key_id": "k1",
              "public_key": "cHVibGlj", "signature": "c2lnbmF0dXJl", "scheme": "ed25519"}


def _refused(standard: str, record_id: str, data: dict) -> RepairItem:
    department = city_scjg()
    row = OutboxRecord.objects.create(standard=standard, record_id=record_id, version=1, op=Op.INSERT, data=data,
                                      department=department, region_id=department.region_id)
    repairs.route(items=[(row, [{"field": "feedback_suggestion", "code": "E101", "message": "反馈意见不完整"}])],
                  origin="receiver", batch=None)
    return RepairItem.objects.get(standard=standard, record_id=record_id)


@pytest.mark.parametrize(("standard", "record_id", "data"), [
    ("joint_feedback", FEEDBACK["record_id"], FEEDBACK), ("audit_checkpoint", CHECKPOINT["signature"], CHECKPOINT)])
def test_a_refused_outbound_record_shows_in_the_repair_queue(persona, signed_in, standard, record_id, data):
    item = _refused(standard, record_id, data)
    assert item.status == RepairStatus.OPEN
    page = signed_in(persona("scjg_officer"))
    listed = page.get("/exchange/repairs/")
    assert listed.status_code == 200 and 'data-testid="open-count">1<' in listed.content.decode()
    detail = page.get(f"/exchange/repairs/{item.pk}/")
    text = detail.content.decode()
    assert detail.status_code == 200 and "反馈意见不完整" in text
    assert all(f.title in text for f in standards.get(standard).fields[:3])


def test_outbound_tables_are_not_received(persona):
    client, _ = system_client(persona)
    answer = client.post("/api/v1/exchange/joint_feedback/records", json.dumps([FEEDBACK], ensure_ascii=False),
                         content_type="application/json")
    assert answer.status_code == 404 and answer.json()["code"] == "standard_unknown"
    assert "joint_feedback" not in {s.name for s in standards.all()}
    assert standards.get("联合监管任务反馈").name == "joint_feedback"
