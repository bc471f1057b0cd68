"""`jianguan remote_receive` as a real process: both receivers started from the settings, the sink resolved from
JIANGUAN_REMOTE_SINK, a clean stop on SIGTERM with what it counted."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from jianguan.remote.protocols import hj212, topics
from jianguan.remote.receivers import sinks
from jianguan.remote.wire import ReadingIn
from tests.remote.test_hj212 import data_frame
from tests.remote.test_receivers import publisher, wait_for

ROOT = Path(__file__).resolve().parents[2]


def test_remote_receive_runs_both_receivers_until_stopped(tmp_path, mosquitto):
    record = tmp_path / "deliveries.txt"
    env = {**os.environ, "JIANGUAN_VAR_DIR": str(tmp_path / "var"), "REMOTE_TEST_SINK_FILE": str(record),
           "JIANGUAN_REMOTE_SINK": "tests.remote.filesink.accept", "JIANGUAN_REMOTE_MQTT_PORT": str(mosquitto.port),
           "JIANGUAN_REMOTE_MQTT_CLIENT_ID": f"command-test-{os.getpid()}"}
    process = subprocess.Popen([sys.executable, "-m", "jianguan", "remote_receive", "--hj212-port", "0"], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        host, port = process.stdout.readline().split()[-1].split(":")
        assert process.stdout.readline().startswith("mqtt subscribed at")
        with socket.create_connection((host, int(port)), timeout=10) as device:
            device.sendall(data_frame())
            assert hj212.parse(device.makefile("rb").readline()).cn == "9014"
        reading = ReadingIn("temp", datetime(2026, 12, 7, tzinfo=UTC), Decimal("4.0"))
        client = publisher(mosquitto)
        client.publish(topics.topic("coldchain", "LL-9"), topics.payload([reading]), qos=1).wait_for_publish(5)
        assert wait_for(lambda: len(record.read_text().splitlines()) == 2, 20)
        client.loop_stop()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert sorted(record.read_text().splitlines()) == ["hj212 010000A8900016F000169DC0 1", "mqtt LL-9 1"]
    counted = json.loads(out.strip().splitlines()[-1])
    assert counted["hj212"]["deliveries"] == 1 and counted["mqtt"]["deliveries"] == 1
    assert counted["mqtt_events"]["deliveries"] == 0  # events have their own session


def test_a_sink_that_cannot_be_imported_stops_the_command():
    with override_settings(JIANGUAN_REMOTE_SINK="tests.remote.nowhere.accept"), pytest.raises(CommandError):
        call_command("remote_receive", "--no-mqtt", "--no-hj212")
    with pytest.raises(ImportError):
        sinks.resolve("accept")
