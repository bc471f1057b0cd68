"""Two workers evaluating the same readings at once, on PostgreSQL: one alarm, one change, never two."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection, transaction

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.remote import alarms, intake
from jianguan.remote.models import AlarmState, AlarmStep, Factor, MonitoredPoint
from jianguan.subjects.models import MarketEntity
from tests.core.test_numbering import _wait_until_one_waits_for_a_lock
from tests.remote.world import COD, NOW, delivery, hourly


def _point(code: str) -> MonitoredPoint:
    department = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    entity = MarketEntity.objects.order_by("uscc").first()
    point = MonitoredPoint.objects.create(code=code, name="总排口", kind="pollution", department=department,
                                         region=entity.region, entity=entity, implementation_code="X",
                                         interval_seconds=3600)
    Factor.objects.create(point=point, code=COD, name="化学需氧量", unit="mg/L", upper=100, basis="许可证")
    return point


def _store(point: MonitoredPoint, values) -> None:
    sent = delivery(point.code, hourly(values), password=None)
    with transaction.atomic():
        intake.store(sent, intake.check(sent))


def _in_thread(target, *args):
    def run():
        try:
            target(*args)
        finally:
            connection.close()

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_waits_for_the_first_and_changes_nothing(seeded_live_db):
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time, taken at BEGIN: two evaluations cannot interleave.
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    point = _point("RACE01")
    _store(point, [150, 150, 150])
    first_holds, release = threading.Event(), threading.Event()
    done: dict[str, list] = {}

    def first():
        with transaction.atomic():  # the first worker's changes stay uncommitted (and locked) until released
            done["first"] = alarms.evaluate_point(point_id=point.pk, as_of=NOW)
            first_holds.set()
            release.wait(60)

    def second():
        first_holds.wait(60)
        done["second"] = alarms.evaluate_point(point_id=point.pk, as_of=NOW)

    threads = [_in_thread(first), _in_thread(second)]
    for thread in threads:
        thread.start()
    try:
        first_holds.wait(60)
        _wait_until_one_waits_for_a_lock()
        assert "second" not in done  # it queues behind the first worker's row
    finally:
        release.set()
        for thread in threads:
            thread.join(60)
    assert [c.rule for c in done["first"]] == ["cod_over_limit", "cod_repeated"]
    assert done["second"] == []
    assert AlarmState.objects.filter(point=point, rule="cod_over_limit").count() == 1
    assert list(AlarmStep.objects.filter(alarm__point=point).values_list("action", flat=True)) == ["opened"] * 2


@pytest.mark.django_db(transaction=True)
def test_the_same_delivery_in_two_workers_at_once_gives_one_set_of_readings_and_alarms(seeded_live_db):
    if connection.vendor != "postgresql":
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    points = [_point(f"RACE1{i}") for i in range(4)]
    start = threading.Barrier(2)
    outcomes = []

    def worker():
        for point in points:
            start.wait(30)
            outcomes.append(intake.accept(delivery(point.code, hourly([150, 150, 150]), password=None)))

    threads = [_in_thread(worker), _in_thread(worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sum(o.accepted for o in outcomes) == 3 * len(points)
    assert sum(o.duplicates for o in outcomes) == 3 * len(points)
    for point in points:
        assert AlarmState.objects.filter(point=point, rule="cod_over_limit", level=2).count() == 1
        assert AlarmStep.objects.filter(alarm__point=point, alarm__rule="cod_over_limit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_batches_of_the_same_points_in_opposite_orders_neither_deadlock_nor_double(seeded_live_db):
    if connection.vendor != "postgresql":
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    points = [_point(f"RACE2{i}") for i in range(6)]
    sent = [delivery(point.code, hourly([150, 150, 150]), password=None) for point in points]
    start = threading.Barrier(2)
    outcomes = []

    def worker(deliveries):
        start.wait(30)
        outcomes.extend(intake.accept_many(deliveries))

    threads = [_in_thread(worker, sent), _in_thread(worker, list(reversed(sent)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(outcomes) == 2 * len(points)
    assert sum(o.accepted for o in outcomes) == sum(o.duplicates for o in outcomes) == 3 * len(points)
    for point in points:
        assert AlarmState.objects.filter(point=point, rule="cod_over_limit", level=2).count() == 1
        assert AlarmStep.objects.filter(alarm__point=point, alarm__rule="cod_over_limit").count() == 1
