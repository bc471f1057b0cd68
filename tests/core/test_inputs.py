"""The input layer (core/inputs.py, core/middleware.InputLimitsMiddleware): hostile input to any endpoint or page
is refused with a clear 4xx naming the rule and, where known, the field — never a 5xx, never half-stored."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jianguan.behaviour.models import Inspection
from jianguan.core import inputs
from jianguan.core.errors import ValidationFailed
from jianguan.exchange.models import CallStatus, ExchangeCall
from tests.exchange_fixtures import exchange_world_fixture, inspection  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
RECORDS = "/api/v1/exchange/inspection/records"


def envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["code"] == code and body["message"], body
    return body


# --- strict JSON, the function ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    ('"\\ud800"', "invalid_unicode"),
    ('["a", "\\udfff"]', "invalid_unicode"),
    ("NaN", "malformed_json"),
    ('{"a": Infinity}', "malformed_json"),
    ("[" + "9" * 5001 + "]", "integer_out_of_range"),
    ('{"ids": [12345678901234567890]}', "integer_out_of_range"),
    ("[-9223372036854775809]", "integer_out_of_range"),
    ("[1e300]", "integer_out_of_range"),
    ("[" * 100_000 + "]" * 100_000, "json_too_deep"),
    ("[" * 33 + "]" * 33, "json_too_deep"),
    ('{"name": "a\\u0000b"}', "invalid_character"),
    ('{"a": 1,}', "malformed_json"),
])
def test_strict_json_refuses(text, code):
    with pytest.raises(ValidationFailed) as refused:
        inputs.loads(text.encode())
    assert refused.value.code == code and refused.value.message


def test_strict_json_names_the_field_and_keeps_what_is_fine():
    with pytest.raises(ValidationFailed) as refused:
        inputs.loads(b'{"items": [{"id": 1}, {"id": 9223372036854775808}]}')
    assert refused.value.field == "items.1.id"
    with pytest.raises(ValidationFailed) as nul:
        inputs.loads(b'{"a": {"b\\u0000": 1}}')
    assert nul.value.code == "invalid_character"
    fine = '{"ids": [9223372036854775807, -9223372036854775808], "t": "😀\\ud83d\\ude00\\\\u0000", "x": 1.5}'
    assert inputs.loads(fine.encode()) == {"ids": [2**63 - 1, -(2**63)], "t": "😀😀\\u0000", "x": 1.5}
    assert inputs.loads(("[" * 32 + "]" * 32).encode())


# --- the API ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "code"), [
    (b'{"username": "\\ud800", "password": "x"}', "invalid_unicode"),
    (b'{"username": "a", "password": NaN}', "malformed_json"),
    (b'{"username": "a", "password": ' + b"9" * 5001 + b"}", "integer_out_of_range"),
    (b"[" * 100_000 + b"]" * 100_000, "json_too_deep"),
    (b'{"username": "a\\u0000", "password": "x"}', "invalid_character"),
])
def test_api_bodies_refused_by_the_strict_parser(client, body, code):
    envelope(client.post("/api/v1/auth/token", body, content_type="application/json"), 400, code)


def test_twenty_digit_ids_in_a_json_array_are_400(api, persona):
    client = api(persona("dataadmin"))
    for changes in ("[12345678901234567890]", '["12345678901234567890"]'):
        body = envelope(client.post("/api/v1/catalog/publications", f'{{"title": "t", "changes": {changes}}}',
                                    content_type="application/json"), 400, "integer_out_of_range"
                        if changes[1] != '"' else "less_than_equal")
        assert body["field"] == "changes.0"


def test_path_and_query_integers_beyond_64_bits_are_400(api, officer):
    client = api(officer)
    body = envelope(client.get(f"/api/v1/complaints/{'9' * 20}"), 400, "less_than_equal")
    assert body["field"] == "complaint_id"
    assert client.get(f"/api/v1/complaints/{2**63 - 1}").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/complaints", "/api/v1/spotchecks/tasks", "/api/v1/audit/events"])
def test_list_offset_and_limit_are_checked(api, persona, url):
    client = api(persona("admin"))
    for query, field in ((f"offset={2**63}", "offset"), (f"offset={2**63 - 1}", "offset"), ("offset=-1", "offset"),
                         ("limit=-5", "limit"), ("limit=0", "limit")):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, (query, response.content[:200])
        assert response.json()["field"] == field
    assert client.get(f"{url}?limit=5&offset=3").status_code == 200


def test_a_json_body_over_the_memory_limit_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    body = json.dumps({"username": "a" * 5000, "password": "x"}).encode()
    envelope(client.post("/api/v1/auth/token", body, content_type="application/json"), 413, "body_too_large")


def test_a_body_over_the_byte_limit_is_413_before_it_is_read(client, settings):
    settings.JIANGUAN_MAX_BODY_BYTES = 2048
    body = envelope(client.post("/api/v1/auth/token", b"x" * 3000, content_type="application/json"), 413,
                    "body_too_large")
    assert body["extra"]["limit"] == 2048
    page = client.post("/public/complaints/", {"content": "x" * 3000})
    assert page.status_code == 413 and "body_too_large" in page.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/complaints/imports", "/api/v1/credit/imports", "/api/v1/catalog/mappings",
                                 "/complaints/import/", "/exchange/upload/", "/catalog/mapping/import/"])
def test_multipart_without_boundary_is_400(api, signed_in, persona, url):
    user = persona("dataadmin")
    client = api(user) if url.startswith("/api/") else signed_in(user)
    response = client.generic("POST", url, b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--x--",
                              content_type="multipart/form-data")
    assert response.status_code == 400, response.content[:300]
    assert "multipart_invalid" in response.content.decode()


def test_nul_in_a_query_or_form_field_is_400(api, officer, client):
    body = envelope(api(officer).get("/api/v1/complaints?q=a%00b"), 400, "invalid_character")
    assert body["field"] == "q"
    page = client.post("/public/complaints/", {"content": "投诉内容\x00很长", "region": "421202"})
    assert page.status_code == 400 and "invalid_character" in page.content.decode()


# --- exchange intake: refused before it is processed, or marked failed -----------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    ('"\\ud800"', "invalid_unicode"),
    ("NaN", "malformed_json"),
    ("9" * 5001, "integer_out_of_range"),
    ('"a\\u0000b"', "invalid_character"),
])
def test_exchange_hostile_values_are_refused_and_the_call_kept_refused(exchange_world, text, code):
    record = json.dumps(inspection(1, exchange_world["entity"]), ensure_ascii=False)
    body = ("[" + record[:-1] + ', "matter": ' + text + "}]").encode()
    envelope(exchange_world["client"].post(RECORDS, body, content_type="application/json"), 400, code)
    call = ExchangeCall.objects.get()
    assert (call.status, call.error_code) == (CallStatus.REFUSED, code)


def test_exchange_deep_nesting_is_refused(exchange_world):
    body = b"[" * 100_000 + b"]" * 100_000
    envelope(exchange_world["client"].post(RECORDS, body, content_type="application/json"), 400, "json_too_deep")
    assert ExchangeCall.objects.get().status == CallStatus.REFUSED


def test_an_exchange_file_with_a_nul_character_is_refused_whole(exchange_world, persona, signed_in):
    """PostgreSQL cannot store NUL in text (and SQLite would store something no one sent knowingly): the file is
    refused naming the row and column, the call kept as refused, nothing stored."""
    record = {k: v for k, v in inspection(1, exchange_world["entity"], name="食品\x00检查").items()
              if not isinstance(v, list)}
    header = ",".join(record)
    row = ",".join(str(value) for value in record.values())
    client = signed_in(persona("scjg_admin"))
    response = client.post("/exchange/upload/", {"standard": "inspection",
                                                 "file": _file("records.csv", f"{header}\n{row}\n".encode())})
    assert "空字符" in response.content.decode() and "第 2 行" in response.content.decode()
    call = ExchangeCall.objects.get()
    assert call.status == CallStatus.REFUSED and call.error_code == "import_refused"
    assert not Inspection.objects.filter(record_id=record["record_id"]).exists()


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_anonymous_refusals_need_no_sign_in():
    response = Client().post("/api/v1/auth/token", b'{"username": "\\ud800"}', content_type="application/json")
    assert response.status_code == 400


def test_an_exchange_version_beyond_the_column_is_refused_with_the_record(exchange_world):
    """A 20-digit version (as text, so no JSON rule sees it) used to overflow the column and leave the call
    `received`; the record is refused and the call completes."""
    records = [inspection(1, exchange_world["entity"], version="99999999999999999999"),
               inspection(2, exchange_world["entity"], version=str(2**31))]
    response = exchange_world["client"].post(RECORDS, json.dumps(records, ensure_ascii=False),
                                             content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    answer = response.json()
    assert [r["errors"][0]["code"] for r in answer["rejected"]] == ["version_invalid", "version_invalid"]
    assert ExchangeCall.objects.get().status == CallStatus.REJECTED
