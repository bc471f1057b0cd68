"""The demo's live data end to end: the seeded points are the simulator's devices (`remote.contracts.DEMO_FLEETS`),
and the simulator run as `jianguan demo` runs it — HJ 212 frames over TCP to the receiver, MQTT messages through a
real Mosquitto broker to the subscriber — lands its readings on those points through the intake and opens the
alarms its faults call for. The receivers record what they received; the intake takes it in the test's thread."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from devsim import __main__ as cli
from jianguan.core.seeding import SeedContext
from jianguan.remote import contracts, intake, seed
from jianguan.remote.models import AlarmState, MonitoredPoint, Reading, Receipt
from jianguan.remote.receivers.mqtt import Subscriber
from jianguan.remote.receivers.sinks import Stats
from tests.joint.world import FOOD, FUEL, claim
from tests.remote.test_devsim import hj212_receiver
from tests.remote.test_receivers import Recorder, wait_for

pytestmark = pytest.mark.django_db


def fleet(channel: str) -> contracts.DemoFleet:
    return next(f for f in contracts.DEMO_FLEETS if f.channel == channel)


def simulate(command: list[str], ticks: int) -> dict:
    """Run the simulator in this process with the demo's command, `ticks` ticks without pauses."""
    args = command[command.index("devsim") + 1:]
    args[args.index("--interval") + 1] = "0"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main([*args, "--ticks", str(ticks)]) == 0
    return json.loads(out.getvalue())


def test_the_simulators_devices_are_the_seeded_points(persona):
    claim(FOOD, "scjg", persona("scjg_officer").department)
    claim(FUEL, "sthj", persona("sthj_officer").department)
    seed.seed_remote(SeedContext(scale="demo", seed=7, stdout=io.StringIO()))
    listed = seed.simulated_devices()
    points = {p.code: p for p in MonitoredPoint.objects.prefetch_related("factors")}
    assert len(listed) == sum(f.devices for f in contracts.DEMO_FLEETS)
    for chosen, device in listed:
        point = points[device["code"]]
        assert point.password_hash == intake.password_digest(contracts.DEMO_PASSWORD)
        assert point.interval_seconds == chosen.point_interval
        assert {f["code"] for f in device["factors"]} <= {f.code for f in point.factors.all()}
    assert {d["kind"] for _, d in listed} == {"pollution", "coldchain", "kitchen"}
    assert any(d["faults"] == ["exceed"] for _, d in listed)


def test_a_fleet_starts_in_the_past_on_a_whole_step():
    now = dt.datetime(2026, 12, 8, 10, 17, 42, tzinfo=dt.UTC)
    assert fleet("hj212").start(now).isoformat() == "2026-12-08T16:00:00+08:00"
    assert fleet("mqtt").start(now).isoformat() == "2026-12-08T17:32:00+08:00"
    command = contracts.devsim_command(fleet("mqtt"), hj212="h:1", mqtt="m:2", now=now)
    assert "--follow-clock" in command and command[command.index("--mqtt") + 1] == "m:2"


def test_live_data_through_the_receivers_lands_on_the_points_and_opens_alarms(persona, mosquitto):
    claim(FOOD, "scjg", persona("scjg_officer").department)
    claim(FUEL, "sthj", persona("sthj_officer").department)
    seed.seed_remote(SeedContext(scale="demo", seed=7, stdout=io.StringIO()))
    sink, stats = Recorder(), Stats()
    subscriber = Subscriber(sink, stats, client_id=f"demo-flow-{id(sink)}")
    subscriber.start(mosquitto.host, mosquitto.port)
    now = timezone.now()
    try:
        assert subscriber.subscribed.wait(10)
        with hj212_receiver(sink) as (port, tcp_stats):
            hj = simulate(contracts.devsim_command(fleet("hj212"), hj212=f"127.0.0.1:{port}",
                                                   mqtt=f"{mosquitto.host}:{mosquitto.port}", now=now), 3)
            mq = simulate(contracts.devsim_command(fleet("mqtt"), hj212=f"127.0.0.1:{port}",
                                                   mqtt=f"{mosquitto.host}:{mosquitto.port}", now=now), 40)
            assert wait_for(lambda: len(sink.deliveries) == hj["hj212"]["frames"] + mq["mqtt"]["messages"], 30)
    finally:
        subscriber.stop()
    assert hj["hj212"]["9014"] == hj["hj212"]["frames"] == 4 * 3  # every frame answered (recorder: accepted)
    assert not stats.malformed and not tcp_stats.malformed
    outcomes = [intake.accept(delivery) for delivery in sink.deliveries]
    assert all(o.known and not o.refused for o in outcomes)
    received = set(Reading.objects.values_list("point__code", flat=True))
    cold = [d["code"] for _, d in seed.simulated_devices() if d["kind"] != "kitchen"]
    assert set(cold) <= received
    assert Receipt.objects.filter(channel="hj212").count() == 12
    listed = {d["code"]: d for _, d in seed.simulated_devices()}
    hot = [code for code, d in listed.items() if d["kind"] == "coldchain" and d["faults"] == ["exceed"]]
    assert hot and set(AlarmState.objects.filter(rule="temp_high", level__gt=0)
                       .values_list("point__code", flat=True)) == set(hot)  # 40 minutes above 8 ℃
    assert not AlarmState.objects.filter(point__code__in=listed, rule="offline", level__gt=0).exists()
