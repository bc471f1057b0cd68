"""A throw-away Mosquitto broker on a free loopback port in a temporary directory, for the tests (like
`tests/pgcluster.py` for PostgreSQL): `broker, stop = start()`; the session fixture `mosquitto` gives the Broker
(`host`, `port`). Mosquitto comes from `scripts/system-packages`."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jianguan.remote import broker


def start() -> tuple[broker.Broker, Callable[[], None]]:
    base = Path(tempfile.mkdtemp(prefix="jianguan-mqtt-"))
    running = broker.start(base)

    def stop() -> None:
        running.stop()
        shutil.rmtree(base, ignore_errors=True)

    return running, stop


@pytest.fixture(scope="session")
def mosquitto() -> Iterator[broker.Broker]:
    running, stop = start()
    yield running
    stop()
