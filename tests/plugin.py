"""Test environment, loaded before Django reads its settings (`-p tests.plugin` in pyproject.toml).

Sets the test defaults (immediate tasks, a throw-away var directory, fast password hashing, no second factor and
no redirect to HTTPS unless a test asks) and, when
`JIANGUAN_TEST_DB=postgresql`, starts a throw-away PostgreSQL cluster on a free loopback port in a temporary
directory, points `JIANGUAN_DATABASE_URL` at it, and stops and removes it when the run ends.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import sys
import tempfile

from tests import pgcluster

_var = tempfile.mkdtemp(prefix="jianguan-test-var-")
os.environ["JIANGUAN_VAR_DIR"] = _var  # never the developer's var/ (make exports it)
os.environ.setdefault("JIANGUAN_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("JIANGUAN_TASKS_BACKEND", "immediate")
os.environ.setdefault("JIANGUAN_FAST_PASSWORD_HASHING", "true")
os.environ.setdefault("JIANGUAN_REQUIRE_SECOND_FACTOR", "false")  # tests of the second factor turn it on
os.environ.setdefault("JIANGUAN_SSL_REDIRECT", "false")  # the test client and the live server speak plain HTTP
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside the live server
os.makedirs(os.path.join(_var, "static"), exist_ok=True)  # STATIC_ROOT (whitenoise warns when it is missing)
atexit.register(shutil.rmtree, _var, True)


def _start_postgres() -> None:
    url, stop = pgcluster.start()
    atexit.register(stop)
    # A run stopped with SIGTERM (a timeout, CI cancelling) still removes its cluster.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ["JIANGUAN_DATABASE_URL"] = url


if os.environ.get("JIANGUAN_TEST_DB") == "postgresql":
    _start_postgres()
