"""行政强制 over the API: creation, steps and out-of-order answers, lists at constant queries, outsiders."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianguan.coercion.models import Measure
from jianguan.coercion.workflow import MeasureState as M
from tests.coercion.world import GOODS, _emergency, _execution, _request, _values
from tests.library_fixtures import COERCION

pytestmark = pytest.mark.django_db


def test_api_create_step_and_out_of_order(world, api):
    client = api(world["actor"])
    body = {**_values(world), "items": GOODS}
    created = client.post("/api/v1/coercion/measures", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    measure = created.json()
    assert measure["status"] == "requested" and measure["allowed"] == ["approve", "refuse"]
    assert [i["name"] for i in measure["items"]] == ["过期饼干", "散装白酒"]
    path = f"/api/v1/coercion/measures/{measure['id']}/transitions"
    wrong = client.post(path, json.dumps({"action": "release", "reason": "x"}), content_type="application/json")
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "invalid_transition" and wrong.json()["extra"]["allowed"] == ["approve", "refuse"]
    assert client.post(path, json.dumps({"action": "approve"}), content_type="application/json").status_code == 403
    unknown = client.post(path, json.dumps({"action": "approve", "colour": 1}), content_type="application/json")
    assert unknown.status_code == 400
    head = api(world["head"])
    extra = head.post(path, json.dumps({"action": "approve", "days": 3}), content_type="application/json")
    assert extra.status_code == 400 and extra.json()["code"] == "field_unknown"
    approved = head.post(path, json.dumps({"action": "approve", "note": "同意"}), content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    listed = client.get("/api/v1/coercion/measures").json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == measure["number"]
    detail = client.get(f"/api/v1/coercion/measures/{measure['id']}").json()
    assert [s["action"] for s in detail["steps"]] == ["request", "approve"]


def test_lists_cost_the_same_queries_for_one_record_or_many(world, api, signed_in):
    client, browser = api(world["actor"]), signed_in(world["actor"])
    paths = ("/api/v1/coercion/measures", "/api/v1/coercion/enforcements")

    def counts() -> list[int]:
        found = []
        for get in [*(lambda p=p: client.get(p) for p in paths), lambda: browser.get("/coercion/")]:
            with CaptureQueriesContext(connection) as queries:
                assert get().status_code == 200
            found.append(len(queries))
        return found

    _request(world)
    _execution(world)
    counts()  # the first call also reads the caller's token and session
    one = counts()
    for _ in range(3):
        _request(world)
        _execution(world)
    assert counts() == one


def test_api_enforcement(world, api):
    client = api(world["actor"])
    created = client.post("/api/v1/coercion/enforcements", json.dumps({
        "inspection_number": world["inspection"].number, "catalog_code": COERCION, "power": "court", "mode": "other",
        "decision_reference": "咸市监处罚〔2026〕3号", "decision_served_on": "2026-02-20",
        "obligation": "缴纳罚款", "principal": "5000", "payment_due": "2026-03-07"}), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["remedy_ends"] == "2026-08-20" and body["court_latest"] == "2026-11-20"
    step = client.post(f"/api/v1/coercion/enforcements/{body['id']}/transitions", json.dumps({
        "action": "demand", "served_on": "2026-09-28", "deadline": "2026-10-09", "manner": "银行缴款"}),
        content_type="application/json")
    assert step.status_code == 200 and step.json()["court_earliest"] == "2026-10-17"
    assert client.get("/api/v1/coercion/enforcements").json()["count"] == 1


def test_outsiders_get_404_and_anonymous_callers_401(world, api, outsider, signed_in, client):
    measure = _emergency(world, at=timezone.now() - dt.timedelta(hours=1))
    execution = _execution(world)
    document = measure.decision_document_id
    stranger = api(outsider)
    for path in (f"/api/v1/coercion/measures/{measure.pk}", f"/api/v1/coercion/enforcements/{execution.pk}"):
        response = stranger.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
        assert client.get(path).status_code == 401, path
    for path, body in ((f"/api/v1/coercion/measures/{measure.pk}/transitions", {"action": "approve"}),
                       (f"/api/v1/coercion/measures/{measure.pk}/case", {"case_number": "x"}),
                       (f"/api/v1/coercion/enforcements/{execution.pk}/transitions", {"action": "comply"}),
                       (f"/api/v1/coercion/enforcements/{execution.pk}/case", {"case_number": "x"})):
        assert stranger.post(path, json.dumps(body), content_type="application/json").status_code == 404, path
    assert stranger.get("/api/v1/coercion/measures").json()["count"] == 0
    assert stranger.get("/api/v1/coercion/enforcements").json()["count"] == 0
    for path in ("/api/v1/coercion/measures", "/api/v1/coercion/enforcements"):
        assert client.get(path).status_code == 401
        assert client.post(path, "{}", content_type="application/json").status_code == 401
    pages = [f"/coercion/measures/{measure.pk}/", f"/coercion/enforcements/{execution.pk}/",
             f"/coercion/measures/{measure.pk}/documents/{document}.pdf"]
    for page in pages:
        assert client.get(page).status_code == 302
    browser = signed_in(outsider)
    for page in pages:
        assert browser.get(page).status_code == 404, page
    for page in (f"/coercion/measures/{measure.pk}/act/", f"/coercion/enforcements/{execution.pk}/act/"):
        assert browser.post(page, {"action": "release", "reason": "x"}).status_code == 404, page
    assert Measure.objects.get(pk=measure.pk).status == M.EMERGENCY
    assert measure.number not in browser.get("/coercion/").content.decode()
