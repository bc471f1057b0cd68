"""Intake of exchange records: the API (`POST /api/v1/exchange/{standard}/records`), file uploads on the work
portal, upserts by 记录唯一标识 with i/u/d, the raw body kept for every call, the repair queue and its pages, the
monitor and the quality snapshots; each page and path refused to outsiders."""

from __future__ import annotations

import hashlib
import io
import json
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.behaviour.models import Inspection
from jianguan.core.codes import ric_check_char
from jianguan.exchange import intake, push
from jianguan.exchange.models import (
    CallStatus,
    ExchangeCall,
    OutboxRecord,
    QualitySnapshot,
    RepairItem,
    RepairStatus,
)
from jianguan.exchange.sealing import open_body
from tests.exchange_fixtures import city_scjg, exchange_world_fixture, inspection, system_client  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/exchange/inspection/records"


def post(client, records, url: str = URL):
    body = records if isinstance(records, bytes) else json.dumps(records, ensure_ascii=False).encode()
    return client.post(url, body, content_type="application/json")


def person_id() -> str:
    first = "42120219800101123"
    return first + ric_check_char(first)


# --- the API ------------------------------------------------------------------------------------------------------

def test_good_and_bad_records_in_one_call(exchange_world):
    entity = exchange_world["entity"]
    bad = inspection(2, entity, party_code="123", date="2025-13-40")
    response = post(exchange_world["client"], [inspection(1, entity), bad, inspection(3, entity)])
    assert response.status_code == 200
    answer = response.json()
    assert (answer["received"], answer["accepted"], answer["duplicates"]) == (3, 2, 0)
    assert answer["stored"] is True
    [rejected] = answer["rejected"]
    assert rejected["index"] == 1 and rejected["record_id"] == "JC-REC-2"
    assert {e["field"]: e["code"] for e in rejected["errors"]} == {"party_code": "pattern_mismatch",
                                                                   "date": "date_invalid"}
    assert all(e["message"] for e in rejected["errors"])

    rows = Inspection.objects.filter(record_id__in=["JC-REC-1", "JC-REC-3"])
    assert rows.count() == 2 and not Inspection.objects.filter(record_id="JC-REC-2").exists()
    row = rows.get(record_id="JC-REC-1")
    assert (row.version, row.source, row.department, row.region_id) == (1, "exchange", city_scjg(), "421202")
    assert row.source_system == f"client:{exchange_world['system'].pk}" and row.entity == entity
    assert row.inspectors == ["张伟", "李强"] and row.result == "1"
    assert list(OutboxRecord.objects.order_by("pk").values_list("record_id", "op", "version")) == [
        ("JC-REC-1", "i", 1), ("JC-REC-3", "i", 1)]

    item = RepairItem.objects.get()
    assert (item.record_id, item.department, item.origin, item.status) == ("JC-REC-2", city_scjg(), "check", "open")
    assert {e["code"] for e in item.errors} == {"pattern_mismatch", "date_invalid"}


def test_the_same_call_again_is_stored_once(exchange_world):
    entity = exchange_world["entity"]
    records = [inspection(n, entity) for n in range(3)]
    post(exchange_world["client"], records)
    again = post(exchange_world["client"], records).json()
    assert (again["accepted"], again["duplicates"], again["duplicate_indexes"]) == (0, 3, [0, 1, 2])
    assert Inspection.objects.filter(record_id__startswith="JC-REC-").count() == 3
    assert OutboxRecord.objects.count() == 3


def test_raw_body_is_kept_for_every_call_but_auth_failures(exchange_world, persona):
    client = exchange_world["client"]
    bodies = [json.dumps([inspection(1, exchange_world["entity"])], ensure_ascii=False).encode(),
              b'[{"record_id": "x",]', b"{}"]
    for body in bodies:
        post(client, body)
    post(client, b"[]", "/api/v1/exchange/nonsense/records")
    calls = list(ExchangeCall.objects.order_by("pk"))
    assert [c.status for c in calls] == [CallStatus.ACCEPTED, CallStatus.REFUSED, CallStatus.REFUSED,
                                         CallStatus.REFUSED]
    for call, body in zip(calls, [*bodies, b"[]"], strict=True):
        assert open_body(call.raw) == body and call.bytes == len(body)
        assert call.sha256 == hashlib.sha256(body).hexdigest()
        assert call.client == exchange_world["system"] and call.department == city_scjg()
    assert [c.error_code for c in calls[1:]] == ["malformed_json", "not_array", "standard_unknown"]
    assert calls[0].raw[:4] == b"jgx1" and b"JC-REC-1" not in bytes(calls[0].raw)  # kept sealed

    anonymous = post(Client(), bodies[0])
    reader, _ = system_client(persona, scopes=["read"])
    assert anonymous.status_code == 401 and post(reader, bodies[0]).status_code == 403
    assert ExchangeCall.objects.count() == 4


def test_auth_missing_key_401_wrong_key_401_no_scope_403_person_403(exchange_world, persona, api, client):
    body = [inspection(1, exchange_world["entity"])]
    assert post(client, body).status_code == 401
    assert post(client, body).json()["code"] == "unauthenticated"
    wrong = Client(headers={"X-API-Key": "jgk_nothing_here"})
    assert post(wrong, body).status_code == 401
    reader, _ = system_client(persona, scopes=["read", "credit:write"])
    refused = post(reader, body)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert post(api(persona("dataadmin")), body).status_code == 403  # people upload files on the portal
    assert not ExchangeCall.objects.exists()


def test_unknown_standard_is_404(exchange_world):
    response = post(exchange_world["client"], [], "/api/v1/exchange/weather/records")
    assert response.status_code == 404
    envelope = response.json()
    assert envelope["code"] == "standard_unknown" and "weather" in envelope["message"]
    assert envelope["extra"]["call_id"] == ExchangeCall.objects.get().pk


def test_standard_by_its_chinese_title(exchange_world):
    url = f"/api/v1/exchange/{quote('行政检查行为')}/records"
    answer = post(exchange_world["client"], [inspection(1, exchange_world["entity"])], url).json()
    assert answer["standard"] == "inspection" and answer["accepted"] == 1


def test_malformed_json_names_the_position(exchange_world):
    response = post(exchange_world["client"], b'[\n  {"record_id": "a",\n   "name": }\n]')
    assert response.status_code == 400
    envelope = response.json()
    assert envelope["code"] == "malformed_json"
    assert (envelope["extra"]["line"], envelope["extra"]["column"]) == (3, 12)
    assert "第 3 行第 12 列" in envelope["message"]
    bad_bytes = post(exchange_world["client"], b'[{"name": "\xff"}]')
    assert bad_bytes.status_code == 400 and bad_bytes.json()["code"] == "encoding_invalid"
    not_array = post(exchange_world["client"], {"records": []})
    assert not_array.status_code == 400 and not_array.json()["code"] == "not_array"


def test_more_than_10000_records_is_413(exchange_world):
    response = post(exchange_world["client"], [{}] * 10_001)
    assert response.status_code == 413
    envelope = response.json()
    assert envelope["code"] == "too_many_records" and envelope["extra"]["limit"] == 10_000
    call = ExchangeCall.objects.get()
    assert (call.status, call.received, call.error_code) == (CallStatus.REFUSED, 10_001, "too_many_records")
    assert not Inspection.objects.filter(source="exchange").exists()


def test_a_body_over_the_byte_limit_is_413(exchange_world, settings):
    settings.JIANGUAN_EXCHANGE_MAX_BYTES = 2048
    response = post(exchange_world["client"], [inspection(n, exchange_world["entity"]) for n in range(5)])
    assert response.status_code == 413 and response.json()["code"] == "body_too_large"
    assert ExchangeCall.objects.get().bytes > 2048


def test_a_record_that_is_not_an_object_is_refused_alone(exchange_world):
    answer = post(exchange_world["client"], [inspection(1, exchange_world["entity"]), "text", 5]).json()
    assert answer["accepted"] == 1
    assert [(r["index"], r["errors"][0]["code"]) for r in answer["rejected"]] == [(1, "record_not_object"),
                                                                                (2, "record_not_object")]


def test_insert_update_delete_by_record_id(exchange_world, persona):
    client, entity = exchange_world["client"], exchange_world["entity"]
    post(client, [inspection(1, entity)])
    updated = post(client, [{**inspection(1, entity, name="食品生产专项检查"), "op": "u", "version": 2}]).json()
    assert updated["accepted"] == 1
    row = Inspection.objects.get(record_id="JC-REC-1")
    assert (row.version, row.name) == (2, "食品生产专项检查")
    same = post(client, [{**inspection(1, entity, name="食品生产专项检查"), "op": "u", "version": 2}]).json()
    assert same["duplicate_indexes"] == [0]
    stale = post(client, [{**inspection(1, entity), "op": "u", "version": 1}]).json()
    assert stale["rejected"][0]["errors"][0]["code"] == "version_stale"
    exists = post(client, [{**inspection(1, entity), "version": 5}]).json()
    assert exists["rejected"][0]["errors"][0]["code"] == "record_exists"

    withdrawn = post(client, [{"op": "d", "record_id": "JC-REC-1"}]).json()
    assert withdrawn["accepted"] == 1
    row.refresh_from_db()
    assert row.withdrawn_at is not None and row.version == 3 and row.name == "食品生产专项检查"
    assert post(client, [{"op": "d", "record_id": "JC-REC-1"}]).json()["duplicates"] == 1
    unknown = post(client, [{"op": "d", "record_id": "JC-NONE"}]).json()
    assert unknown["rejected"][0]["errors"][0]["code"] == "record_unknown"
    assert list(OutboxRecord.objects.order_by("pk").values_list("op", "version")) == [("i", 1), ("u", 2), ("d", 3)]

    other, _ = system_client(persona)
    taken = post(other, [{**inspection(1, entity), "op": "u", "version": 9}]).json()
    assert taken["rejected"][0]["errors"][0]["code"] == "record_owned_elsewhere"
    number = post(other, [inspection(2, entity, number="JC-2025-1")]).json()
    assert number["rejected"][0]["errors"][0]["code"] == "number_taken"


def test_records_outside_the_senders_scope_are_refused(exchange_world, persona):
    county = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421202")
    client, _ = system_client(persona, department=county)
    answer = post(client, [inspection(1, exchange_world["entity"])]).json()  # names the city's 市场监管局
    assert answer["rejected"][0]["errors"][0]["code"] == "department_out_of_scope"
    item = RepairItem.objects.get()
    assert item.department == county  # the sender's queue, not the department it could not report for


def test_a_natural_persons_id_is_sealed_and_masked(exchange_world):
    number = person_id()
    record = inspection(1, exchange_world["entity"], party_nature="person", party_id_type="111", party_code=number,
                        party_name="张三", object_type="person", object_name="张三")
    assert post(exchange_world["client"], [record]).json()["accepted"] == 1
    row = Inspection.objects.get(record_id="JC-REC-1")
    assert row.party_code == "4212**********" + number[-4:] and number not in json.dumps(row.raw)
    queued = OutboxRecord.objects.get()
    assert queued.data["party_code"].startswith("sealed:") and number not in json.dumps(queued.data)
    batch = push.batch_form()
    assert number in push._body(batch).decode()  # opened only to send upward


def test_a_standard_without_library_table_is_checked_and_kept(exchange_world):
    response = post(exchange_world["client"], [{"记录唯一标识": "X1"}], "/api/v1/exchange/disclosure_penalty/records")
    answer = response.json()
    # Issue 14: records of such standards are stored (KeptRecord) and pushed on; this one is refused by the checks.
    assert response.status_code == 200 and answer["stored"] is True and "没有信息库表" in answer["note"]
    assert answer["rejected"] and not OutboxRecord.objects.exists()
    call = ExchangeCall.objects.get()
    assert call.standard == "disclosure_penalty" and call.rejected == 1 and open_body(call.raw)


def test_an_accepted_resend_closes_the_repair_item(exchange_world):
    entity = exchange_world["entity"]
    post(exchange_world["client"], [inspection(1, entity, party_code="123")])
    post(exchange_world["client"], [inspection(1, entity, party_code="bad")])  # refused again: the same item
    item = RepairItem.objects.get()
    assert item.payload["party_code"] == "bad"
    post(exchange_world["client"], [inspection(1, entity)])
    item.refresh_from_db()
    assert item.status == RepairStatus.FIXED and item.fixed_at is not None


def test_intake_queries_do_not_grow_with_the_records(exchange_world):
    entity = exchange_world["entity"]
    counts = []
    for start, n in ((0, 20), (100, 200)):
        records = [inspection(start + i, entity) for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            post(exchange_world["client"], records)
        counts.append(len(queries))
    assert Inspection.objects.filter(source="exchange").count() == 220
    assert counts[1] <= counts[0] + 4, counts  # bulk statements only: a few more INSERT chunks at most


# --- uploads ------------------------------------------------------------------------------------------------------

def _csv(records: list[dict], encoding: str) -> bytes:
    titles = {"record_id": "记录唯一标识", "party_name": "行政相对人（单位/个人）名称", "number": "检查行为编号",
              "inspectors": "检查人员", "date": "检查时间"}
    keys = list(records[0])
    lines = [",".join(titles.get(k, k) for k in keys)]
    for record in records:
        lines.append(",".join("、".join(v) if isinstance(v, list) else str(v) for v in record.values()))
    return ("\n".join(lines) + "\n").encode(encoding)


def test_upload_gbk_csv_lists_accepted_and_rejected(exchange_world, signed_in, persona):
    entity = exchange_world["entity"]
    data = _csv([inspection(1, entity), inspection(2, entity, date="2025-02-30")], "gbk")
    page = signed_in(persona("scjg_officer"))
    response = page.post("/exchange/upload/", {"standard": "行政检查行为",
                                               "file": _upload("检查.csv", data)}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="accepted">1<' in text and 'data-testid="rejected">1<' in text
    assert "第 3 行" in text and "date_invalid" in text
    call = ExchangeCall.objects.get()
    assert call.channel == "upload" and call.file_name == "检查.csv" and open_body(call.raw) == data
    assert Inspection.objects.get(record_id="JC-REC-1").party_name == entity.name


def test_upload_refuses_merged_header_cells_with_a_clear_error(exchange_world, signed_in, persona):
    book = Workbook()
    sheet = book.active
    sheet.append(["检查人员", None, "检查时间"])
    sheet.append(["张伟", "李强", "2025-06-03"])
    sheet.merge_cells("A1:B1")
    out = io.BytesIO()
    book.save(out)
    response = signed_in(persona("scjg_officer")).post("/exchange/upload/", {
        "standard": "inspection", "file": _upload("检查.xlsx", out.getvalue())})
    text = response.content.decode()
    assert response.status_code == 200 and 'data-testid="upload-error"' in text
    assert "合并单元格" in text and "A1:B1" in text
    assert ExchangeCall.objects.get().error_code == "import_refused"


def test_upload_of_an_unreadable_encoding_is_refused(exchange_world, signed_in, persona):
    response = signed_in(persona("scjg_officer")).post("/exchange/upload/", {
        "standard": "inspection", "file": _upload("x.csv", b"\xff\xfe\x00\x81\x30\x81")})
    assert "无法识别文件编码" in response.content.decode()


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# --- the repair queue --------------------------------------------------------------------------------------------

def _refused_item(world) -> RepairItem:
    post(world["client"], [inspection(1, world["entity"], party_code="91421202MA4000000X")])
    return RepairItem.objects.get()


def test_fix_on_the_page_stores_and_queues_an_update(exchange_world, signed_in, persona):
    item = _refused_item(exchange_world)
    officer = persona("scjg_officer")
    page = signed_in(officer)
    detail = page.get(f"/exchange/repairs/{item.pk}/")
    assert detail.status_code == 200 and "uscc_or_ric" not in detail.content.decode()
    still_bad = page.post(f"/exchange/repairs/{item.pk}/", {"party_code": "123"})
    assert still_bad.status_code == 200 and "pattern_mismatch" in still_bad.content.decode()
    item.refresh_from_db()
    assert item.status == RepairStatus.OPEN and item.errors[0]["code"] == "pattern_mismatch"
    fixed = page.post(f"/exchange/repairs/{item.pk}/", {
        **{k: v for k, v in inspection(1, exchange_world["entity"]).items() if isinstance(v, str)},
        "inspectors": "张伟、李强", "credential_numbers": "4212000000001、4212000000002"})
    assert fixed.status_code == 302
    item.refresh_from_db()
    assert item.status == RepairStatus.FIXED and item.fixed_by == officer
    row = Inspection.objects.get(record_id="JC-REC-1")
    assert row.version == 2 and row.party_code == exchange_world["entity"].uscc
    assert list(OutboxRecord.objects.values_list("op", "version")) == [("u", 2)]
    assert ExchangeCall.objects.filter(channel="repair").count() == 2


def test_dismiss_needs_a_reason(exchange_world, signed_in, persona):
    item = _refused_item(exchange_world)
    page = signed_in(persona("scjg_officer"))
    page.post(f"/exchange/repairs/{item.pk}/dismiss/", {"reason": ""})
    item.refresh_from_db()
    assert item.status == RepairStatus.OPEN
    page.post(f"/exchange/repairs/{item.pk}/dismiss/", {"reason": "测试数据误报"})
    item.refresh_from_db()
    assert item.status == RepairStatus.DISMISSED and item.resolution == "测试数据误报"


def test_repair_queue_is_scoped_by_department(exchange_world, signed_in, persona, outsider):
    item = _refused_item(exchange_world)
    mine = signed_in(persona("scjg_officer")).get("/exchange/repairs/")
    assert 'data-testid="open-count">1<' in mine.content.decode()
    assert persona("dataadmin").has_role("data_admin")
    wide = signed_in(persona("dataadmin")).get("/exchange/repairs/").content.decode()
    assert 'data-testid="open-count">1<' in wide and city_scjg().name in wide

    client = signed_in(outsider)
    assert 'data-testid="open-count">0<' in client.get("/exchange/repairs/").content.decode()
    assert client.get(f"/exchange/repairs/{item.pk}/").status_code == 404
    assert client.post(f"/exchange/repairs/{item.pk}/", {"party_code": "x"}).status_code == 404
    assert client.post(f"/exchange/repairs/{item.pk}/dismiss/", {"reason": "x"}).status_code == 404
    assert client.get(f"/exchange/calls/{item.call_id}/").status_code == 404
    county = signed_in(persona("xa_scjg_officer"))  # the same line one level down: not their queue
    assert county.get(f"/exchange/repairs/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert item.status == RepairStatus.OPEN


@pytest.mark.parametrize("path", ["/exchange/upload/", "/exchange/calls/1/", "/exchange/repairs/",
                                  "/exchange/repairs/1/", "/exchange/monitor/"])
def test_pages_send_anonymous_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_dismiss_sends_anonymous_visitors_to_login(client):
    response = client.post("/exchange/repairs/1/dismiss/", {"reason": "x"})
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- monitor and snapshots ----------------------------------------------------------------------------------------

def test_monitor_shows_backlog_failures_and_quality(exchange_world, signed_in, persona, outsider):
    entity = exchange_world["entity"]
    post(exchange_world["client"], [inspection(1, entity), inspection(2, entity, party_code="123"),
                                    inspection(3, entity, reported_at="2025-08-01 09:00:00")])
    call_command("exchange", "snapshot", stdout=io.StringIO())
    call_command("exchange", "snapshot", stdout=io.StringIO())  # the day's rows are replaced, not added
    snapshot = QualitySnapshot.objects.get(department=city_scjg(), standard="inspection")
    assert snapshot.records == 3
    assert snapshot.scores["conformity"] == pytest.approx(66.67)  # one record in three with a format problem
    assert snapshot.scores["timeliness"] == pytest.approx(66.67)  # of the three timed, one reported past 20 days
    assert snapshot.scores["comprehensiveness"] is None

    page = signed_in(persona("dataadmin")).get("/exchange/monitor/")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="backlog">2<' in text
    assert 'data-testid="quality-row"' in text and city_scjg().name in text
    assert signed_in(persona("leader")).get("/exchange/monitor/").status_code == 200
    assert signed_in(outsider).get("/exchange/monitor/").status_code == 403
    assert signed_in(persona("scjg_officer")).get("/exchange/monitor/").status_code == 403


def test_dashboard_cards(exchange_world, signed_in, persona):
    _refused_item(exchange_world)
    text = signed_in(persona("dataadmin")).get("/").content.decode()
    assert "待整改数据" in text and "数据推送积压" in text
    officer = signed_in(persona("scjg_officer")).get("/").content.decode()
    assert "待整改数据" in officer and "数据推送积压" not in officer


def test_intake_outcome_round_trip(exchange_world):
    answer = post(exchange_world["client"], [inspection(1, exchange_world["entity"], party_code="1")]).json()
    call = ExchangeCall.objects.get()
    again = intake.Outcome.of_call(call).as_dict()
    assert again["rejected"][0]["errors"] == answer["rejected"][0]["errors"]
    assert again["call_id"] == answer["call_id"] == call.pk
