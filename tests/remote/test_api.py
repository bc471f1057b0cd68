"""`/api/v1/remote/…`: the batch intake (stored whole or refused whole, field and rule named), points, readings
and alarms within the caller's scope, transitions; the pages; outsiders see nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.remote import alarms
from jianguan.remote.models import AlarmState, Reading, Receipt, ReceiptStatus
from tests.exchange_fixtures import system_client
from tests.remote.world import COD, NOW, hourly, put

pytestmark = pytest.mark.django_db
URL = "/api/v1/remote/readings"


def item(point, value, when=NOW, **over):
    return {"point": point.code, "code": COD, "at": when.isoformat(), "value": value, "period": "hour",
            "unit": "mg/L", **over}


@pytest.fixture
def sender(persona):
    return system_client(persona, scopes=("remote:write",))[0]


def test_a_batch_is_stored_whole_and_a_repeat_stores_nothing(point, sender):
    batch = [item(point, 150, NOW - dt.timedelta(hours=h)) for h in (2, 1, 0)]
    first = sender.post(URL, {"items": batch}, content_type="application/json")
    assert first.status_code == 201 and first.json() == {"accepted": 3, "duplicates": 0}
    again = sender.post(URL, {"items": batch}, content_type="application/json")
    assert again.json() == {"accepted": 0, "duplicates": 3}
    assert AlarmState.objects.get(point=point, rule="cod_over_limit").level == 2  # evaluated on arrival


@pytest.mark.parametrize(("bad", "field", "code"), [
    ({"at": "2026-12-07 10:00"}, "at", "not_time"),
    ({"value": "abc"}, "value", "not_number"),
    ({"unit": "kg"}, "readings", "unit_mismatch"),
    ({"point": "UNKNOWN"}, "point", "device_unknown"),
    ({"colour": "red"}, "colour", "field_unknown"),
    ({"at": (timezone.now() + dt.timedelta(days=1)).isoformat()}, "readings", "reading_in_future"),
])
def test_a_batch_with_one_bad_item_is_refused_whole_naming_it(point, sender, bad, field, code):
    response = sender.post(URL, {"items": [item(point, 50, NOW - dt.timedelta(hours=1)), {**item(point, 60), **bad}]},
                           content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "batch_refused" and "均未入库" in body["message"]
    [problem] = body["extra"]["problems"]
    assert (problem["index"], problem["field"], problem["code"]) == (1, field, code) and problem["message"]
    assert not Reading.objects.exists()
    assert all(r.status == ReceiptStatus.REFUSED for r in Receipt.objects.all())


def test_a_point_of_another_department_is_unknown_to_the_sender(point, persona):
    other = Department.objects.get(kind=DepartmentKind.STHJ, region_id="421200")
    client = system_client(persona, scopes=("remote:write",), department=other)[0]
    response = client.post(URL, {"items": [item(point, 50)]}, content_type="application/json")
    assert response.status_code == 400 and response.json()["extra"]["problems"][0]["code"] == "device_unknown"


def test_a_sender_without_the_scope_is_refused(point, persona):
    client = system_client(persona, scopes=("risk:write",))[0]
    assert client.post(URL, {"items": [item(point, 50)]}, content_type="application/json").status_code == 403


def test_points_readings_and_alarms_within_scope(point, api, officer, outsider):
    put(point.code, hourly([150, 150, 150]))
    alarms.evaluate_point(point_id=point.pk, as_of=NOW)
    mine = api(officer)
    [listed] = mine.get("/api/v1/remote/points").json()["items"]
    assert listed["code"] == point.code and listed["factors"][0]["basis"]
    assert mine.get(f"/api/v1/remote/readings?point={point.pk}").json()["count"] == 3
    alarm = AlarmState.objects.get(point=point, rule="cod_over_limit")
    body = mine.get("/api/v1/remote/alarms").json()
    assert alarm.pk in [a["id"] for a in body["items"]]
    moved = mine.post(f"/api/v1/remote/alarms/{alarm.pk}/transitions",
                      {"action": "notify", "data": {"notice": "提醒", "note": "请核查"}},
                      content_type="application/json")
    assert moved.status_code == 200 and moved.json()["disposal"] == "notified"
    wrong = mine.post(f"/api/v1/remote/alarms/{alarm.pk}/transitions", {"action": "notify", "data": {}},
                      content_type="application/json")
    assert wrong.status_code == 409 and wrong.json()["code"] == "invalid_transition"
    theirs = api(outsider)
    assert theirs.get("/api/v1/remote/points").json()["count"] == 0
    assert theirs.get("/api/v1/remote/alarms").json()["count"] == 0
    assert theirs.get(f"/api/v1/remote/alarms/{alarm.pk}").status_code == 404
    assert theirs.get(f"/api/v1/remote/readings?point={point.pk}").status_code == 404


def test_the_pages_show_the_board_the_chart_and_the_queue(point, signed_in, officer):
    put(point.code, hourly([50, 150, 150]))
    alarms.evaluate_point(point_id=point.pk, as_of=NOW)
    alarm = AlarmState.objects.get(point=point, rule="cod_over_limit")
    client = signed_in(officer)
    board = client.get("/remote/").content.decode()
    assert point.code in board and "<svg" in board
    page = client.get(f"/remote/points/{point.pk}/").content.decode()
    assert "<polyline" in page and 'stroke-dasharray="4 3"' in page  # the readings and the limit
    assert alarm.title in client.get("/remote/alarms/").content.decode()
    detail = client.get(f"/remote/alarms/{alarm.pk}/").content.decode()
    assert 'value="remote_check"' in detail
    posted = client.post(f"/remote/alarms/{alarm.pk}/act/", {"action": "notify", "notice": "告诫", "note": "说明"})
    assert posted.status_code == 302
    assert AlarmState.objects.get(pk=alarm.pk).disposal == "notified"


def test_outsiders_get_404_on_every_remote_path(point, signed_in, outsider, api):
    put(point.code, hourly([150, 150, 150]))
    alarms.evaluate_point(point_id=point.pk, as_of=NOW)
    alarm = AlarmState.objects.get(point=point, rule="cod_over_limit")
    client = signed_in(outsider)
    for path in (f"/remote/points/{point.pk}/", f"/remote/alarms/{alarm.pk}/"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/remote/alarms/{alarm.pk}/act/", {"action": "notify"}).status_code in (403, 404)
    assert api(outsider).get(f"/api/v1/remote/alarms/{alarm.pk}").status_code == 404
    assert AlarmState.objects.get(pk=alarm.pk).disposal == "pending"
