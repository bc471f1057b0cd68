"""行政检查 through the services, the API and the pages: the checklist from the row's 检查内容, two officers with
执法证 valid that day, submission (behaviour record, 现场检查笔录 PDF, 责令改正通知书, clue), the idempotent sync
with its conflicts, evidence checks, and who may see what."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.audit.models import AuditEvent
from jianguan.behaviour.models import Inspection
from jianguan.catalog.contracts import OutsideTheList
from jianguan.catalog.models import Implementation
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.seeding import SeedContext
from jianguan.documents import contracts as documents
from jianguan.enforcement.models import Clue, ClueSource
from jianguan.inspections import checklist, contracts, drafts, opening, submission, views
from jianguan.inspections.models import Evidence, FieldInspection, Status
from jianguan.inspections.seed import seed_inspections
from jianguan.subjects import services as subjects
from jianguan.subjects.models import MarketEntity
from tests.catalog_fixtures import FOOD
from tests.library_fixtures import SYSTEM

pytestmark = pytest.mark.django_db

ITEMS = ["生产环境", "进货查验", "出厂检验"]  # the claim's 检查内容（日常） in catalog_fixtures


def png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), "white")
    image.putpixel((3, 3), (0, 0, 0))
    image.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    """The PDF's text with spaces and line breaks removed (lines wrap where the layout wants)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(done.stdout.decode().split())


def _officer(department: Department, username: str, name: str, number: str, valid_to: dt.date) -> User:
    user = accounts.user_create(actor=SYSTEM, username=username, full_name=name, department=department,
                                password_hash="!", roles=["officer"])
    accounts.credential_add(actor=SYSTEM, user=user, number=number, issued_by="咸宁市人民政府",
                            valid_from=dt.date(2024, 1, 1), valid_to=valid_to, domains=["市场监管"],
                            qualifications=["食品"])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world(small_catalog, persona, xianan_entity):
    """The city 市场监管局, its officer 张伟 (persona), a colleague with a valid 执法证 and one whose expired."""
    city = Department.objects.select_related("region").get(kind=DepartmentKind.SCJG, region_id="421200")
    return {
        "city": city, "officer": persona("scjg_officer"), "entity": xianan_entity,
        "colleague": _officer(city, "insp_colleague", "李强", "42120088800001", dt.date(2029, 12, 31)),
        "expired": _officer(city, "insp_expired", "赵敏", "42120088800002", dt.date(2025, 1, 31)),
        "code": Implementation.objects.get(item__code=FOOD, body=city).code,
    }


def _times() -> tuple[dt.datetime, dt.datetime]:
    end = timezone.now() - dt.timedelta(minutes=30)
    return end - dt.timedelta(hours=1), end


def opened(world, **extra) -> FieldInspection:
    start, _ = _times()
    values = {"origin_kind": "routine", "implementation_code": world["code"],
              "party": {"kind": "entity", "uscc": world["entity"].uscc},
              "officers": [world["officer"].username, world["colleague"].username], "started_at": start, **extra}
    return opening.inspection_open(actor=world["officer"], **values)


def answers(failed: str = "", note: str = "") -> list[dict[str, str]]:
    return [{"item": item, "answer": "fail" if item == failed else "pass", "note": note if item == failed else ""}
            for item in ITEMS]


def completed(world, inspection: FieldInspection, **values) -> FieldInspection:
    start, end = _times()
    base = {"place": world["entity"].registered_address, "started_at": start, "ended_at": end,
            "checklist": answers(), "signature_png": base64.b64encode(png()).decode(), "outcome": "no_problem",
            "location": {"latitude": "29.8415", "longitude": "114.3223", "accuracy": "15"}}
    return drafts.inspection_update(actor=world["officer"], inspection_id=inspection.pk,
                                      base_version=inspection.version, values={**base, **values})


# Checklist --------------------------------------------------------------------------------------------------------

def test_checklist_items_are_read_from_the_content_text():
    assert checklist.items_of("1.生产环境；2、进货查验\n（三）出厂检验，进货查验。") == ITEMS
    assert checklist.items_of("") == []


def test_the_checklist_comes_from_the_rows_content_routine_or_special(world):
    routine = opened(world)
    assert [row["item"] for row in routine.checklist] == ITEMS
    assert all(row["answer"] == "" for row in routine.checklist)
    assert routine.checklist_kind == "routine" and routine.catalog_code == FOOD
    # A 专项检查 uses the 专项 content; this row lists none, so the 日常 content stands in.
    special = opened(world, origin_kind="special")
    assert special.checklist_kind == "special" and [row["item"] for row in special.checklist] == ITEMS


def test_an_inspection_rests_on_a_row_of_the_acting_body_in_force(world):
    with pytest.raises(OutsideTheList) as unknown:
        opened(world, implementation_code="no-such-row")
    assert unknown.value.code == "implementation_unknown"
    county_row = Implementation.objects.exclude(body=world["city"]).get(item__code=FOOD).code
    with pytest.raises(OutsideTheList) as other:
        opened(world, implementation_code=county_row)
    assert other.value.code == "implementation_other_body"


def test_an_unknown_checklist_item_or_answer_is_refused(world):
    inspection = opened(world)
    with pytest.raises(ValidationFailed) as caught:
        completed(world, inspection, checklist=[{"item": "消防设施", "answer": "pass"}])
    assert caught.value.code == "checklist_item_unknown"
    with pytest.raises(ValidationFailed) as caught:
        completed(world, inspection, checklist=[{"item": ITEMS[0], "answer": "good"}])
    assert caught.value.code == "checklist_answer_invalid"


# Officers and their 执法证 ----------------------------------------------------------------------------------------

def test_submission_needs_two_officers_each_with_a_credential_valid_that_day(world):
    alone = completed(world, opened(world), officers=[world["officer"].username])
    with pytest.raises(ValidationFailed) as caught:
        submission.inspection_submit(actor=world["officer"], inspection_id=alone.pk)
    assert caught.value.code == "officers_too_few"

    expired = completed(world, opened(world), officers=[world["officer"].username, world["expired"].username])
    with pytest.raises(ValidationFailed) as caught:
        submission.inspection_submit(actor=world["officer"], inspection_id=expired.pk)
    assert caught.value.code == "credential_invalid"
    assert "赵敏" in caught.value.message and "insp_expired" in caught.value.message
    assert FieldInspection.objects.get(pk=expired.pk).status == Status.DRAFT
    assert not Inspection.objects.exists()


def test_officers_must_belong_to_the_acting_department(world, outsider):
    with pytest.raises(ValidationFailed) as caught:
        opened(world, officers=[world["officer"].username, outsider.username])
    assert caught.value.code == "officer_unknown" and outsider.username in caught.value.message


def test_only_an_officer_of_the_inspection_submits_it(world, persona):
    inspection = completed(world, opened(world))
    admin = persona("scjg_admin")  # same department: reads it, but was not there
    with pytest.raises(AccessDenied):
        submission.inspection_submit(actor=admin, inspection_id=inspection.pk)


# Submission -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "code"), [
    ({"signature_png": ""}, "signature_required"),
    ({"signature_png": "", "signature_refused": True}, "witness_required"),
    ({"checklist": [{"item": ITEMS[0], "answer": ""}]}, "checklist_incomplete"),
    ({"checklist": answers(failed=ITEMS[1])}, "outcome_contradicts_checklist"),
    ({"outcome": "rectify", "findings": "进货查验记录缺失"}, "rectify_due_required"),
    ({"outcome": "clue"}, "findings_required"),
    ({"place": ""}, "place_required"),
])
def test_an_incomplete_record_is_not_submitted(world, values, code):
    inspection = completed(world, opened(world), **values)
    with pytest.raises(ValidationFailed) as caught:
        submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    assert caught.value.code == code


def test_submission_records_the_behaviour_and_issues_the_onsite_record(world):
    inspection = completed(world, opened(world))
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    assert submitted.status == Status.SUBMITTED and submitted.version == inspection.version + 1
    record = Inspection.objects.get(number=submitted.number)
    assert record.implementation_code == world["code"] and record.catalog_code == FOOD
    assert record.inspectors == ["张伟", "李强"] and record.category == "1" and record.form == "日常检查"
    assert record.credential_numbers[1] == "42120088800001" and len(record.credential_numbers[0]) > 5
    assert record.party_code == world["entity"].uscc and record.result == "未发现问题"
    assert record.date == timezone.localdate(submitted.started_at)
    assert [d["kind"] for d in submitted.documents] == ["onsite_record"]
    flat = pdf_text(documents.pdf(submitted.documents[0]["id"]))
    assert "现场检查笔录" in flat
    assert world["entity"].uscc in flat and "进货查验：合格" in flat and "42120088800001" in flat
    assert "当事人已在执法终端上签名确认" in flat
    event = AuditEvent.objects.filter(verb="inspections.inspection_submitted").get()
    assert event.payload["number"] == submitted.number
    assert event.payload["signature_sha256"] == hashlib.sha256(png()).hexdigest()


def test_a_refused_signature_is_noted_with_its_witness(world):
    inspection = completed(world, opened(world), signature_png="", signature_refused=True,
                           refusal_note="负责人不在场", witness="网格员王芳")
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    flat = pdf_text(documents.pdf(submitted.documents[0]["id"]))
    assert "当事人拒绝签名（负责人不在场），见证人：网格员王芳" in flat


def test_an_order_to_correct_issues_the_rectification_order(world):
    due = timezone.localdate() + dt.timedelta(days=10)
    inspection = completed(world, opened(world), outcome="rectify", findings="进货查验记录不全",
                           checklist=answers(failed=ITEMS[1], note="缺少供货者资质"),
                           rectify_due=due, rectify_requirement="补齐进货查验记录")
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    assert [d["kind"] for d in submitted.documents] == ["onsite_record", "rectification_order"]
    flat = pdf_text(documents.pdf(submitted.documents[1]["id"]))
    assert "责令改正通知书" in flat and "补齐进货查验记录" in flat and "缺少供货者资质" in flat
    assert f"{due.year}年{due.month}月{due.day}日" in flat
    assert Inspection.objects.get(number=submitted.number).result == "发现问题已责令改正"


def test_a_finding_becomes_a_clue_in_the_same_step(world):
    inspection = completed(world, opened(world), outcome="clue", findings="销售超过保质期的食品",
                           checklist=answers(failed=ITEMS[1]))
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    clue = Clue.objects.get(source=ClueSource.INSPECTION, source_ref=submitted.number)
    assert submitted.clue_number == clue.number and clue.summary == "销售超过保质期的食品"
    assert clue.department == world["city"] and clue.entity == world["entity"]


def test_a_person_as_party_is_stored_masked(world):
    person = subjects.person_register(actor=SYSTEM, name="王小明", id_number="11010519491231002X",
                                      region_code=world["entity"].region_id)
    inspection = completed(world, opened(world, party={"kind": "person", "id_number": "11010519491231002X"}))
    assert inspection.person == person and inspection.party_code == person.id_masked
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    assert Inspection.objects.get(number=submitted.number).party_code == person.id_masked


def test_a_party_outside_the_departments_jurisdiction_is_refused(world):
    county = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421202")
    county_officer = User.objects.get(username="xa_scjg_officer")
    other = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421221")
    elsewhere = MarketEntity.objects.filter(region__path__startswith=other.region.path).first()
    code = Implementation.objects.get(item__code=FOOD, body=county).code
    with pytest.raises(ValidationFailed) as caught:
        opening.inspection_open(actor=county_officer, origin_kind="routine", implementation_code=code,
                                 party={"kind": "entity", "uscc": elsewhere.uscc}, officers=[])
    assert caught.value.code == "party_out_of_jurisdiction"


# Tasks from other apps -------------------------------------------------------------------------------------------

def test_a_task_assigned_from_a_spot_check_shows_in_my_tasks_and_links_back(world, api):
    party = {"kind": "entity", "uscc": world["entity"].uscc}
    args = {"actor": SYSTEM, "origin_kind": "spot_check", "origin_ref": "17/305", "department": world["city"],
            "implementation_code": world["code"], "party": party,
            "officers": [world["officer"].username, world["colleague"].username]}
    card = contracts.assign(**args)
    assert contracts.assign(**args) == card  # asked again: the same draft
    assert FieldInspection.objects.count() == 1
    data = api(world["officer"]).get("/api/v1/inspections/field-data").json()
    assert [t["client_id"] for t in data["tasks"]] == [card.client_id]
    assert [row["item"] for row in data["tasks"][0]["checklist"]] == ITEMS
    food = next(row for row in data["implementations"] if row["code"] == world["code"])
    assert food["routine"] == ITEMS
    colleagues = {c["username"]: c["valid"] for c in data["colleagues"]}
    assert colleagues["insp_colleague"] is True and colleagues["insp_expired"] is False
    inspection = completed(world, FieldInspection.objects.get(pk=card.id))
    submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    [done] = contracts.for_origin(origin_kind="spot_check", origin_ref="17/305")
    assert done.status == "submitted" and done.outcome == "no_problem" and done.checked_on is not None
    assert Inspection.objects.get(number=done.number).spot_check_plan == "17"


# Sync -------------------------------------------------------------------------------------------------------------

def body(world, client_id: str, **extra) -> dict:
    start, end = _times()
    return {"client_id": client_id, "base_version": 0, "origin_kind": "routine", "implementation_code": world["code"],
            "party": {"kind": "entity", "uscc": world["entity"].uscc}, "place": "经营场所",
            "officers": [world["officer"].username, world["colleague"].username],
            "started_at": start.isoformat(), "ended_at": end.isoformat(),
            "location": {"latitude": 29.841512, "longitude": 114.322301, "accuracy": 8.5},
            "checklist": [{"item": item, "answer": "pass", "note": ""} for item in ITEMS],
            "signature_png": "data:image/png;base64," + base64.b64encode(png()).decode(),
            "outcome": "no_problem", **extra}


def test_the_same_record_sent_twice_is_stored_once(world, api):
    client = api(world["officer"])
    payload = body(world, str(uuid.uuid4()))
    first = client.post("/api/v1/inspections/sync", payload, content_type="application/json")
    again = client.post("/api/v1/inspections/sync", payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert FieldInspection.objects.count() == 1
    stored = FieldInspection.objects.get()
    assert str(stored.latitude) == "29.841512" and stored.status == Status.DRAFT and stored.version == 1
    assert AuditEvent.objects.filter(verb="inspections.inspection_synced").count() == 1

    submit = {**payload, "base_version": 1, "submit": True}
    done = client.post("/api/v1/inspections/sync", submit, content_type="application/json")
    resent = client.post("/api/v1/inspections/sync", submit, content_type="application/json")
    assert (done.status_code, resent.status_code) == (200, 200)
    assert done.json()["status"] == "submitted" and resent.json() == done.json()
    assert done.json()["version"] == 2
    assert FieldInspection.objects.count() == 1 and Inspection.objects.count() == 1
    assert len(FieldInspection.objects.get().documents) == 1


def test_a_changed_server_copy_is_never_overwritten(world, api):
    client = api(world["officer"])
    payload = body(world, str(uuid.uuid4()))
    created = client.post("/api/v1/inspections/sync", payload, content_type="application/json").json()
    # The colleague's phone changes the record on the server (version 1 → 2).
    drafts.inspection_update(actor=world["colleague"], inspection_id=created["id"], base_version=1,
                               values={"place": "仓库"})
    changed = {**payload, "base_version": 1, "place": "门店"}
    conflict = client.post("/api/v1/inspections/sync", changed, content_type="application/json")
    assert conflict.status_code == 409
    answer = conflict.json()
    assert answer["code"] == "sync_conflict"
    assert answer["extra"]["server"]["version"] == 2 and answer["extra"]["server"]["place"] == "仓库"
    assert answer["extra"]["client"]["place"] == "门店" and answer["extra"]["client"]["base_version"] == 1
    assert FieldInspection.objects.get().place == "仓库"
    # Knowing the server's version, the phone may send its own again.
    accepted = client.post("/api/v1/inspections/sync", {**changed, "base_version": 2}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["place"] == "门店" and accepted.json()["version"] == 3


def test_a_different_payload_for_a_submitted_record_is_a_conflict(world, api):
    client = api(world["officer"])
    payload = body(world, str(uuid.uuid4()), submit=True)
    assert client.post("/api/v1/inspections/sync", payload, content_type="application/json").status_code == 201
    later = client.post("/api/v1/inspections/sync", {**payload, "base_version": 1, "findings": "补充"},
                        content_type="application/json")
    assert later.status_code == 409 and later.json()["extra"]["server"]["status"] == "submitted"
    assert FieldInspection.objects.get().findings == ""


def test_sync_refuses_a_changed_identity_and_unknown_fields(world, api):
    client = api(world["officer"])
    payload = body(world, str(uuid.uuid4()))
    client.post("/api/v1/inspections/sync", payload, content_type="application/json")
    other = Implementation.objects.exclude(body=world["city"]).get(item__code=FOOD).code
    moved = client.post("/api/v1/inspections/sync", {**payload, "base_version": 1, "implementation_code": other},
                        content_type="application/json")
    assert moved.status_code == 400 and moved.json()["code"] == "identity_changed"
    extra = client.post("/api/v1/inspections/sync", {**payload, "owner": "x"}, content_type="application/json")
    assert extra.status_code == 400 and extra.json()["code"] == "extra_forbidden"


def test_a_submission_refused_by_a_rule_leaves_the_draft(world, api):
    client = api(world["officer"])
    payload = body(world, str(uuid.uuid4()), submit=True,
                   officers=[world["officer"].username, world["expired"].username])
    refused = client.post("/api/v1/inspections/sync", payload, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "credential_invalid"
    assert "赵敏" in refused.json()["message"]
    assert not FieldInspection.objects.exists()  # nothing half-stored


def test_the_browser_session_sends_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["officer"], backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get("/inspections/field/").status_code == 200
    token = browser.cookies["csrftoken"].value
    payload = body(world, str(uuid.uuid4()))
    without = browser.post("/api/v1/inspections/sync", payload, content_type="application/json")
    assert without.status_code == 403
    sent = browser.post("/api/v1/inspections/sync", payload, content_type="application/json",
                        headers={"X-CSRFToken": token})
    assert sent.status_code == 201


# Evidence ---------------------------------------------------------------------------------------------------------

def _upload(client, inspection_id: int, data: bytes, *, client_id: str | None = None, sha256: str | None = None,
            name: str = "photo.jpg"):
    return client.post(f"/api/v1/inspections/{inspection_id}/evidence", {
        "client_id": client_id or str(uuid.uuid4()), "sha256": sha256 or hashlib.sha256(data).hexdigest(),
        "file": SimpleUploadedFile(name, data, content_type="application/octet-stream")})


def test_evidence_is_stored_once_and_checked(world, api):
    client = api(world["officer"])
    inspection = opened(world)
    photo = jpeg()
    key = str(uuid.uuid4())
    first = _upload(client, inspection.pk, photo, client_id=key, name="IMG_0001.JPG")
    again = _upload(client, inspection.pk, photo, client_id=key, name="IMG_0001.JPG")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    stored = Evidence.objects.get()
    assert stored.sha256 == hashlib.sha256(photo).hexdigest() and stored.content_type == "image/jpeg"
    assert stored.file.read() == photo and stored.name == "IMG_0001.jpg"

    other = _upload(client, inspection.pk, png(), client_id=key)
    assert other.status_code == 409 and other.json()["code"] == "evidence_conflict"
    gif = b"GIF89a" + b"\x00" * 64
    assert _upload(client, inspection.pk, gif, name="a.jpg").json()["code"] == "evidence_type"
    wrong = _upload(client, inspection.pk, photo, sha256="0" * 64)
    assert wrong.status_code == 400 and wrong.json()["code"] == "evidence_hash_mismatch"
    with override_settings(JIANGUAN_INSPECTION_EVIDENCE_MAX_BYTES=1024 * 1024):
        big = photo + b"\x00" * (1024 * 1024)
        assert _upload(client, inspection.pk, big).json()["code"] == "evidence_too_large"
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32
    assert _upload(client, inspection.pk, mp4, name="clip.mp4").json()["kind"] == "video"
    assert Evidence.objects.count() == 2


def test_evidence_is_listed_in_the_onsite_record(world, api):
    inspection = opened(world)
    photo = jpeg()
    _upload(api(world["officer"]), inspection.pk, photo)
    submitted = submission.inspection_submit(actor=world["officer"],
                                           inspection_id=completed(world, inspection).pk)
    flat = pdf_text(documents.pdf(submitted.documents[0]["id"]))
    assert hashlib.sha256(photo).hexdigest()[:16] in flat


# Who sees what ----------------------------------------------------------------------------------------------------

def test_anonymous_callers_are_refused(client, world):
    inspection = opened(world)
    for method, path in (("get", "/api/v1/inspections"), ("get", "/api/v1/inspections/field-data"),
                         ("get", f"/api/v1/inspections/{inspection.pk}"), ("post", "/api/v1/inspections/sync"),
                         ("post", f"/api/v1/inspections/{inspection.pk}/evidence")):
        response = getattr(client, method)(path)
        assert response.status_code == 401, path
    for path in ("/inspections/", "/inspections/field/", "/inspections/sw.js", f"/inspections/{inspection.pk}/",
                 f"/inspections/{inspection.pk}/signature.png", f"/inspections/{inspection.pk}/evidence/1/",
                 f"/inspections/{inspection.pk}/documents/1/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"], path


def test_outsiders_see_nothing_of_an_inspection(world, api, signed_in, outsider):
    inspection = opened(world)
    photo = jpeg()
    _upload(api(world["officer"]), inspection.pk, photo)
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=completed(world, inspection).pk)
    evidence = Evidence.objects.get()
    client = api(outsider)
    assert client.get(f"/api/v1/inspections/{submitted.pk}").status_code == 404
    assert client.get("/api/v1/inspections?mine=false").json()["count"] == 0
    resend = client.post("/api/v1/inspections/sync", body(world, str(submitted.client_id)),
                         content_type="application/json")
    assert resend.status_code == 404 and FieldInspection.objects.get().status == Status.SUBMITTED
    assert _upload(client, submitted.pk, photo).status_code == 404
    pages = signed_in(outsider)
    for path in (f"/inspections/{submitted.pk}/", f"/inspections/{submitted.pk}/signature.png",
                 f"/inspections/{submitted.pk}/evidence/{evidence.pk}/",
                 f"/inspections/{submitted.pk}/documents/{submitted.documents[0]['id']}/"):
        assert pages.get(path).status_code == 404, path
    assert submitted.party_name not in pages.get("/inspections/?all=1").content.decode()


def test_a_colleague_reads_but_only_the_officers_write(world, api, persona):
    inspection = opened(world)
    admin = persona("scjg_admin")
    assert api(admin).get(f"/api/v1/inspections/{inspection.pk}").status_code == 200
    with pytest.raises(AccessDenied):
        drafts.inspection_update(actor=admin, inspection_id=inspection.pk, base_version=1, values={"place": "x"})


# Pages ------------------------------------------------------------------------------------------------------------

def test_the_pages_of_an_inspection(world, signed_in, api):
    inspection = opened(world)
    _upload(api(world["officer"]), inspection.pk, jpeg())
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=completed(world, inspection).pk)
    client = signed_in(world["officer"])
    listing = client.get("/inspections/").content.decode()
    assert submitted.number in listing and world["entity"].name in listing
    detail = client.get(f"/inspections/{submitted.pk}/").content.decode()
    assert "进货查验" in detail and "李强" in detail and submitted.documents[0]["number"] in detail
    assert client.get(f"/inspections/{submitted.pk}/signature.png").content == png()
    evidence = Evidence.objects.get()
    assert client.get(f"/inspections/{submitted.pk}/evidence/{evidence.pk}/")["Content-Type"] == "image/jpeg"
    pdf = client.get(f"/inspections/{submitted.pk}/documents/{submitted.documents[0]['id']}/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_field_page_and_its_service_worker(world, signed_in):
    client = signed_in(world["officer"])
    page = client.get("/inspections/field/").content.decode()
    assert 'capture="environment"' in page and '<script type="module" src="/static/inspections/field/main.js">' in page
    assert 'id="field-messages" type="application/json"' in page
    assert "<script>" not in page  # no inline script: CSP allows only files and the nonce
    worker = client.get("/inspections/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/inspections/"
    text = worker.content.decode()
    assert '"/inspections/field/"' in text and "clients.claim" in text
    folder = Path(views.__file__).parent / "static" / "inspections" / "field"
    modules = sorted(path.name for path in folder.glob("*.js"))
    assert len(modules) > 1 and "main.js" in modules
    for name in modules:  # every module is kept for offline use, and preloaded beside the entry module
        assert f'"/static/inspections/field/{name}"' in text
        assert name == "main.js" or f'<link rel="modulepreload" href="/static/inspections/field/{name}">' in page


def test_the_field_modules_import_only_modules_of_their_folder():
    """What the service worker keeps is the folder: an import from elsewhere would be missing offline."""
    folder = Path(views.__file__).parent / "static" / "inspections" / "field"
    imports = 0
    for path in folder.glob("*.js"):
        for line in path.read_text().splitlines():
            if line.startswith("import") or (line.startswith("export") and ' from "' in line):
                found = re.fullmatch(r'(?:import|export) \{[\w$, ]+\} from "\./(\w+\.js)";', line)
                assert found and (folder / found[1]).is_file(), (path.name, line)
                imports += 1
    assert imports >= 6  # main.js imports the five others, home.js and form.js the helpers


def test_the_demo_seed_makes_submitted_and_waiting_inspections(world):
    seed_inspections(SeedContext(scale="demo", seed=7, stdout=io.StringIO(), progress_enabled=False))
    inspections = FieldInspection.objects.order_by("pk")
    assert [i.status for i in inspections] == [Status.SUBMITTED, Status.SUBMITTED, Status.DRAFT]
    assert [len(i.documents) for i in inspections] == [1, 2, 0]
    assert Inspection.objects.filter(number__in=[i.number for i in inspections]).count() == 2
