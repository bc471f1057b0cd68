"""The sink: deliveries kept whole, readings idempotent, each bad input refused and counted, nothing half-stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jianguan.remote import intake
from jianguan.remote.models import Reading, Receipt, ReceiptStatus
from jianguan.remote.wire import ReadingIn
from tests.remote.world import COD, NOW, delivery, hourly, send

pytestmark = pytest.mark.django_db


def test_readings_are_stored_once_however_often_they_are_sent(point):
    first = send(point.code, hourly([50, 60, 70]))
    again = send(point.code, hourly([50, 60, 70]))
    assert (first.known, first.accepted, first.duplicates) == (True, 3, 0)
    assert (again.accepted, again.duplicates) == (0, 3)
    assert Reading.objects.filter(point=point).count() == 3
    assert Receipt.objects.filter(point=point).count() == 2  # both deliveries kept as received
    point.refresh_from_db()
    assert point.last_reading_at == NOW


def test_late_and_out_of_order_readings_are_accepted(point):
    send(point.code, hourly([50], start=NOW))
    late = send(point.code, hourly([40, 45], start=NOW - dt.timedelta(hours=5)))
    assert late.accepted == 2
    point.refresh_from_db()
    assert point.last_reading_at == NOW  # a late reading does not move the newest time back
    assert list(Reading.objects.filter(point=point).order_by("at").values_list("value", flat=True)) == [
        Decimal("40"), Decimal("45"), Decimal("50")]


def test_the_same_reading_twice_in_one_delivery_is_stored_once(point):
    outcome = send(point.code, hourly([50]) + hourly([50]))
    assert (outcome.accepted, outcome.duplicates) == (1, 1)


@pytest.mark.parametrize(("device", "password", "code"), [("NOPE", "pw123456", "device_unknown"),
                                                           ("MN0001", "wrong", "password_wrong"),
                                                           ("MN0001", None, "password_wrong")])
def test_an_unknown_device_or_a_wrong_password_refuses_the_delivery_and_is_counted(point, device, password, code):
    outcome = intake.accept(delivery(device, hourly([50]), password=password))
    assert not outcome.known
    assert [r.code for r in outcome.refused] == [code]
    assert not Reading.objects.exists()
    receipt = Receipt.objects.get()
    assert receipt.status == ReceiptStatus.UNKNOWN and bytes(receipt.raw) == b"##0001test"
    assert intake.counters()["unknown"] == 1


def test_bad_readings_are_refused_one_by_one_and_the_good_ones_stored(point):
    future = timezone.now() + dt.timedelta(hours=2)
    readings = (*hourly([50]), ReadingIn(code=COD, at=future, value=Decimal(1), period="hour", unit="mg/L"),
                ReadingIn(code=COD, at=NOW, value=Decimal(1), period="min", unit="kg/h"),
                ReadingIn(code="w99999", at=NOW, value=Decimal(1), period="hour"),
                ReadingIn(code=COD, at=dt.datetime(2026, 1, 1), value=Decimal(1), period="hour"))
    outcome = send(point.code, readings)
    assert outcome.known and outcome.accepted == 1
    assert [(r.index, r.code) for r in outcome.refused] == [
        (1, "reading_in_future"), (2, "unit_mismatch"), (3, "factor_unknown"), (4, "time_naive")]
    assert all(r.message for r in outcome.refused)
    receipt = Receipt.objects.get()
    assert (receipt.status, receipt.accepted, receipt.refused) == (ReceiptStatus.PARTIAL, 1, 4)
    assert intake.counters(point_id=point.pk)["readings_refused"] == 4


def test_a_reading_within_the_clock_tolerance_is_accepted(point, settings):
    settings.JIANGUAN_REMOTE_FUTURE_TOLERANCE_SECONDS = 600
    soon = timezone.now() + dt.timedelta(minutes=5)
    outcome = send(point.code, (ReadingIn(code=COD, at=soon, value=Decimal(1), period="rtd", unit="mg/L"),))
    assert outcome.accepted == 1 and not outcome.refused


def test_a_malformed_frame_is_kept_and_counted():
    receipt = intake.malformed(channel="hj212", raw=b"##0010QN=bad\r\n", reason="CRC 校验失败")
    assert receipt.status == ReceiptStatus.MALFORMED
    assert intake.counters()["malformed"] == 1


def test_nothing_of_a_delivery_is_stored_when_storing_fails(point, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(intake, "_insert", broken)
    with pytest.raises(RuntimeError):
        send(point.code, hourly([50, 60]))
    assert not Reading.objects.exists() and not Receipt.objects.exists()


def test_a_batch_keeps_every_delivery_and_answers_each_in_order(point):
    readings = hourly([50, 60, 70])
    outcomes = intake.accept_many([
        delivery(point.code, readings[:2]), delivery("GHOST", readings), delivery(point.code, readings[1:]),
        delivery(point.code, readings, password="wrong"), delivery(point.code, readings[:1])])
    assert [(o.known, o.accepted, o.duplicates) for o in outcomes] == [
        (True, 2, 0), (False, 0, 0), (True, 1, 1), (False, 0, 0), (True, 0, 1)]
    assert Reading.objects.filter(point=point).count() == 3 and Receipt.objects.count() == 5
    assert list(Receipt.objects.order_by("pk").values_list("status", "accepted", "duplicates")) == [
        ("accepted", 2, 0), ("unknown", 0, 0), ("accepted", 1, 1), ("unknown", 0, 0), ("accepted", 0, 1)]
    point.refresh_from_db()
    assert point.last_reading_at == readings[-1].at and point.last_seen_at is not None


def test_a_batch_moves_each_alarm_once_whatever_the_number_of_its_deliveries(point):
    from jianguan.remote.models import AlarmState, AlarmStep

    readings = hourly([150, 150, 150], start=NOW - dt.timedelta(hours=3))
    intake.accept_many([delivery(point.code, (reading,)) for reading in readings])
    state = AlarmState.objects.get(point=point, rule="cod_over_limit")
    assert state.level == 2 and state.version == 1
    assert AlarmStep.objects.filter(alarm=state).count() == 1
    intake.accept_many([delivery(point.code, readings), delivery(point.code, hourly([20], start=NOW))])
    state.refresh_from_db()
    assert state.level == 0 and list(AlarmStep.objects.filter(alarm=state).values_list("action", flat=True)) == [
        "opened", "cleared"]
