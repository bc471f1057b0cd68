"""行政检查 over the API: tasks from a spot check, the phone's sync (once, conflicts, refusals), evidence, and
who may read and write."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from django.test import Client, override_settings

from jianguan.audit.models import AuditEvent
from jianguan.behaviour.models import Inspection
from jianguan.catalog.models import Implementation
from jianguan.core.errors import AccessDenied
from jianguan.documents import contracts as documents
from jianguan.inspections import contracts, drafts, submission
from jianguan.inspections.models import Evidence, FieldInspection, Status
from tests.catalog_fixtures import FOOD
from tests.inspections.world import ITEMS, _upload, body, completed, jpeg, opened, pdf_text, png
from tests.library_fixtures import SYSTEM

pytestmark = pytest.mark.django_db


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
