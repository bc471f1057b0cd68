"""Keeping a deployment (issue 14, item 11): the data key documented and said at start-up, a backup of the
database, the stored files and the key together restored into a fresh directory that passes the audit and
case-history checks (SQLite: a copy of the file; PostgreSQL: pg_dump and pg_restore, the append-only triggers and
the sequences surviving), and a rotation of the data key after which the data reads back and the old key opens
nothing."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import connection
from psycopg import sql

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.audit.models import AuditEvent
from jianguan.core.actors import SystemActor
from jianguan.core.protect import lookup_hash, seal, unseal
from jianguan.exchange.sealing import PREFIX, open_body, seal_body
from jianguan.portal import keeping, pgdump
from jianguan.subjects import services as subjects
from jianguan.subjects.models import Person
from tests.conftest import empty_sqlite_into

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "421202199003071239"  # a valid check character (GB 11643-1999)

# A deployment (on a migrated copy of the empty test database): seeded, then a natural person (sealed ID number),
# a case with its history and a signed checkpoint (the restored chain is held against it, under the restored key).
# Prints where the key is and the case's number.
DEPLOY = """
import datetime as dt, django
django.setup()
from django.core.management import call_command
call_command("seed", scale="test", no_progress=True)
from jianguan.accounts.models import User
from jianguan.enforcement import registration
from jianguan.subjects import services as subjects
from jianguan.subjects.models import MarketEntity
officer = User.objects.select_related("department").get(username="scjg_officer")
subjects.person_register(actor=officer, name="张某某", id_number="ID_NUMBER", region_code="421202")
entity = MarketEntity.objects.order_by("uscc").first()
case = registration.case_register(actor=officer, department=officer.department, party={"uscc": entity.uscc},
                              summary="群众举报该店销售过期食品", source="report", source_ref="JB-K-00001",
                              received_on=dt.date(2026, 10, 12))
call_command("audit", "checkpoint")
call_command("datakey", "where")
print(case.number)
""".replace("ID_NUMBER", ID_NUMBER)

# A restored deployment, in a process of its own (its keys read from the restored files): it reads the sealed
# number and the case, holds the audit chain against both signed checkpoints (its row and its file) and the case
# against its history, counts the persons written after the backup; then writes — the sequences go on after the
# restored rows (a reset one would give an id already taken) — and the append-only trigger still refuses to change
# an audit event.
CHECK = """
import django
django.setup()
from django.core.management import call_command
from django.db import DatabaseError, transaction
from jianguan.accounts.models import User
from jianguan.audit.models import AuditEvent
from jianguan.core.protect import lookup_hash, unseal
from jianguan.enforcement.models import Case
from jianguan.subjects import services as subjects
from jianguan.subjects.models import Person
person = Person.objects.get(id_lookup=lookup_hash("ID_NUMBER"))
print(unseal(person.id_sealed), Case.objects.count(), Case.objects.get().event_count)
call_command("audit", "verify")
call_command("enforcement", "verify", Case.objects.get().number)
print("later:", Person.objects.filter(name="李某某").count())
last = AuditEvent.objects.order_by("pk").last()
officer = User.objects.select_related("department").get(username="scjg_officer")
subjects.person_register(actor=officer, name="李某某", id_number="421202198506122013", region_code="421202")
try:
    with transaction.atomic():
        AuditEvent.objects.filter(pk=last.pk).update(verb="tampered")
    print("changed")
except DatabaseError as error:
    print("refused:", "append-only" in str(error))
print("went on:", AuditEvent.objects.order_by("pk").last().pk > last.pk, Person.objects.count() > 1)
""".replace("ID_NUMBER", ID_NUMBER)


def _jianguan(var: Path, *args: str, script: str | None = None, check: bool = True,
              database: str | None = None) -> subprocess.CompletedProcess:
    """`jianguan ARGS` (or a script) on the deployment of the var directory `var`: its SQLite file, or `database`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JIANGUAN_DATABASE_URL",
                                                                                   "JIANGUAN_DATA_KEY"))}
    env.update(JIANGUAN_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="jianguan.config.settings")
    if database:
        env["JIANGUAN_DATABASE_URL"] = database
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "jianguan", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.once
def test_env_example_documents_the_data_key():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "# JIANGUAN_DATA_KEY=" in text and "jianguan backup" in text and "jianguan datakey rotate" in text


def _deployment(var: Path, database: str | None = None) -> str:
    """A seeded deployment with a natural person, a case, a stored file and a signed checkpoint; the case's number."""
    done = _jianguan(var, script=DEPLOY, database=database)
    assert str(var / "data_key") in done.stdout  # `jianguan datakey where`
    (var / "evidence" / "ab").mkdir(parents=True)
    (var / "evidence" / "ab" / "ab12").write_bytes(b"evidence bytes")
    return done.stdout.split()[-1]


def _backup(source: Path, into: Path, database: str | None = None) -> tuple[Path, dict, set[str]]:
    """`jianguan backup` of the deployment `source`: the archive, its manifest and its members' names."""
    done = _jianguan(source, "backup", str(into), database=database)
    archive = next(into.glob("jianguan-*.tar"))
    assert str(archive) in done.stdout
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert {"manifest.json", "data_key", "var/evidence/ab/ab12"} <= names
    assert {m["name"] for m in manifest["members"]} == names - {"manifest.json"}
    return archive, manifest, names


def _assert_restored(fresh: Path, source: Path, number: str, done: subprocess.CompletedProcess,
                     database: str | None = None) -> None:
    """The restore ran its checks (audit chain and checkpoints, the case's history, the coercive measures') and
    said they passed; the restored deployment has the stored file and the keys, and passes CHECK."""
    assert f"{number} OK" in done.stdout and "2 个已签名检查点" in done.stdout and "恢复完成，核验通过" in done.stdout
    assert (fresh / "evidence" / "ab" / "ab12").read_bytes() == b"evidence bytes"
    assert (fresh / "data_key").read_text() == (source / "data_key").read_text()
    assert (fresh / "checkpoint_key").read_text() == (source / "checkpoint_key").read_text()
    checked = _jianguan(fresh, script=CHECK, database=database).stdout
    assert checked.split()[:3] == [ID_NUMBER, "1", "1"] and "2 个已签名检查点" in checked and f"{number} OK" in checked
    assert "later: 0" in checked  # nothing written after the backup
    assert "refused: True" in checked and "went on: True True" in checked


@pytest.mark.database("sqlite")
def test_a_backup_restored_into_a_fresh_directory_passes_the_checks_and_reads_the_sealed_numbers(tmp_path,
                                                                                                 empty_database):
    source, fresh = tmp_path / "source", tmp_path / "fresh"
    empty_sqlite_into(empty_database, source)
    number = _deployment(source)
    archive, manifest, names = _backup(source, tmp_path)
    assert "database/jianguan.sqlite3" in names and manifest["database"] == "sqlite"

    _assert_restored(fresh, source, number, _jianguan(fresh, "restore", str(archive)))

    again = _jianguan(fresh, "restore", str(archive), check=False)  # not a fresh directory any more
    assert again.returncode != 0 and "不是空的" in again.stderr
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as tar, tarfile.open(damaged, "w") as out:
        for info in tar.getmembers():
            data = tar.extractfile(info).read()
            if info.name == "data_key":
                data = base64.b64encode(os.urandom(32))
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    refused = _jianguan(tmp_path / "other", "restore", str(damaged), check=False)
    assert refused.returncode != 0 and "data_key 与清单中的 SHA-256 不符" in refused.stderr
    # nothing was written: the database a start-up creates has no tables, and no stored file was extracted
    assert not keeping._has_tables(tmp_path / "other" / "jianguan.sqlite3")
    assert not (tmp_path / "other" / "evidence").exists()


@pytest.fixture
def pg_databases(empty_database):
    """A source (a migrated copy of the empty test database) and a new, empty target on the pass's PostgreSQL
    cluster, the target dropped afterwards: their URLs."""
    server = empty_database.rsplit("/", 1)[0]
    target = f"keeping_{uuid.uuid4().hex[:8]}_target"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
    yield [empty_database, f"{server}/{target}"]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))


@pytest.mark.database("postgresql")
def test_on_postgresql_a_dump_restored_into_an_empty_database_keeps_its_triggers_and_sequences(tmp_path,
                                                                                               pg_databases):
    source_db, target_db = pg_databases
    source, fresh = tmp_path / "source", tmp_path / "fresh"
    number = _deployment(source, source_db)
    archive, manifest, names = _backup(source, tmp_path, source_db)
    assert "database/jianguan.pgdump" in names and "database/jianguan.sqlite3" not in names
    assert manifest["database"] == "postgresql"
    assert manifest["postgresql"]["server_major"] == connection.pg_version // 10000
    assert manifest["postgresql"]["pg_dump_major"] >= manifest["postgresql"]["server_major"]

    _assert_restored(fresh, source, number, _jianguan(fresh, "restore", str(archive), database=target_db),
                     database=target_db)

    # The target now holds tables and a person written after the backup: refused without --replace (nothing
    # changed), its whole content replaced with it.
    other = tmp_path / "other"
    refused = _jianguan(other, "restore", str(archive), database=target_db, check=False)
    assert refused.returncode != 0 and "不是空的" in refused.stderr and "--replace" in refused.stderr
    replaced = _jianguan(other, "restore", str(archive), "--replace", database=target_db)
    _assert_restored(other, source, number, replaced, database=target_db)  # the person written after: gone


def _archive(tmp_path: Path, made_on: str) -> Path:
    """A well-formed backup made on the database `made_on` (its database member empty)."""
    key = base64.b64encode(os.urandom(32))
    members = {f"database/{made_on}": b"", "data_key": key}
    manifest = {"format": keeping.FORMAT, "database": made_on, "data_key_id": keeping.key_id(base64.b64decode(key)),
                "members": [{"name": n, "size": len(d), "sha256": keeping._sha256(d)} for n, d in members.items()]}
    archive = tmp_path / "backup.tar"
    with tarfile.open(archive, "w") as out:
        for name, data in [("manifest.json", json.dumps(manifest).encode()), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return archive


def test_a_backup_of_the_other_kind_of_database_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path / "var")
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[connection.vendor]
    with pytest.raises(keeping.KeepingError, match=f"备份来自 {other} 数据库，而当前配置的是 {connection.vendor}"):
        keeping.restore(_archive(tmp_path, other))
    assert not (tmp_path / "var").exists()


@pytest.mark.once
def test_missing_or_too_old_postgresql_tools_are_named_in_chinese(tmp_path, settings):
    settings.JIANGUAN_PG_BINDIR = str(tmp_path)
    with pytest.raises(pgdump.ToolError, match=r"未找到 PostgreSQL 客户端工具 pg_dump.*JIANGUAN_PG_BINDIR"):
        pgdump.tool("pg_dump", at_least=15, prefer=15, why="数据库服务器为 PostgreSQL 15")
    old = tmp_path / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.9'\n")
    old.chmod(0o755)
    with pytest.raises(pgdump.ToolError, match=r"的版本（13）低于所需的 PostgreSQL 15（数据库服务器为 PostgreSQL 15）"):
        pgdump.tool("pg_dump", at_least=15, prefer=15, why="数据库服务器为 PostgreSQL 15")
    assert pgdump.tool("pg_dump", at_least=13, prefer=15, why="") == (old, 13)


@pytest.fixture
def key_in_file(tmp_path, monkeypatch):
    """A data key of its own, kept in the var directory's key file (not in the environment): the one rotated."""
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path)
    monkeypatch.setattr(settings, "DATA_KEY_FILE", tmp_path / "data_key")
    monkeypatch.setattr(settings, "JIANGUAN_DATA_KEY", os.urandom(32))
    monkeypatch.delenv("JIANGUAN_DATA_KEY", raising=False)
    (tmp_path / "data_key").write_text(base64.b64encode(settings.JIANGUAN_DATA_KEY).decode())
    return settings.JIANGUAN_DATA_KEY


@pytest.mark.django_db
def test_rotation_reseals_everything_and_the_old_key_opens_nothing(tmp_path, key_in_file, persona):
    old = key_in_file
    person = subjects.person_register(actor=persona("scjg_officer"), name="张某某", id_number=ID_NUMBER,
                                      region_code="421202")
    sealed_before = person.id_sealed
    body = seal_body(b'{"party_code": "%s"}' % ID_NUMBER.encode())
    repair = _repair_item({"party_code": PREFIX + seal(ID_NUMBER), "name": "张某某"})
    call = _exchange_call(body)

    done = keeping.rotate(actor=SystemActor("test"))
    new = settings.JIANGUAN_DATA_KEY
    assert new != old and base64.b64decode((tmp_path / "data_key").read_text()) == new
    assert not (tmp_path / "data_key.next").exists()
    assert done.counts["persons"] >= 1 and done.counts["repair_values"] == 1 and done.counts["exchange_bodies"] == 1
    person.refresh_from_db()
    assert person.id_sealed != sealed_before and unseal(person.id_sealed) == ID_NUMBER
    assert Person.objects.get(id_lookup=lookup_hash(ID_NUMBER)) == person  # found by the new keyed hash
    with pytest.raises(InvalidTag):
        unseal(person.id_sealed, key=old)
    assert person.id_lookup != lookup_hash(ID_NUMBER, key=old)
    repair.refresh_from_db()
    assert unseal(repair.payload["party_code"][len(PREFIX):]) == ID_NUMBER
    with pytest.raises(InvalidTag):
        unseal(repair.payload["party_code"][len(PREFIX):], key=old)
    call.refresh_from_db()
    assert open_body(call.raw) == b'{"party_code": "%s"}' % ID_NUMBER.encode()
    with pytest.raises(InvalidTag):
        open_body(call.raw, key=old)
    event = AuditEvent.objects.filter(verb="core.data_key_rotated").get()
    assert event.payload["persons"] == done.counts["persons"] and event.payload["to"] == done.new_id


@pytest.mark.django_db
def test_an_interrupted_rotation_is_finished_by_the_next_one(tmp_path, monkeypatch, key_in_file, persona):
    old = key_in_file
    subjects.person_register(actor=persona("scjg_officer"), name="张某某", id_number=ID_NUMBER, region_code="421202")
    real = os.replace
    calls = []

    def crash_on_the_rename(src, dst):  # the process dies after the transaction committed
        calls.append(dst)
        if Path(dst).name == "data_key":
            raise OSError("power lost")
        return real(src, dst)

    monkeypatch.setattr(keeping.os, "replace", crash_on_the_rename)
    with pytest.raises(OSError):
        keeping.rotate(actor=SystemActor("test"))
    monkeypatch.setattr(keeping.os, "replace", real)
    monkeypatch.setattr(settings, "JIANGUAN_DATA_KEY", old)  # the restarted process reads the old key file
    staged = base64.b64decode((tmp_path / "data_key.next").read_text())
    keeping.rotate(actor=SystemActor("test"))  # finishes: the staged key opens the data, the old one does not
    assert base64.b64decode((tmp_path / "data_key").read_text()) == staged == settings.JIANGUAN_DATA_KEY
    assert unseal(Person.objects.get(id_lookup=lookup_hash(ID_NUMBER)).id_sealed) == ID_NUMBER


def _repair_item(payload):
    from jianguan.exchange.models import Origin, RepairItem

    department = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    return RepairItem.objects.create(department=department, region_id="421200", standard="行政处罚行为",
                                     record_id="R-1", payload=payload, origin=Origin.values[0])


def _exchange_call(body: bytes):
    from jianguan.exchange.models import CallStatus, ExchangeCall

    department = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    return ExchangeCall.objects.create(raw=body, imported_by="test", department=department, region_id="421200",
                                       source_system="S1", standard="行政处罚行为", sha256="0" * 64,
                                       status=CallStatus.values[0])
