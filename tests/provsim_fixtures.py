"""The provincial platform simulator as a real process, for tests that talk to it over HTTP.

    from tests.provsim_fixtures import provsim_fixture, running_simulator  # noqa: F401 (the fixture `provsim`)

    def test_push(provsim):
        status, receipt = provsim.send([...], standard="inspection")

    with running_simulator(tmp_path, timeliness_days=30) as (base_url, token, public_key):
        ...

Options of ``running_simulator`` are the command-line options with underscores (``data``, ``token``,
``signing_seed``, ``stall_limit``, ``timeliness_days``, ``max_records``, ``quiet``); the data directory defaults
to ``tmp_path / "provsim"`` and the token to ``TOKEN``. The process's log is ``<data>.log``.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest

REPO = Path(__file__).resolve().parent.parent
TOKEN = "provsim-test-token"
START_TIMEOUT = 30.0
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy from the env


class Simulator(NamedTuple):
    """What a running simulator is reached by; unpacks as (base_url, token, public_key)."""

    base_url: str
    token: str
    public_key: str

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None, token: str | None = None,
             timeout: float = 30.0) -> tuple[int, Any]:
        """One HTTP call; returns (status, decoded JSON). ``token=""`` sends no Authorization header."""
        data = raw if raw is not None else (None if body is None else json.dumps(body, ensure_ascii=False).encode())
        token = self.token if token is None else token
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
            self.base_url + path, data=data, method=method, headers=headers)
        try:
            with _opener.open(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as e:
            with e:
                return e.code, json.loads(e.read())

    def send(self, records: list[dict[str, Any]], *, source: str = "421200", batch: str = "2026030200001",
             standard: str = "inspection", timeout: float = 30.0) -> tuple[int, Any]:
        """``POST /api/batches``."""
        body = {"source": source, "batch": batch, "standard": standard, "records": records}
        return self.call("POST", "/api/batches", body, timeout=timeout)

    def control(self, **settings: Any) -> dict[str, Any]:
        status, body = self.call("POST", "/_control", settings)
        assert status == 200, body
        return body

    def stats(self) -> dict[str, Any]:
        status, body = self.call("GET", "/_stats")
        assert status == 200, body
        return body

    def records(self, **query: str) -> list[dict[str, Any]]:
        path = "/_records"
        if query:
            path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        status, body = self.call("GET", path)
        assert status == 200, body
        return body


def _command(data: Path, options: dict[str, Any]) -> list[str]:
    command = [sys.executable, "-m", "provsim", "--host", "127.0.0.1", "--port", str(options.pop("port", 0)),
               "--data", str(data)]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            command.append(flag)
        elif value is not None and value is not False:
            command += [flag, str(value)]
    return command


def start(data: Path, **options: Any) -> tuple[subprocess.Popen, Simulator]:
    """Start a simulator on a free port and wait for its ``provsim listening on …`` line."""
    options.setdefault("token", TOKEN)
    token = options["token"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    log = open(f"{data}.log", "ab")  # noqa: SIM115 - handed to the process, closed when this function returns
    with log:
        proc = subprocess.Popen(_command(data, options), cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=log,
                                stdin=subprocess.DEVNULL)
    line = _first_line(proc)
    prefix = "provsim listening on "
    if not line.startswith(prefix):
        stop(proc)
        raise RuntimeError(f"the simulator did not start: {line!r}; see {data}.log")
    base_url = line.removeprefix(prefix).strip()
    sim = Simulator(base_url, token, "")
    status, key = sim.call("GET", "/api/public-key")
    if status != 200:
        stop(proc)
        raise RuntimeError(f"the simulator's public key: {status} {key}")
    return proc, sim._replace(public_key=key["public_key"])


def _first_line(proc: subprocess.Popen) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=0.2):
                return proc.stdout.readline().decode("utf-8", "replace")
            if proc.poll() is not None:
                return ""
    return ""


def stop(proc: subprocess.Popen, timeout: float = 15.0) -> int:
    """Send SIGTERM and wait; kill after ``timeout`` seconds. Returns the exit code."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout:
        proc.stdout.close()
    return proc.returncode


@contextmanager
def running_simulator(tmp_path: Path, **options: Any) -> Iterator[Simulator]:
    """A simulator process for the duration of the block; yields (base_url, token, public_key) as a Simulator."""
    data = Path(options.pop("data", tmp_path / "provsim"))
    proc, sim = start(data, **options)
    try:
        yield sim
    finally:
        stop(proc)


@pytest.fixture(name="provsim")
def provsim_fixture(tmp_path) -> Iterator[Simulator]:
    """A fresh simulator (empty store, token ``TOKEN``) for one test."""
    with running_simulator(tmp_path) as sim:
        yield sim
