"""Test environment, loaded before Django reads its settings (`-p tests.plugin` in pyproject.toml).

Sets the test defaults (immediate tasks, a throw-away var directory, fast password hashing, no second factor and
no redirect to HTTPS unless a test asks) and, when
`JIANGUAN_TEST_DB=postgresql`, starts a throw-away PostgreSQL cluster on a free loopback port in a temporary
directory, points `JIANGUAN_DATABASE_URL` at it, and stops and removes it when the run ends.

`make test` runs the suite twice, once per database. Each pass keeps the tests that concern it: a test that
cannot reach the test database (no `django_db` mark and no fixture that opens it) or is marked `once` does not
depend on it and runs in the SQLite pass only; one marked `database("postgresql")` or `database("sqlite")` is about
that database and runs in its pass only. The others are deselected (reported as such, never skipped).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import sys
import tempfile

import pytest

from tests import pgcluster

DATABASES = ("sqlite", "postgresql")

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


def _pass_database() -> str:
    return "postgresql" if os.environ.get("JIANGUAN_TEST_DB") == "postgresql" else "sqlite"


def _wanted(item: pytest.Item) -> str | None:
    """The database whose pass runs `item` (None: both)."""
    marker = item.get_closest_marker("database")
    if marker is not None:
        if marker.args[:1] not in [(name,) for name in DATABASES]:
            raise pytest.UsageError(f"{item.nodeid}: database() takes one of {DATABASES}, not {marker.args}")
        return marker.args[0]
    return "sqlite" if item.get_closest_marker("once") or not _reaches_database(item) else None


# The fixtures through which a test reaches the test database (pytest-django's; the project's own database
# fixtures, such as `empty_database`, request `django_db_setup`; every test has `django_db_blocker`, unused).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server",
                               "django_db_serialized_rollback", "django_db_reset_sequences"})


def _reaches_database(item: pytest.Item) -> bool:
    """Whether `item` may touch the test database: marked `django_db`, or any fixture in its closure opens it."""
    return item.get_closest_marker("django_db") is not None or not DATABASE_FIXTURES.isdisjoint(
        getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the tests that belong to the other database's pass."""
    here = _pass_database()
    kept, elsewhere = [], []
    for item in items:
        (kept if _wanted(item) in (None, here) else elsewhere).append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = kept
