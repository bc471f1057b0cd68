"""Test environment, loaded before Django reads its settings (`-p tests.plugin` in pyproject.toml).

Sets the test defaults (immediate tasks, a throw-away var directory, fast password hashing) and, when
`JIANGUAN_TEST_DB=postgresql`, starts a throw-away PostgreSQL cluster on a free loopback port in a temporary
directory, points `JIANGUAN_DATABASE_URL` at it, and stops and removes it when the run ends.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

_var = tempfile.mkdtemp(prefix="jianguan-test-var-")
os.environ["JIANGUAN_VAR_DIR"] = _var  # never the developer's var/ (make exports it)
os.environ.setdefault("JIANGUAN_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("JIANGUAN_TASKS_BACKEND", "immediate")
os.environ.setdefault("JIANGUAN_FAST_PASSWORD_HASHING", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside the live server
os.makedirs(os.path.join(_var, "static"), exist_ok=True)  # STATIC_ROOT (whitenoise warns when it is missing)
atexit.register(shutil.rmtree, _var, True)


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("未找到 PostgreSQL（initdb）：请先运行 make test 安装 postgresql")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_postgres() -> None:
    bindir = _bindir()
    base = Path(tempfile.mkdtemp(prefix="jianguan-pg-"))
    data, sockets, log = base / "data", base / "sock", base / "server.log"
    sockets.mkdir()
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user, in a directory it owns
        shutil.chown(base, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*as_postgres, str(bindir / "initdb"), "-D", str(data), "-E", "UTF8", "--locale=C.UTF-8",
                    "-A", "trust", "-U", "postgres"], check=True, stdout=subprocess.DEVNULL)
    options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=50")
    subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
                    "start"], check=True, stdout=subprocess.DEVNULL)

    def stop() -> None:
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)

    atexit.register(stop)
    # A run stopped with SIGTERM (a timeout, CI cancelling) still removes its cluster.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ["JIANGUAN_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{port}/jianguan"


if os.environ.get("JIANGUAN_TEST_DB") == "postgresql":
    _start_postgres()
