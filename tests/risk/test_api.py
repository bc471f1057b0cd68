"""`POST /api/v1/risk/observations`: batches stored whole or refused whole, repeats and reused ids, bad input named
by item and field; alerts read within scope and disposed of over the API."""

from __future__ import annotations

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.risk import contracts
from jianguan.risk.models import Alert, Observation
from tests.risk.world import CLAIM, ad, listing, post, raise_alerts

pytestmark = pytest.mark.django_db


def test_a_batch_is_stored_whole_with_its_payload_and_sender(monitor):
    client, system = monitor
    first, second = ad("AD-1"), listing("LS-1")
    response = post(client, first, second)
    assert response.status_code == 201, response.content
    assert response.json() == {"stored": ["AD-1", "LS-1"], "repeated": []}
    stored = Observation.objects.get(sender_id="AD-1")
    assert stored.payload == first and stored.sender == f"api_client:{system.pk}"
    assert stored.text == CLAIM and stored.channel == "网站" and stored.snapshot_hash == "a" * 64
    assert stored.department.name == "咸宁市市场监督管理局" and stored.scanned_at is None
    assert Observation.objects.get(sender_id="LS-1").seller == "店铺A001"
    event = AuditEvent.objects.filter(verb="risk.observations_received").get()
    assert event.payload["stored"] == ["AD-1", "LS-1"]


def test_the_same_item_again_is_a_repeat_and_a_different_one_under_its_id_is_refused(monitor):
    client, _ = monitor
    assert post(client, ad("AD-1")).status_code == 201
    again = post(client, ad("AD-1"), ad("AD-2"))
    assert again.status_code == 201 and again.json() == {"stored": ["AD-2"], "repeated": ["AD-1"]}
    changed = post(client, ad("AD-3"), ad("AD-1", text="另一条广告：根治鼻炎"))
    assert changed.status_code == 409
    assert changed.json()["code"] == "id_reused" and "AD-1" in changed.json()["message"]
    assert changed.json()["extra"] == {"id": "AD-1"}
    assert not Observation.objects.filter(sender_id="AD-3").exists()  # nothing of the refused batch


def test_another_sender_may_use_the_same_id(monitor, persona):
    from tests.exchange_fixtures import system_client

    client, _ = monitor
    other, _ = system_client(persona, scopes=("risk:write",), name="另一监测系统")
    assert post(client, ad("AD-1")).status_code == 201
    assert post(other, ad("AD-1", text="另一条：根治鼻炎")).status_code == 201
    assert Observation.objects.filter(sender_id="AD-1").count() == 2


@pytest.mark.parametrize(("item", "field", "code"), [
    (ad(model="weight_loss"), "model", "model_unknown"),
    (ad(kind="listing"), "kind", "kind_unknown"),
    (ad(text=""), "text", "required"),
    (ad(text="   "), "text", "required"),
    (ad(text="根治" * 50_001), "text", "too_long"),
    (listing(seller=None), "seller", "required"),
    (ad(captured_at="2026-12-01 10:00"), "captured_at", "not_time"),
    (ad(snapshot_hash=None), "snapshot_hash", "required"),
    (ad(colour="red"), "colour", "unknown_field"),
    (ad(region="999999"), "region", "region_unknown"),
])
def test_bad_items_refuse_the_whole_batch_naming_item_field_and_rule(monitor, item, field, code):
    client, _ = monitor
    response = post(client, ad("GOOD-1"), item)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code and body["field"] == f"items[1].{field}"
    assert "整批未保存" in body["message"] and "第 2 条" in body["message"]
    assert body["extra"]["problems"][0]["field"] == field
    assert not Observation.objects.exists() and not AuditEvent.objects.filter(verb__startswith="risk.").exists()


def test_every_bad_item_is_listed_and_ids_repeated_in_a_batch_are_refused(monitor):
    client, _ = monitor
    response = post(client, ad("X", text=""), ad("Y"), ad("Y"), listing(seller=None))
    problems = response.json()["extra"]["problems"]
    assert [(p["index"], p["field"], p["code"]) for p in problems] == [
        (0, "text", "required"), (2, "id", "duplicate_id"), (3, "seller", "required")]
    assert post(client).status_code == 400 and post(client).json()["code"] == "required"


def test_only_holders_of_risk_write_may_send(persona, api):
    from tests.exchange_fixtures import system_client

    reader, _ = system_client(persona, scopes=("read",))
    assert post(reader, ad()).status_code == 403
    assert post(api(persona("scjg_officer")), ad()).status_code == 403
    assert post(api(persona("dataadmin")), ad("DA-1")).status_code == 201


def test_alerts_are_read_within_scope_and_disposed_of_over_the_api(monitor, api, persona, outsider):
    _, system = monitor
    [alert] = raise_alerts(system, ad("AD-1"))
    officer, head = api(persona("scjg_officer")), api(persona("scjg_head"))
    listed = officer.get("/api/v1/risk/alerts").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == alert.pk
    assert listed["items"][0]["department_name"] == "咸宁市市场监督管理局"
    assert api(outsider).get(f"/api/v1/risk/alerts/{alert.pk}").status_code == 404
    assert api(outsider).get("/api/v1/risk/alerts").json()["count"] == 0
    url = f"/api/v1/risk/alerts/{alert.pk}/transitions"
    assert officer.post(url, {"action": "verify"}, content_type="application/json").json()["status"] == "verifying"
    early = head.post(url, {"action": "unfounded"}, content_type="application/json")
    assert early.status_code == 400 and early.json()["code"] == "finding_required"
    officer.post(url, {"action": "report", "data": {"finding": "经核查，该医院确有发布"}},
                 content_type="application/json")
    refused = officer.post(url, {"action": "open_case"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_department_head"
    done = head.post(url, {"action": "open_case"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "case"
    again = head.post(url, {"action": "open_case"}, content_type="application/json")
    assert again.status_code == 409
    assert Alert.objects.get().steps.count() == 3


def _scan(client, model: str, item) -> object:
    return client.post("/api/v1/risk/scan", {"model": model, "item": item}, content_type="application/json")


def test_one_text_is_scanned_and_answered_with_its_verdict_storing_nothing(monitor):
    client, _ = monitor
    response = _scan(client, "medical_ad", {"id": "Q-1", "text": CLAIM, "channel": "网站"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == contracts.verdict(model="medical_ad", item={"id": "Q-1", "text": CLAIM, "channel": "网站"}).as_json()
    assert body["alert"] is True and body["model"] == "medical_ad"
    quoted = [hit for hit in body["hits"] if hit["quote"]]
    assert quoted and all(CLAIM[hit["start"]:hit["end"]] == hit["quote"] for hit in quoted)
    clean = _scan(client, "drug_sales", {"id": 7, "seller": "店铺A001", "text": "维生素C片 正品",
                                         "registration_number": "国药准字H20000001"}).json()
    assert clean["alert"] is False and clean["id"] == 7
    assert not Observation.objects.exists() and not AuditEvent.objects.filter(verb__startswith="risk.").exists()


@pytest.mark.parametrize(("model", "item", "field", "code"), [
    ("weight_loss", {"id": 1, "text": "根治"}, "model", "model_unknown"),
    ("medical_ad", {"text": "根治"}, "id", "required"),
    ("medical_ad", {"id": 1, "text": "根" * 1_000_000}, "text", "too_long"),
    ("medical_ad", {"id": 1, "text": "根治", "colour": "red"}, "colour", "unknown_field"),
    ("drug_sales", {"id": 1, "text": "免处方", "quantity": -1}, "quantity", "not_count"),
    ("rx_sales", {"id": 1, "seller": "s", "text": "x", "order_time": "昨天"}, "order_time", "not_time"),
    ("fundraising", {"id": 1}, "text", "required"),
])
def test_a_bad_scan_is_refused_naming_field_and_rule(monitor, model, item, field, code):
    client, _ = monitor
    response = _scan(client, model, item)
    assert response.status_code == 400, response.content
    assert (response.json()["field"], response.json()["code"]) == (field, code)


def test_only_holders_of_risk_write_and_data_administrators_may_scan(persona, api):
    from tests.exchange_fixtures import system_client

    reader, _ = system_client(persona, scopes=("read",))
    item = {"id": 1, "text": CLAIM}
    assert _scan(reader, "medical_ad", item).status_code == 403
    assert _scan(api(persona("scjg_officer")), "medical_ad", item).status_code == 403
    assert _scan(api(None), "medical_ad", item).status_code == 401
    assert _scan(api(persona("dataadmin")), "medical_ad", item).json()["alert"] is True
