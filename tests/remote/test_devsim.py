"""The device simulator against the real receivers: HJ 212 over TCP, MQTT through Mosquitto, the HTTP batch API
(a recording HTTP server standing in for the API), each fault visible on the wire."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from devsim import __main__ as cli
from devsim.devices import EVENTS, Device, fleet
from jianguan.remote.protocols.hj212 import CHINA
from jianguan.remote.protocols.readings import readings_of
from jianguan.remote.receivers import hj212 as tcp
from jianguan.remote.receivers.mqtt import Subscriber
from jianguan.remote.receivers.sinks import Feeder, Stats
from tests.remote.test_receivers import Recorder, wait_for

START = "2026-12-07T10:00:00+08:00"


def run(*args: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["--interval", "0", "--start", START, *args]) == 0
    return json.loads(out.getvalue())


@contextlib.contextmanager
def hj212_receiver(sink):
    loop = asyncio.new_event_loop()
    stats = Stats()
    started = threading.Event()
    address: list[int] = []

    async def main(stop: asyncio.Event) -> None:
        feeder = Feeder(sink, stats)
        feeder.start()
        server = tcp.Server(feeder, stats)
        address.append((await server.start("127.0.0.1", 0))[1])
        started.set()
        await stop.wait()
        await server.stop()
        await feeder.stop()

    stop = asyncio.Event()
    thread = threading.Thread(target=lambda: loop.run_until_complete(main(stop)))
    thread.start()
    assert started.wait(10)
    try:
        yield address[0], stats
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


def test_hj212_devices_with_bad_crc_and_replays(tmp_path):
    sink = Recorder()
    with hj212_receiver(sink) as (port, stats):
        summary = run("--devices", "3", "--channels", "hj212", "--hj212", f"127.0.0.1:{port}", "--ticks", "5",
                      "--faults", "bad_crc,replays", "--fault-share", "0.34")
    # the faulty device: 5 frames, 2 of them corrupt (ticks 1 and 4), each sent again; the other two: 5 frames each
    assert summary["hj212"] == {"frames": 20, "corrupted": 2, "replayed": 5, "9014": 16, "9011:QnRtn=9": 4}
    assert stats.malformed == {"crc_mismatch": 4} and len(sink.deliveries) == 16
    per_device = Counter(d.device for d in sink.deliveries)
    assert sorted(per_device.values()) == [5, 5, 6]
    first = sink.deliveries[0]
    assert [r.code for r in first.readings] == ["w01018", "w21003", "w01001", "w00000"]
    assert first.readings[0].at == datetime.fromisoformat(START) and first.password == "123456"
    assert Decimal(20) < first.readings[0].value < Decimal(70)  # 化学需氧量 around its baseline


def test_mqtt_devices_with_wrong_password_and_flat_lines(mosquitto):
    sink, stats = Recorder(), Stats()
    subscriber = Subscriber(sink, stats, client_id=f"devsim-test-{time.time_ns()}")
    subscriber.start(mosquitto.host, mosquitto.port)
    try:
        assert subscriber.subscribed.wait(10)
        summary = run("--devices", "8", "--channels", "mqtt", "--mqtt", f"{mosquitto.host}:{mosquitto.port}",
                      "--ticks", "3", "--faults", "wrong_password,flat", "--fault-share", "1")
        assert wait_for(lambda: len(sink.deliveries) == summary["mqtt"]["messages"])
    finally:
        subscriber.stop()
    cold = [d for d in sink.deliveries if d.kind == "coldchain"]
    assert len(cold) == 6 * 3 and {d.password for d in sink.deliveries} == {"123456x"}
    for device in {d.device for d in cold}:
        temps = {d.readings[0].value for d in cold if d.device == device}
        assert len(temps) == 1  # a flat line
    events = [r for d in sink.deliveries if d.kind == "kitchen" for r in d.readings]
    assert all(r.period == "event" and r.code in EVENTS and r.value is None for r in events)
    assert not stats.malformed


class Api(BaseHTTPRequestHandler):
    posts: list[tuple[str, dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Api.posts.append((self.headers["X-API-Key"], body))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_http_batches_with_bursts():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    Api.posts.clear()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/v1/remote/readings"
        summary = run("--devices", "2", "--channels", "http", "--http", url, "--api-key", "k-1", "--ticks", "5",
                      "--faults", "bursts", "--fault-share", "0.5")
    finally:
        server.shutdown()
        thread.join()
    assert summary["http"] == {"http_202": 10}
    devices = [body["device"] for _, body in Api.posts]
    steady = devices[0]
    (bursty,) = set(devices) - {steady}
    first = devices.index(bursty)  # held back for four ticks, then sent at once
    assert devices[:4] == [steady] * 4 and first >= 4 and devices[first:first + 5] == [bursty] * 5
    assert {key for key, _ in Api.posts} == {"k-1"}
    readings = readings_of(Api.posts[0][1]["readings"])
    assert [r.code for r in readings] == ["temp", "humidity"] and readings[0].unit == "℃"


def device(*faults: str) -> Device:
    return Device("D1", "pharmacy", "http", "pw", frozenset(faults), random.Random(1))


def test_value_faults():
    at = datetime.fromisoformat(START)
    plain, drifting, exceeding = device(), device("drift"), device("exceed")
    plain.ticks = drifting.ticks = 50
    assert drifting.values(at)["temp"][0] - plain.values(at)["temp"][0] == Decimal("5.0")  # 2 % of 5 ℃ per tick
    assert exceeding.values(at)["temp"][0] > Decimal("10")
    gappy = device("gaps")
    pattern = []
    for tick in range(15):
        gappy.ticks = tick
        pattern.append(gappy.sends_now())
    assert pattern == [True] * 10 + [False] * 5


def test_the_simulator_needs_no_django():
    code = "import sys, devsim.__main__, devsim.senders; print('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_bad_options_are_refused():
    assert cli.main(["--devices", "0"]) == 2


def test_one_fault_each_spreads_the_faults_over_the_faulty_devices():
    devices = fleet(10, ("mqtt",), faults=("exceed", "drift", "gaps"), fault_share=0.3, one_fault_each=True)
    assert sorted(tuple(d.faults) for d in devices if d.faults) == [("drift",), ("exceed",), ("gaps",)]
    together = fleet(10, ("mqtt",), faults=("exceed", "drift"), fault_share=0.2)
    assert [d.faults for d in together if d.faults] == [frozenset({"exceed", "drift"})] * 2


def test_following_the_clock_sends_the_backlog_at_once_and_nothing_from_the_future(monkeypatch):
    sent: list[datetime] = []
    monkeypatch.setattr(cli.Hj212Sender, "tick", lambda self, device, at: sent.append(at))
    monkeypatch.setattr(cli.Hj212Sender, "finish", lambda self, timeout: None)
    waits: list[float] = []
    monkeypatch.setattr(cli.time, "sleep", lambda seconds: (waits.append(seconds), cli.os.kill(cli.os.getpid(),
                                                                                                signal.SIGTERM)))
    start = (datetime.now(CHINA) - timedelta(minutes=3)).replace(microsecond=0)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["--devices", "1", "--channels", "hj212", "--interval", "0", "--step", "60",
                         "--start", start.isoformat(), "--follow-clock"]) == 0
    assert sent == [start + timedelta(minutes=i) for i in range(4)]  # the backlog up to now, then a wait
    assert len(waits) == 1 and 0 < waits[0] <= 0.2 and json.loads(out.getvalue())["ticks"] == 4
