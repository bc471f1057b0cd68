"""MQTT topics and JSON readings: one scheme for every kind, refusals for anything else."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from jianguan.remote.protocols import readings, topics
from jianguan.remote.wire import Delivery, ReadingIn, Refusal

TOPIC = "jianguan/coldchain/LL-0001/readings"


def message(*items: dict, **extra) -> bytes:
    return json.dumps({"readings": list(items), **extra}).encode()


def test_a_message_becomes_a_delivery_with_exact_decimals():
    body = message({"code": "temp", "at": "2026-12-07T10:00:00+08:00", "value": 4.1, "unit": "℃"},
                   {"code": "temp", "at": "2026-12-07T10:01:00Z", "value": "4.30", "flag": "M"},
                   password="s3cret", sent_at="2026-12-07T10:01:05+08:00")
    delivery = topics.parse(TOPIC, body)
    assert isinstance(delivery, Delivery)
    assert (delivery.channel, delivery.kind, delivery.device, delivery.password) == ("mqtt", "coldchain", "LL-0001",
                                                                                   "s3cret")
    first, second = delivery.readings
    assert (first.value, first.unit, first.period, first.flag) == (Decimal("4.1"), "℃", "rtd", "N")
    assert (second.value, second.flag, second.at) == (Decimal("4.30"), "M",
                                                      datetime(2026, 12, 7, 10, 1, tzinfo=UTC))
    assert delivery.sent_at == datetime(2026, 12, 7, 2, 1, 5, tzinfo=UTC)
    assert delivery.raw == body


def test_events_default_to_the_event_period_and_times_without_zone_are_beijing():
    delivery = topics.parse("jianguan/kitchen/cam-7/events", message({"code": "no_hat", "at": "2026-12-07T12:00:00",
                                                                      "value": None}))
    (event,) = delivery.readings
    assert (event.period, event.value) == ("event", None)
    assert event.at.utcoffset() == timedelta(hours=8)


def test_payload_round_trip():
    sent = (ReadingIn("temp", datetime(2026, 12, 7, 10, tzinfo=UTC), Decimal("-18.25"), unit="℃"),)
    delivery = topics.parse(topics.topic("coldchain", "LL-1"), topics.payload(sent, password="pw"))
    assert delivery.readings == sent and delivery.password == "pw"


@pytest.mark.parametrize("name", ["jianguan/coldchain/LL-1", "jianguan/Cold/LL-1/readings", "other/cold/LL-1/readings",
                                  "jianguan/cold/LL 1/readings", "jianguan/cold/LL-1/readings/x",
                                  "jianguan/cold/LL-1/status"])
def test_unknown_topics_are_refused(name):
    refusal = topics.parse(name, message({"code": "t", "at": "2026-12-07T10:00:00Z", "value": 1}))
    assert refusal == Refusal(None, "unknown_topic", refusal.message)


@pytest.mark.parametrize(("body", "code", "index"), [
    (b"{not json", "bad_json", None),
    (b"\xff\xfe", "bad_json", None),
    (b"[1, 2]", "bad_json", None),
    (json.dumps({"readings": [], "x": 1}).encode(), "unknown_field", None),
    (json.dumps({"readings": []}).encode(), "bad_readings", None),
    (json.dumps({"readings": [{"code": "t", "at": "2026-12-07T10:00:00Z"}] * 1001}).encode(), "too_many", None),
    (b" " * (topics.MAX_PAYLOAD + 1), "too_long", None),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z"}, sent_at="yesterday"), "bad_time", None),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z"}, password=5), "bad_password", None),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z"}, {"code": "t", "at": "soon"}), "bad_time", 1),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z", "value": True}), "bad_value", 0),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z", "value": "NaN"}), "bad_value", 0),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z", "value": "abc"}), "bad_value", 0),
    (message({"code": "t ", "at": "2026-12-07T10:00:00Z"}), "bad_code", 0),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z", "period": "week"}), "bad_period", 0),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z", "flag": "NN"}), "bad_flag", 0),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z", "unit": "x" * 17}), "bad_unit", 0),
    (message({"code": "t", "at": "2026-12-07T10:00:00Z", "colour": "red"}), "unknown_field", 0),
    (message("t"), "bad_reading", 0),
])
def test_bad_messages_are_refused_whole(body, code, index):
    refusal = topics.parse(TOPIC, body)
    assert isinstance(refusal, Refusal)
    assert (refusal.code, refusal.index) == (code, index) and refusal.message


def test_readings_of_is_shared_with_the_batch_api():
    assert readings.readings_of("not a list") == Refusal(None, "bad_readings", "readings 须为非空的数组")
    (reading,) = readings.readings_of([{"code": "w01018", "at": "2026-12-07T10:00:00+08:00", "value": "12.5",
                                        "period": "hour"}])
    assert (reading.period, reading.value) == ("hour", Decimal("12.5"))


def test_the_http_batch_body_becomes_a_delivery():
    body = {"device": "SIMHT0001", "readings": [{"code": "temp", "at": "2026-12-07T10:00:00+08:00", "value": "4.8"}]}
    delivery = readings.http_delivery(body, b"raw")
    assert (delivery.channel, delivery.device, delivery.raw, delivery.readings[0].value) == (
        "http", "SIMHT0001", b"raw", Decimal("4.8"))
    assert readings.http_delivery([], b"").code == "bad_json"
    assert readings.http_delivery({**body, "x": 1}, b"").code == "unknown_field"
    assert readings.http_delivery({**body, "device": "a b"}, b"").code == "bad_device"
    assert readings.http_delivery({**body, "readings": [{"code": "t"}]}, b"") == Refusal(
        0, "bad_time", "第 1 条读数：at 须为 ISO 8601 时间文本")
