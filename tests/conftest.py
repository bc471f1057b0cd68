"""Shared fixtures: a seeded organisation (once per session), personas, API clients.

Personas (the demo accounts, `jianguan.accounts.seed.PERSONAS`): admin, dataadmin, scjg_admin, scjg_officer,
xa_scjg_officer, sthj_officer, legal_reviewer, scjg_head (负责人 of the city 市场监管局), leader (read-only).
`outsider` is an officer of another line in another county: they must see nothing of the others' departments.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings

from jianguan.accounts import services
from jianguan.accounts.models import User
from tests import emptydb

PASSWORD = "Yanshi@2026"


@pytest.fixture(scope="session", autouse=True)
def plain_static_files():
    """Serve static files from the apps as they are (the live server's static handler cannot serve hashed names).

    Production's collected, hashed and compressed files are checked in test_static_files_collect_for_production.
    """
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed the test database once: regions, departments, personas, officers and a few hundred entities. The
    migrated database is kept empty first (`empty_database`)."""
    with django_db_blocker.unblock():
        EMPTY.append(emptydb.keep(tmp_path_factory.mktemp("empty")))
        call_command("seed", scale="test", seed=7, no_progress=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


EMPTY: list[str] = []


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """The static files collected once with production's storage (hashed, compressed): their directory."""
    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "jianguan.config.staticfiles.ProductionStaticFilesStorage"}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def empty_sqlite_into(url: str, var: Path) -> None:
    """Put the migrated, empty SQLite copy `url` (from `empty_database`) where a deployment of `var` keeps it."""
    var.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(url.removeprefix("sqlite:///"), var / "jianguan.sqlite3")


@pytest.fixture
def empty_database(django_db_setup, django_db_blocker, tmp_path):
    """The URL of a new, migrated and empty database on the session's engine (dropped after the test); the test
    itself needs no database access for it."""
    with django_db_blocker.unblock():
        url, drop = emptydb.copy(EMPTY[0], tmp_path)
    yield url
    with django_db_blocker.unblock():
        drop()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (tokens' users, region subtrees, cached pages)."""
    cache.clear()
    services.token_cache_clear()


@pytest.fixture
def seeded_live_db(transactional_db):
    """For tests that need committed data (the live server): a transactional test empties the database after it
    runs, so each one seeds again when it finds the database empty."""
    from jianguan.accounts.models import Region

    if not Region.objects.exists():
        call_command("seed", scale="test", seed=7, no_progress=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def persona(db):
    def get(username: str) -> User:
        return User.objects.select_related("department__region").get(username=username)

    return get


@pytest.fixture
def officer(persona) -> User:
    return persona("scjg_officer")


@pytest.fixture
def county_officer(persona) -> User:
    return persona("xa_scjg_officer")


@pytest.fixture
def outsider(db) -> User:
    """An officer of 嘉鱼县's 自然资源和规划局: another line and another county than the personas."""
    return User.objects.select_related("department__region").get(username="zrzy_421221_01")


@pytest.fixture
def api(db):
    """`api(user)` → a test client that sends a bearer token of `user` (or none)."""

    def make(user: User | None = None) -> Client:
        if user is None:
            return Client()
        token, _ = services.token_issue(user=user)
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture
def signed_in(client):
    """`signed_in(user)` → the Django test client with a session of `user`."""

    def make(user: User) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


from tests.browser_fixtures import browser, page_for  # noqa: E402,F401  (the browser tests' Chromium)
from tests.catalog_fixtures import laws, small_catalog  # noqa: E402,F401  (fixtures shared by the catalog tests)
from tests.library_fixtures import chain_world, enforcement_items, xianan_entity  # noqa: E402,F401
from tests.spotcheck_fixtures import city_scjg, food_task, two_item_task  # noqa: E402,F401


def _flush_around_sqlite_triggers() -> None:
    """SQLite refuses DELETE on append-only tables by trigger and has no TRUNCATE: a transactional test's flush lifts
    every trigger for its own DELETEs and puts each back as it was (PostgreSQL's flush truncates, which row
    triggers do not see)."""
    from django.db.backends.sqlite3.base import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                for _, sql in triggers:
                    cursor.execute(sql)

    DatabaseOperations.execute_sql_flush = execute_sql_flush


_flush_around_sqlite_triggers()


@pytest.fixture(autouse=True)
def checkpoint_dir(settings, tmp_path):
    """Each test writes its checkpoint files apart: a file outlives the test's rolled-back database."""
    settings.JIANGUAN_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.JIANGUAN_CHECKPOINT_DIR
