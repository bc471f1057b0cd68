"""Keeping a deployment (issue 14, item 11): the data key documented and said at start-up, a backup of the
database, the stored files and the key together restored into a fresh directory that passes the audit and
case-history checks, and a rotation of the data key after which the data reads back and the old key opens
nothing."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from django.conf import settings

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.audit.models import AuditEvent
from jianguan.core.actors import SystemActor
from jianguan.core.protect import lookup_hash, seal, unseal
from jianguan.exchange.sealing import PREFIX, open_body, seal_body
from jianguan.portal import keeping
from jianguan.subjects import services as subjects
from jianguan.subjects.models import Person

ROOT = Path(__file__).resolve().parent.parent
ID_NUMBER = "421202199003071239"  # a valid check character (GB 11643-1999)

# What the source deployment holds besides the seed: a natural person (sealed ID number), a case with its history.
FILL = """
import datetime as dt, django
django.setup()
from jianguan.accounts.models import User
from jianguan.enforcement import services
from jianguan.subjects import services as subjects
from jianguan.subjects.models import MarketEntity
officer = User.objects.select_related("department").get(username="scjg_officer")
subjects.person_register(actor=officer, name="张某某", id_number="ID_NUMBER", region_code="421202")
entity = MarketEntity.objects.order_by("uscc").first()
case = services.case_register(actor=officer, department=officer.department, party={"uscc": entity.uscc},
                              summary="群众举报该店销售过期食品", source="report", source_ref="JB-K-00001",
                              received_on=dt.date(2026, 10, 12))
print(case.number)
""".replace("ID_NUMBER", ID_NUMBER)

READ_BACK = """
import django
django.setup()
from jianguan.core.protect import lookup_hash, unseal
from jianguan.enforcement.models import Case
from jianguan.subjects.models import Person
person = Person.objects.get(id_lookup=lookup_hash("ID_NUMBER"))
print(unseal(person.id_sealed), Case.objects.count(), Case.objects.get().event_count)
""".replace("ID_NUMBER", ID_NUMBER)


def _jianguan(var: Path, *args: str, script: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JIANGUAN_DATABASE_URL",
                                                                                   "JIANGUAN_DATA_KEY"))}
    env.update(JIANGUAN_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="jianguan.config.settings")
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "jianguan", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_env_example_documents_the_data_key():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "# JIANGUAN_DATA_KEY=" in text and "jianguan backup" in text and "jianguan datakey rotate" in text


def test_a_backup_restored_into_a_fresh_directory_passes_the_checks_and_reads_the_sealed_numbers(tmp_path):
    source, fresh = tmp_path / "source", tmp_path / "fresh"
    _jianguan(source, "migrate", "-v", "0")
    _jianguan(source, "seed", "--scale", "test", "--no-progress")
    number = _jianguan(source, script=FILL).stdout.strip()
    (source / "evidence" / "ab").mkdir(parents=True)
    (source / "evidence" / "ab" / "ab12").write_bytes(b"evidence bytes")
    _jianguan(source, "audit", "checkpoint")  # the restored chain is held against it, under the restored key
    where = _jianguan(source, "datakey", "where").stdout
    assert str(source / "data_key") in where

    done = _jianguan(source, "backup", str(tmp_path))
    archive = next(tmp_path.glob("jianguan-*.tar"))
    assert str(archive) in done.stdout
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert {"manifest.json", "database/jianguan.sqlite3", "data_key", "var/evidence/ab/ab12"} <= names
    assert {m["name"] for m in manifest["members"]} == names - {"manifest.json"}

    restored = _jianguan(fresh, "restore", str(archive))
    assert "OK" in restored.stdout and "恢复完成，核验通过" in restored.stdout
    assert (fresh / "evidence" / "ab" / "ab12").read_bytes() == b"evidence bytes"
    assert (fresh / "data_key").read_text() == (source / "data_key").read_text()
    assert _jianguan(fresh, script=READ_BACK).stdout.split() == [ID_NUMBER, "1", "1"]
    assert _jianguan(fresh, "enforcement", "verify", number).returncode == 0
    assert (fresh / "checkpoint_key").read_text() == (source / "checkpoint_key").read_text()
    assert "2 个已签名检查点" in _jianguan(fresh, "audit", "verify").stdout  # its row and its file, both restored

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


@pytest.mark.django_db
def test_rotation_reseals_everything_and_the_old_key_opens_nothing(tmp_path, monkeypatch, persona):
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path)
    monkeypatch.setattr(settings, "DATA_KEY_FILE", tmp_path / "data_key")
    monkeypatch.setattr(settings, "JIANGUAN_DATA_KEY", os.urandom(32))
    monkeypatch.delenv("JIANGUAN_DATA_KEY", raising=False)
    old = settings.JIANGUAN_DATA_KEY
    (tmp_path / "data_key").write_text(base64.b64encode(old).decode())
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
def test_an_interrupted_rotation_is_finished_by_the_next_one(tmp_path, monkeypatch, persona):
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path)
    monkeypatch.setattr(settings, "DATA_KEY_FILE", tmp_path / "data_key")
    monkeypatch.setattr(settings, "JIANGUAN_DATA_KEY", os.urandom(32))
    monkeypatch.delenv("JIANGUAN_DATA_KEY", raising=False)
    old = settings.JIANGUAN_DATA_KEY
    (tmp_path / "data_key").write_text(base64.b64encode(old).decode())
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
