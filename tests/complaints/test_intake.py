"""Complaints from outside (public form, API): every field has a length limit and no control characters, dates lie
in a sane range, the same submission twice is stored once, and the public form and the anonymous token endpoint
are rate-limited per source address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jianguan.complaints import services
from jianguan.complaints.models import Complaint
from jianguan.core.actors import SystemActor
from jianguan.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("test")


def form(**over: str) -> dict[str, str]:
    return {"kind": "complaint", "category": "food", "subject_name": "某餐馆", "region": "421202",
            "content": "餐馆卫生条件差，有老鼠", **over}


@pytest.mark.parametrize(("field", "limit"), [("subject_name", 200), ("subject_address", 300), ("content", 5000),
                                              ("complainant_name", 50), ("complainant_phone", 20)])
def test_every_field_has_a_length_limit_refused_not_cut(field, limit):
    fits = "1" * limit if field == "complainant_phone" else "很" * limit
    too_long = fits + fits[0]
    if field != "complainant_phone":  # a phone of 20 digits is refused by its own rule
        complaint = services.complaint_receive(actor=SYSTEM, channel="portal", values=form(**{field: fits}))
        assert getattr(complaint, field) == fits
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_receive(actor=SYSTEM, channel="portal", values=form(**{field: too_long}))
    assert (refused.value.code, refused.value.field) == ("too_long", field)
    assert str(limit) in refused.value.message


@pytest.mark.parametrize(("field", "value"), [("content", "投诉内容\x00很长"), ("subject_name", "某\x07餐馆"),
                                              ("subject_name", "某\n餐馆"), ("complainant_name", "张\x1b三"),
                                              ("content", "投诉内容\x7f很长")])
def test_control_characters_are_refused(field, value):
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_receive(actor=SYSTEM, channel="portal", values=form(**{field: value}))
    assert (refused.value.code, refused.value.field) == ("invalid_character", field)


@pytest.mark.parametrize(("value", "code"), [("W" * 51, "too_long"), ("GD\x00001", "invalid_character")])
def test_a_bad_source_number_is_refused_by_name(value, code):
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_receive(actor=SYSTEM, channel="hotline", values=form(), external_ref=value)
    assert (refused.value.code, refused.value.field) == (code, "external_ref")


def test_line_breaks_and_tabs_are_fine_in_the_content():
    complaint = services.complaint_receive(actor=SYSTEM, channel="portal",
                                           values=form(content="第一行\r\n第二行\t完"))
    assert complaint.content == "第一行\r\n第二行\t完"


def test_received_at_between_1949_10_01_and_now():
    def at(moment: dt.datetime) -> Complaint:
        return services.complaint_receive(actor=SYSTEM, channel="api", values=form(content=f"投诉内容 {moment}"),
                                          received_at=moment)

    tz = timezone.get_current_timezone()
    assert at(dt.datetime(1949, 10, 1, 0, 0, tzinfo=tz)).received_at.year == 1949
    for moment, code in ((dt.datetime(1949, 9, 30, 23, 59, tzinfo=tz), "date_out_of_range"),
                         (timezone.now() + dt.timedelta(minutes=5), "date_in_future"),
                         (dt.datetime(9999, 12, 31, tzinfo=tz), "date_in_future")):
        with pytest.raises(ValidationFailed) as refused:
            at(moment)
        assert (refused.value.code, refused.value.field) == (code, "received_at")


def test_the_same_submission_twice_is_stored_once():
    first = services.complaint_receive(actor=SYSTEM, channel="portal", values=form())
    again = services.complaint_receive(actor=SYSTEM, channel="portal", values=form(content=" 餐馆卫生条件差，有老鼠 "))
    assert again.pk == first.pk and Complaint.objects.count() == 1
    other = services.complaint_receive(actor=SYSTEM, channel="portal", values=form(content="另一件事：餐馆无证经营"))
    assert other.pk != first.pk and Complaint.objects.count() == 2


def test_the_same_submission_after_the_window_is_new(settings):
    first = services.complaint_receive(actor=SYSTEM, channel="portal", values=form())
    Complaint.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert services.complaint_receive(actor=SYSTEM, channel="portal", values=form()).pk != first.pk
    settings.JIANGUAN_COMPLAINT_DEDUP_HOURS = 30
    assert services.complaint_receive(actor=SYSTEM, channel="portal", values=form()).pk == first.pk


def test_the_api_answers_a_repeated_submission_with_the_first_id(api, persona):
    client = api(persona("scjg_officer"))
    first = client.post("/api/v1/complaints", form(), content_type="application/json")
    second = client.post("/api/v1/complaints", form(), content_type="application/json")
    assert first.status_code == 201 and second.status_code == 201
    assert second.json()["id"] == first.json()["id"] and Complaint.objects.count() == 1
    long = client.post("/api/v1/complaints", {**form(), "subject_name": "某" * 201}, content_type="application/json")
    assert long.status_code == 400 and (long.json()["code"], long.json()["field"]) == ("too_long", "subject_name")
    old = client.post("/api/v1/complaints", {**form(), "received_at": "1900-01-01T00:00:00+08:00"},
                      content_type="application/json")
    assert old.status_code == 400 and old.json()["code"] == "date_out_of_range"


def test_the_public_form_is_rate_limited_per_address(settings):
    settings.JIANGUAN_PUBLIC_COMPLAINTS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        response = client.post("/public/complaints/", form(content=f"第 {n} 件投诉的内容"))
        assert response.status_code == 200 and "TS" in response.content.decode()
    refused = client.post("/public/complaints/", form(content="第 4 件投诉的内容"))
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert "请求过于频繁" in refused.content.decode() and Complaint.objects.count() == 3
    other = Client(REMOTE_ADDR="203.0.113.8").post("/public/complaints/", form(content="另一个地址的投诉内容"))
    assert other.status_code == 200 and Complaint.objects.count() == 4


def test_the_token_endpoint_is_rate_limited_per_address(settings, officer):
    settings.JIANGUAN_TOKEN_REQUESTS_PER_MINUTE = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        response = client.post("/api/v1/auth/token", {"username": "scjg_officer", "password": "nope"},
                               content_type="application/json")
        assert response.status_code == 401
    refused = client.post("/api/v1/auth/token", {"username": "scjg_officer", "password": "nope"},
                          content_type="application/json")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60 and "请求过于频繁" in refused.json()["message"]
