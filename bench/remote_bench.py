"""Non-on-site supervision's ingestion (issue 20): readings per second through the real receivers — HJ 212 frames
over TCP and MQTT messages through Mosquitto, together — into the intake (readings stored, rules evaluated), with the
receiver's memory along the run and the latency from a reading to its alarm.

    python -m bench.remote_bench [--points 2000] [--seconds 20]

Builds a fresh SQLite database (`jianguan seed --scale test`, then `prepare`: half the points pollution monitors
reporting four factors over HJ 212, half cold stores reporting two over MQTT, and 40 kitchen cameras for the
latency probes), starts Mosquitto and `jianguan remote_receive`, and sends every point one reading set per tick
for `--seconds` at the goal rate, as fast as the receivers take them (frames and messages built before the clock
starts; HJ 212 over 8 connections, MQTT QoS 1 from one client). Reported: readings stored per second (first frame
sent to the last reading stored, or to the end of `--window` when they are not all stored by then), the receiver's
resident memory after a quarter, half and all of the window (flat: memory does not grow with the total), and while
the load runs, one `rodent` event every half second on a camera — its alarm opens at once —
timed from publishing to the alarm row (p50, p95). Baseline in the same run and database, in-process: one ORM
`save()` and one rule query (the point's readings of the rule's window) per reading. Goals: ≥ 10,000 readings/s
with flat memory; alarm p95 ≤ 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import select
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

GOAL_RATE = 10_000
GOAL_P95 = 1.0
CAMERAS = 40
CHINA = dt.timezone(dt.timedelta(hours=8))


def prepare(points: int) -> None:
    """In the database of `JIANGUAN_VAR_DIR`: the bench's points on one entity of the test organisation."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.config.settings")
    django.setup()
    from jianguan.accounts.models import Department
    from jianguan.remote.models import Factor, MonitoredPoint
    from jianguan.subjects.models import MarketEntity

    department = Department.objects.filter(kind="sthj").first() or Department.objects.first()
    entity = MarketEntity.objects.first()
    assert department is not None and entity is not None
    made = [MonitoredPoint(code=f"BHJ{i:05d}" if i < points // 2 else f"BMQ{i:05d}", name="bench",
                           kind="pollution" if i < points // 2 else "cold_chain", department=department,
                           region=entity.region, entity=entity, implementation_code="bench", interval_seconds=3600)
            for i in range(points)]
    made += [MonitoredPoint(code=f"BCAM{i:03d}", name="bench camera", kind="kitchen_video", department=department,
                            region=entity.region, entity=entity, implementation_code="bench", interval_seconds=3600)
             for i in range(CAMERAS)]
    MonitoredPoint.objects.bulk_create(made, batch_size=500)
    factors = []
    for point in MonitoredPoint.objects.all():
        if point.kind == "pollution":
            factors += [Factor(point=point, code=c, name=c, unit=u, upper=up, basis="bench" if up else "")
                        for c, u, up in (("w01018", "mg/L", Decimal(100)), ("w21003", "mg/L", Decimal(15)),
                                         ("w01001", "", None), ("w00000", "L/s", None))]
        elif point.kind == "cold_chain":
            factors += [Factor(point=point, code="temp", name="temp", unit="℃", lower=Decimal(2), upper=Decimal(8),
                               basis="bench"), Factor(point=point, code="humidity", name="humidity", unit="%")]
        else:
            factors += [Factor(point=point, code="rodent", name="rodent")]
    Factor.objects.bulk_create(factors, batch_size=2000)


def baseline(readings: int) -> float:
    """Readings per second with one ORM save and one rule query per reading (in-process, same database)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.config.settings")
    django.setup()
    from jianguan.remote.models import MonitoredPoint, Reading, Receipt

    points = list(MonitoredPoint.objects.filter(kind="cold_chain")[:100])
    receipt = Receipt.objects.create(channel="bench", device="baseline", raw=b"", sha256="0" * 64, status="accepted")
    start = dt.datetime(2026, 1, 1, tzinfo=CHINA)
    began = time.perf_counter()
    for i in range(readings):
        point, at = points[i % len(points)], start + dt.timedelta(minutes=i // len(points))
        Reading(point=point, code="temp", at=at, period="min", value=Decimal("4.2"), receipt=receipt).save()
        list(Reading.objects.filter(point=point, code="temp", period="min", at__gt=at - dt.timedelta(minutes=30),
                                    at__lte=at).values_list("at", "value"))
    return readings / (time.perf_counter() - began)


def frames(points: int, ticks: int) -> tuple[list[list[bytes]], list[list[tuple[str, bytes]]], int]:
    """Per tick: the HJ 212 frames and the MQTT (topic, payload) messages of every point; readings per tick."""
    from jianguan.remote.protocols import hj212, topics
    from jianguan.remote.wire import ReadingIn

    start = dt.datetime.now(CHINA).replace(microsecond=0) - dt.timedelta(minutes=ticks + 5)
    hj, mq = [], []
    for tick in range(ticks):
        at = start + dt.timedelta(minutes=tick)
        hj.append([hj212.frame(hj212.segment(
            qn=hj212.qn_of(at), st="32", cn="2051", pw="123456", mn=f"BHJ{i:05d}", flag=5,
            cp=hj212.data_cp(at, {"w01018": (Decimal("42.1"), "N"), "w21003": (Decimal("2.41"), "N"),
                                  "w01001": (Decimal("7.20"), "N"), "w00000": (Decimal("35.0"), "N")},
                             suffix="Avg"))) for i in range(points // 2)])
        mq.append([(topics.topic("coldchain", f"BMQ{i:05d}"), topics.payload(
            [ReadingIn("temp", at, Decimal("4.2"), period="min", unit="℃"),
             ReadingIn("humidity", at, Decimal(65), period="min", unit="%")])) for i in range(points // 2, points)])
    return hj, mq, (points // 2) * 4 + (points - points // 2) * 2


def rss(pid: int) -> int:
    """Resident memory of a process, MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def stored(database: Path) -> int:
    with sqlite3.connect(database, timeout=30) as db:
        return db.execute("SELECT count(*) FROM remote_reading").fetchone()[0]


def measure(points: int, seconds: float, window: float) -> list[dict]:
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    from bench.run import environment, machine, manage
    from jianguan.remote import broker
    from jianguan.remote.protocols import topics
    from jianguan.remote.wire import ReadingIn

    with tempfile.TemporaryDirectory(prefix="jianguan-bench-remote-") as var:
        env = environment(Path(var))
        database = Path(var) / "jianguan.sqlite3"
        manage(env, "migrate")
        manage(env, "seed", "--scale", "test", "--no-progress")
        subprocess.run([sys.executable, "-m", "bench.remote_bench", "prepare", str(points)], env=env, check=True)
        base_rate = float(subprocess.run([sys.executable, "-m", "bench.remote_bench", "baseline", "5000"], env=env,
                                         check=True, capture_output=True, text=True).stdout)
        mosquitto = broker.start(Path(var) / "mosquitto")
        env.update(JIANGUAN_REMOTE_MQTT_PORT=str(mosquitto.port), JIANGUAN_REMOTE_MQTT_CLIENT_ID="bench-receiver")
        receiver = subprocess.Popen([sys.executable, "-m", "jianguan", "remote_receive", "--hj212-port", "0"],
                                    env=env, stdout=subprocess.PIPE, text=True)
        try:
            assert receiver.stdout is not None
            host, port = receiver.stdout.readline().split()[-1].split(":")
            receiver.stdout.readline()
            ticks = max(2, round(seconds * GOAL_RATE / ((points // 2) * 6)))
            hj, mq, per_tick = frames(points, ticks)
            total = per_tick * ticks
            before = stored(database)
            sockets = [socket.create_connection((host, int(port))) for _ in range(8)]
            client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-sender", protocol=paho.MQTTv311)
            client.max_queued_messages_set(0)
            client.max_inflight_messages_set(1000)
            client.connect(mosquitto.host, mosquitto.port)
            client.loop_start()
            probe_pub = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-probe")
            probe_pub.connect(mosquitto.host, mosquitto.port)
            probe_pub.loop_start()
            latencies: list[float] = []
            unanswered: list[str] = []
            done = threading.Event()

            def probes() -> None:
                with sqlite3.connect(database, timeout=30) as db:
                    ids = dict(db.execute("SELECT code, id FROM remote_monitoredpoint WHERE code LIKE 'BCAM%'"))
                for i in range(CAMERAS):
                    if done.is_set():
                        break
                    code = f"BCAM{i:03d}"
                    body = topics.payload([ReadingIn("rodent", dt.datetime.now(CHINA), None, period="event")])
                    sent = time.perf_counter()
                    probe_pub.publish(topics.topic("kitchen", code, "events"), body, qos=1)
                    # a probe already published is waited for (up to 30 s) even when the load ends meanwhile
                    while not done.is_set() or time.perf_counter() - sent < 30:
                        with sqlite3.connect(database, timeout=30) as db:
                            if db.execute("SELECT 1 FROM remote_alarmstate WHERE point_id = ? AND level > 0",
                                          (ids[code],)).fetchone():
                                latencies.append(time.perf_counter() - sent)
                                break
                        time.sleep(0.01)
                    else:
                        unanswered.append(code)
                    time.sleep(0.5)

            memory: list[tuple[str, int]] = [("start", rss(receiver.pid))]
            prober = threading.Thread(target=probes)
            began = time.perf_counter()
            prober.start()
            for tick in range(ticks):
                for index, frame in enumerate(hj[tick]):
                    sockets[index % len(sockets)].sendall(frame)
                for topic, payload in mq[tick]:
                    client.publish(topic, payload, qos=1)
                for sock in select.select(sockets, [], [], 0)[0]:
                    sock.recv(1 << 20)  # the 9014 answers
            sent_at = time.perf_counter() - began
            marks = [window / 4, window / 2, window]
            while (count := stored(database) - before) < total and (now := time.perf_counter() - began) < window:
                while marks and now >= marks[0]:
                    memory.append((f"{marks.pop(0):.0f} s", rss(receiver.pid)))
                for sock in select.select(sockets, [], [], 0)[0]:
                    sock.recv(1 << 20)
                time.sleep(0.05)
            elapsed = time.perf_counter() - began
            count = stored(database) - before
            memory += [(f"{mark:.0f} s", rss(receiver.pid)) for mark in marks]
            done.set()
            prober.join(60)
            load = os.getloadavg()
            for sock in sockets:
                sock.close()
            client.loop_stop()
            probe_pub.loop_stop()
        finally:
            receiver.terminate()
            receiver.communicate(timeout=60)
            mosquitto.stop()
    rate = count / elapsed
    # a probe whose alarm did not open before the window closed counts as slower than any measured
    ranked = sorted(latencies) + [float("inf")] * len(unanswered)
    p50 = statistics.median(ranked) if ranked else float("inf")
    p95 = ranked[max(0, math.ceil(0.95 * len(ranked)) - 1)] if ranked else float("inf")
    where = (f"{points} points ({points // 2} HJ 212 × 4 factors over 8 TCP connections, {points - points // 2} MQTT "
             f"× 2 factors, QoS 1, one Mosquitto), {ticks} ticks, {count:,} of {total:,} readings stored in "
             f"{elapsed:.1f} s (window {window:.0f} s; sending took {sent_at:.1f} s); SQLite; receiver RSS MiB "
             f"{', '.join(f'{label} {mib}' for label, mib in memory)}; load average {load[0]:.1f}/{load[1]:.1f} on a "
             f"machine shared with other work; {machine()}")
    return [{"name": "remote ingestion, HJ 212 + MQTT through the receivers into the intake, SQLite",
             "figure": round(rate), "unit": "readings/s", "detail": where,
             "baseline": "one ORM save() and one rule query per reading, in-process",
             "baseline_figure": round(base_rate), "ratio": round(rate / base_rate, 2),
             "goal": f">= {GOAL_RATE:,} readings/s, flat memory", "met": rate >= GOAL_RATE},
            {"name": "remote alarm latency, reading published to alarm stored, under the ingestion load",
             "figure": round(p95 * 1000) if math.isfinite(p95) else round(elapsed * 1000), "unit": "ms (p95)",
             "detail": f"{len(ranked)} rodent events on kitchen cameras over MQTT, one every 0.5 s after the last "
                       f"alarm, while the ingestion row's load ran: {len(latencies)} alarms opened within the window "
                       f"(p50 {p50 * 1000:.0f} ms), {len(unanswered)} not before it closed (counted as slower than "
                       f"{elapsed:.0f} s); load average {load[0]:.1f}",
             "goal": f"p95 <= {GOAL_P95 * 1000:.0f} ms", "met": p95 <= GOAL_P95}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", nargs="?", choices=("measure", "prepare", "baseline"), default="measure")
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=20, help="load offered: seconds of readings at the goal rate")
    parser.add_argument("--window", type=float, default=90, help="seconds the stored readings are counted over")
    options = parser.parse_args()
    if options.step == "prepare":
        prepare(options.count)
    elif options.step == "baseline":
        print(f"{baseline(options.count):.1f}")
    else:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the receiver and the broker on the way out
        print(json.dumps(measure(options.count, options.seconds, options.window), ensure_ascii=False))


if __name__ == "__main__":
    main()
