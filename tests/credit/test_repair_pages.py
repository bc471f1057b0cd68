"""Credit repair on the portals and the API (ADR 0045): the public form (files, a field robots fill, the limit per
address, the payload kept), the status lookup, the department's queue and decision pages, the API's entry, list and
steps, and outsiders seeing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jianguan.audit.models import AuditEvent
from jianguan.core.calendar import add_working_days
from jianguan.credit.models import PublicationEnd, RepairApplication, RepairStatus
from jianguan.subjects.models import MarketEntity
from tests.credit.world import entities, repair_application, repairable_penalty

pytestmark = pytest.mark.django_db


def _entity() -> MarketEntity:
    return entities(1, offset=70)[0]


def _form(made, **change):
    return {"uscc": made.party_code, "decision_number": made.decision_number, "applicant_name": "王经理",
            "applicant_phone": "13800000000", "correction": "已缴清罚款", "website": "",
            "commitment": SimpleUploadedFile("承诺书.pdf", b"%PDF-1.4 c", content_type="application/pdf"),
            "proof": SimpleUploadedFile("整改.png", b"\x89PNG\r\n\x1a\n p", content_type="image/png"), **change}


def _old_penalty():
    return repairable_penalty(_entity(), day=timezone.localdate() - dt.timedelta(days=300))


def test_the_public_form_takes_an_application_and_the_status_is_looked_up():
    made = _old_penalty()
    client = Client(REMOTE_ADDR="203.0.113.20")
    assert client.get("/public/credit/repair/").status_code == 200
    response = client.post("/public/credit/repair/", _form(made))
    assert response.status_code == 200
    app = RepairApplication.objects.get()
    assert app.number in response.content.decode() and app.channel == "portal"
    assert app.raw["correction"] == "已缴清罚款" and app.attachments.count() == 2
    found = client.get("/public/credit/repair/status/", {"number": app.number, "uscc": made.party_code})
    assert "data-testid=\"repair-status\"" in found.content.decode() and "已提交" in found.content.decode()
    wrong = client.get("/public/credit/repair/status/", {"number": app.number, "uscc": "91420000MA4ABCDE1X"})
    assert "data-testid=\"repair-status\"" not in wrong.content.decode()
    assert "未找到该申请" in wrong.content.decode()


def test_the_public_form_names_the_field_at_fault_and_stores_nothing():
    made = _old_penalty()
    response = Client(REMOTE_ADDR="203.0.113.21").post("/public/credit/repair/", _form(
        made, commitment=SimpleUploadedFile("a.pdf", b"MZ", content_type="application/pdf")))
    assert response.status_code == 400 and "信用承诺书只接受 PDF、JPG 或 PNG 文件" in response.content.decode()
    assert not RepairApplication.objects.exists()


def test_robots_and_floods_are_turned_away(settings):
    settings.JIANGUAN_PUBLIC_REPAIRS_PER_HOUR = 1
    made = _old_penalty()
    client = Client(REMOTE_ADDR="203.0.113.22")
    assert client.post("/public/credit/repair/", _form(made, website="http://spam")).status_code == 302
    assert not RepairApplication.objects.exists()
    assert client.post("/public/credit/repair/", _form(made, applicant_name="")).status_code == 400
    refused = client.post("/public/credit/repair/", _form(made))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert not RepairApplication.objects.exists()


def test_the_queue_shows_the_clock_and_the_head_decides_on_the_page(signed_in, persona):
    app = repair_application(_entity())
    page = signed_in(persona("scjg_officer")).get("/credit/repairs/").content.decode()
    due = add_working_days(timezone.localtime(app.submitted_at).date(), 2)
    assert app.number in page and due.isoformat() in page
    officer = signed_in(persona("scjg_officer"))
    detail = officer.get(f"/credit/repairs/{app.pk}/").content.decode()
    assert "受理" in detail and "准予信用修复" not in detail
    officer.post(f"/credit/repairs/{app.pk}/act/", {"action": "accept"})
    head = signed_in(persona("scjg_head"))
    assert "准予信用修复" in head.get(f"/credit/repairs/{app.pk}/").content.decode()
    head.post(f"/credit/repairs/{app.pk}/act/", {"action": "approve", "reasons": "已履行、已整改"})
    app.refresh_from_db()
    assert app.status == RepairStatus.APPROVED and PublicationEnd.objects.filter(repair=app).exists()
    shown = head.get(f"/credit/repairs/{app.pk}/").content.decode()
    assert 'data-testid="repair-decision"' in shown and app.decision_document_number in shown
    assert f"/documents/{app.decision_document}/pdf/" in shown


def test_outsiders_see_nothing_of_an_application(signed_in, api, outsider):
    app = repair_application(_entity())
    client = signed_in(outsider)
    assert client.get(f"/credit/repairs/{app.pk}/").status_code == 404
    assert app.number not in client.get("/credit/repairs/").content.decode()
    assert api(outsider).get("/api/v1/credit/repairs").json()["count"] == 0
    assert api(outsider).post(f"/api/v1/credit/repairs/{app.pk}/actions", {"action": "accept"},
                              content_type="application/json").status_code == 404
    app.refresh_from_db()
    assert app.status == RepairStatus.SUBMITTED


def test_officers_enter_applications_and_take_the_steps_through_the_api(api, persona):
    made = _old_penalty()
    officer = api(persona("scjg_officer"))
    form = {k: v for k, v in _form(made).items() if k != "website"}
    created = officer.post("/api/v1/credit/repairs", form)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["channel"], body["scheme"], body["decision_number"]) == ("officer", "samr-2021-3",
                                                                          made.decision_number)
    assert officer.get("/api/v1/credit/repairs").json()["count"] == 1
    step = officer.post(f"/api/v1/credit/repairs/{body['id']}/actions", {"action": "approve", "reasons": "x"},
                        content_type="application/json")
    assert step.status_code == 409 and step.json()["code"] == "invalid_transition"
    assert officer.post(f"/api/v1/credit/repairs/{body['id']}/actions", {"action": "accept"},
                        content_type="application/json").json()["status"] == "accepted"
    decided = api(persona("scjg_head")).post(f"/api/v1/credit/repairs/{body['id']}/actions",
                                             {"action": "approve", "reasons": "已履行"},
                                             content_type="application/json")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert decided.json()["decision_document_number"] == RepairApplication.objects.get().decision_document_number
    assert decided.json()["decision_document_number"] and decided.json()["decision_document"]


def test_a_non_repairable_penalty_is_refused_by_the_api_with_its_rule(api, persona):
    made = repairable_penalty(_entity(), day=timezone.localdate() - dt.timedelta(days=300),
                              penalty_kinds=["02", "04"])
    form = {k: v for k, v in _form(made).items() if k != "website"}
    refused = api(persona("scjg_officer")).post("/api/v1/credit/repairs", form)
    assert refused.status_code == 400 and refused.json()["code"] == "not_repairable"
    assert refused.json()["message"].startswith("不可修复")


def _officer_form(made, **change):
    return {k: v for k, v in _form(made, **change).items() if k != "website"}


def test_an_officer_enters_a_paper_application_on_the_page(signed_in, persona):
    made = _old_penalty()
    officer = persona("scjg_officer")
    client = signed_in(officer)
    assert 'data-testid="repair-new-link"' in client.get("/credit/repairs/").content.decode()
    assert 'data-testid="repair-new"' in client.get("/credit/repairs/new/").content.decode()
    response = client.post("/credit/repairs/new/", _officer_form(made))
    app = RepairApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/credit/repairs/{app.pk}/"
    assert (app.channel, app.penalty_id, app.attachments.count()) == ("officer", made.pk, 2)
    assert app.submitted_by == officer.as_actor_ref().label[:100]
    event = AuditEvent.objects.get(verb="credit.repair_applied")
    assert event.payload["channel"] == "officer" and event.actor_label == app.submitted_by
    assert app.number in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("change", "status", "message"), [
    ({"applicant_name": ""}, 400, "缺少必填字段“申请人”"),
    ({"applicant_phone": "电话"}, 400, "联系电话格式不正确"),
    ({"proof": SimpleUploadedFile("x.exe", b"MZ", content_type="application/pdf")}, 400,
     "证明材料只接受 PDF、JPG 或 PNG 文件"),
    ({"decision_number": "不存在的文号"}, 404, "请核对统一社会信用代码和决定书文号"),
])
def test_the_entry_page_names_the_field_at_fault_and_stores_nothing(signed_in, persona, change, status, message):
    made = _old_penalty()
    response = signed_in(persona("scjg_officer")).post("/credit/repairs/new/", _officer_form(made, **change))
    page = response.content.decode()
    assert response.status_code == status and message in page and 'data-testid="form-error"' in page
    assert not RepairApplication.objects.exists() and not AuditEvent.objects.filter(
        verb="credit.repair_applied").exists()


def test_the_city_bureau_does_not_enter_an_application_about_its_county_bureau_penalty(signed_in, persona):
    county = persona("xa_scjg_officer").department
    made = repairable_penalty(_entity(), day=timezone.localdate() - dt.timedelta(days=300), department=county,
                              region_id=county.region_id)
    response = signed_in(persona("scjg_officer")).post("/credit/repairs/new/", _officer_form(made))
    assert response.status_code == 403 and "所指的处罚不是本部门作出的" in response.content.decode()
    assert not RepairApplication.objects.exists()
    assert signed_in(persona("xa_scjg_officer")).post("/credit/repairs/new/", _officer_form(made)).status_code == 302


def test_the_leader_is_not_shown_the_entry_page(signed_in, persona):
    assert signed_in(persona("leader")).get("/credit/repairs/new/").status_code == 403
