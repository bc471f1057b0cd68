"""Pushing upward against the real simulator (a separate process, tests/provsim_fixtures.py): batches, receipts and
their signatures, the receiver's refusals through the repair queue and back, retries with backoff, and a pusher
killed mid-way (SIGKILL) that resumes without losing or doubling a record."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.behaviour import services as behaviour
from jianguan.behaviour.models import Inspection, Penalty
from jianguan.exchange import collect, push, repairs
from jianguan.exchange.models import (
    BatchStatus,
    Origin,
    OutboxRecord,
    OutboxStatus,
    PushBatch,
    RepairItem,
    RepairStatus,
)
from tests.exchange_fixtures import exchange_world_fixture, inspection  # noqa: F401 (the fixture `exchange_world`)
from tests.library_fixtures import PENALTY, SYSTEM, inspect
from tests.provsim_fixtures import TOKEN, provsim_fixture, running_simulator  # noqa: F401 (the fixture `provsim`)

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]
OTHER_KEY = "O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBnoZmHXmo="  # a valid Ed25519 public key the simulator does not hold


@pytest.fixture
def receiver(provsim, settings):
    """The simulator as our receiver: URL, token and its public key configured."""
    settings.JIANGUAN_PUSH_URL = provsim.base_url
    settings.JIANGUAN_PUSH_TOKEN = provsim.token
    settings.JIANGUAN_PUSH_RECEIVER_KEY = provsim.public_key
    settings.JIANGUAN_PUSH_RETRY_BASE_SECONDS = 10
    settings.JIANGUAN_PUSH_RETRY_MAX_SECONDS = 300
    settings.JIANGUAN_EXCHANGE_SOURCE = "421200"
    return provsim


def _send(world, records, standard="inspection"):
    response = world["client"].post(f"/api/v1/exchange/{standard}/records",
                                    json.dumps(records, ensure_ascii=False), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_intake_push_receipt_feedback_fix_and_repush(exchange_world, receiver, persona):
    entity = exchange_world["entity"]
    one_inspector = inspection("solo", entity, inspectors=["张伟"], credential_numbers=["4212000000001"])
    late = inspection("late", entity, reported_at="2025-07-20 09:00:00")  # 47 days after the inspection
    answer = _send(exchange_world, [inspection(1, entity), one_inspector, late, inspection(2, entity)])
    assert answer["accepted"] == 4 and answer["rejected"] == []  # our checks pass; the receiver's are stricter

    result = push.push_round()
    assert result.stopped == "done" and result.sent == 1
    batch = PushBatch.objects.get()
    assert batch.status == BatchStatus.ACKNOWLEDGED and batch.receipt_verified
    assert batch.number == f"{timezone.localdate():%Y%m%d}00001" and batch.source == "421200"
    assert push.verify_receipt(batch.receipt, receiver.public_key)
    assert (batch.accepted, batch.rejected) == (2, 2)
    stats = receiver.stats()
    assert stats["records"] == 2 and stats["batches"] == 1

    queue = RepairItem.objects.filter(origin=Origin.RECEIVER, status=RepairStatus.OPEN)
    assert {i.record_id: i.errors[0]["code"] for i in queue} == {"JC-REC-solo": "inspectors_fewer_than_two",
                                                                 "JC-REC-late": "late_report"}
    assert set(OutboxRecord.objects.filter(status=OutboxStatus.REJECTED).values_list("record_id", flat=True)) == {
        "JC-REC-solo", "JC-REC-late"}

    item = queue.get(record_id="JC-REC-solo")
    officer = persona("scjg_officer")
    fixed = repairs.repair_fix(actor=officer, item_id=item.pk, values={
        "inspectors": "张伟、李强", "credential_numbers": "4212000000001、4212000000002"})
    assert fixed.accepted == 1 and fixed.rejected == []
    item.refresh_from_db()
    assert item.status == RepairStatus.FIXED and item.fixed_by == officer and item.fixed_at is not None
    row = Inspection.objects.get(record_id="JC-REC-solo")
    assert row.version == 2 and row.inspectors == ["张伟", "李强"]
    queued = OutboxRecord.objects.get(record_id="JC-REC-solo", status=OutboxStatus.PENDING)
    assert (queued.op, queued.version) == ("u", 2)

    assert push.push_round().sent == 1
    second = PushBatch.objects.order_by("pk").last()
    assert second.number.endswith("00002") and (second.accepted, second.rejected) == (1, 0)
    stored = {r["id"]: r for r in receiver.records(standard="inspection")}
    assert stored["JC-REC-solo"]["version"] == 2 and stored["JC-REC-solo"]["op"] == "u"
    assert stored["JC-REC-solo"]["data"]["inspectors"] == ["张伟", "李强"]
    assert "JC-REC-late" not in stored
    assert RepairItem.objects.filter(status=RepairStatus.OPEN).count() == 1  # the late one still waits


def test_withdrawal_is_pushed_as_d(exchange_world, receiver):
    entity = exchange_world["entity"]
    _send(exchange_world, [inspection(7, entity)])
    push.push_round()
    answer = _send(exchange_world, [{"op": "d", "record_id": "JC-REC-7"}])
    assert answer["accepted"] == 1
    assert Inspection.objects.get(record_id="JC-REC-7").withdrawn_at is not None
    push.push_round()
    history = receiver.records(standard="inspection", history="1")
    assert [(r["op"], r["version"]) for r in history if r["id"] == "JC-REC-7"] == [("i", 1), ("d", 2)]
    assert not [r for r in receiver.records(standard="inspection") if r["id"] == "JC-REC-7"]


def test_failures_back_off_and_the_same_batch_is_sent_again(exchange_world, receiver):
    _send(exchange_world, [inspection(n, exchange_world["entity"]) for n in range(3)])
    receiver.control(mode="fail")
    first = push.push_round()
    assert first.stopped == "failed" and first.sent == 0
    batch = PushBatch.objects.get()
    assert batch.status == BatchStatus.RETRYING and batch.failures == 1 and "503" in batch.last_error
    assert dt.timedelta(seconds=9) < batch.next_try_at - batch.sent_at <= dt.timedelta(seconds=11)

    waiting = push.push_round()  # before the retry time nothing is sent, and no new batch is formed
    assert waiting.stopped == "waiting" and waiting.attempts == []
    assert PushBatch.objects.count() == 1

    second = push.push_round(now=batch.next_try_at + dt.timedelta(seconds=1))
    assert second.stopped == "failed"
    batch.refresh_from_db()
    assert batch.failures == 2 and batch.attempts == 2
    assert dt.timedelta(seconds=19) < batch.next_try_at - batch.sent_at <= dt.timedelta(seconds=21)
    assert push.retry_delay(20, push.config()) == 300  # capped

    receiver.control(mode="ok")
    done = push.push_round(now=batch.next_try_at + dt.timedelta(seconds=1))
    assert done.sent == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ACKNOWLEDGED and batch.number.endswith("00001") and batch.attempts == 3
    assert receiver.stats()["records"] == 3


def test_a_receipt_with_a_bad_signature_is_not_stored(exchange_world, receiver, settings):
    _send(exchange_world, [inspection(1, exchange_world["entity"])])
    settings.JIANGUAN_PUSH_RECEIVER_KEY = OTHER_KEY
    assert push.push_round().stopped == "failed"
    batch = PushBatch.objects.get()
    assert batch.status == BatchStatus.RETRYING and batch.last_error.startswith("receipt_signature_invalid")
    assert OutboxRecord.objects.get().status == OutboxStatus.BATCHED
    settings.JIANGUAN_PUSH_RECEIVER_KEY = receiver.public_key
    push.push_round(now=batch.next_try_at + dt.timedelta(seconds=1))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ACKNOWLEDGED and batch.receipt_verified
    stats = receiver.stats()
    assert stats["batches"] == 1 and stats["records"] == 1  # the same batch again: its stored receipt, no recount


def test_intake_enqueues_a_push_after_commit(exchange_world, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _send(exchange_world, [inspection(n, exchange_world["entity"]) for n in range(2)])
    assert len(callbacks) == 1  # the task (immediate backend in tests) pushed on commit
    assert PushBatch.objects.get().status == BatchStatus.ACKNOWLEDGED
    assert receiver.stats()["records"] == 2


def test_a_batch_the_receiver_refuses_goes_to_the_repair_queue(exchange_world, receiver, settings):
    settings.JIANGUAN_EXCHANGE_SOURCE = "S" * 55  # longer than the receiver takes: the batch is refused (400)
    _send(exchange_world, [inspection(n, exchange_world["entity"]) for n in range(2)])
    result = push.push_round()
    assert result.attempts[0].permanent and result.attempts[0].status == 400
    assert PushBatch.objects.get().status == BatchStatus.REFUSED
    items = RepairItem.objects.filter(origin=Origin.RECEIVER)
    assert items.count() == 2 and items.first().errors[0]["code"] == "batch_refused"
    assert set(OutboxRecord.objects.values_list("status", flat=True)) == {OutboxStatus.REJECTED}


def test_push_and_status_commands(exchange_world, receiver, settings):
    _send(exchange_world, [inspection(1, exchange_world["entity"])])
    out = io.StringIO()
    call_command("exchange", "status", stdout=out)
    assert json.loads(out.getvalue())["backlog"] == 1
    out = io.StringIO()
    call_command("exchange", "push", "--once", "--batch-size", "10", stdout=out)
    assert json.loads(out.getvalue())["sent"] == 1 and receiver.stats()["records"] == 1
    settings.JIANGUAN_PUSH_URL = ""
    with pytest.raises(CommandError, match="JIANGUAN_PUSH_URL"):
        call_command("exchange", "push", "--once")


def test_wrong_token_is_retried_not_dropped(exchange_world, receiver, settings):
    _send(exchange_world, [inspection(1, exchange_world["entity"])])
    settings.JIANGUAN_PUSH_TOKEN = "wrong"
    push.push_round()
    batch = PushBatch.objects.get()
    assert batch.status == BatchStatus.RETRYING and "401" in batch.last_error
    assert receiver.stats()["batches"] == 0


def test_push_not_configured_does_nothing(exchange_world, settings):
    settings.JIANGUAN_PUSH_URL = ""
    _send(exchange_world, [inspection(1, exchange_world["entity"])])
    assert push.push_round().stopped == "not_configured"
    assert OutboxRecord.objects.get().status == OutboxStatus.PENDING and not PushBatch.objects.exists()


def test_batch_numbers_restart_each_day_per_source(exchange_world, settings):
    settings.JIANGUAN_PUSH_URL = "http://127.0.0.1:9"
    settings.JIANGUAN_PUSH_BATCH_SIZE = 2
    _send(exchange_world, [inspection(n, exchange_world["entity"]) for n in range(5)])
    day = timezone.make_aware(dt.datetime(2026, 3, 2, 10))
    numbers = [push.batch_form(now=day).number for _ in range(2)]
    numbers.append(push.batch_form(now=day + dt.timedelta(days=1)).number)
    assert numbers == ["2026030200001", "2026030200002", "2026030300001"]
    assert push.batch_form(now=day) is None  # all five records are in batches of at most two
    assert list(PushBatch.objects.values_list("records", flat=True)) == [2, 2, 1]


# --- the crash test ----------------------------------------------------------------------------------------------

SETTINGS_MODULE = '''
from jianguan.config.settings import *  # noqa: F403
from jianguan.config.settings import env

JIANGUAN_PUSH_URL = env.str("JIANGUAN_PUSH_URL", "")
JIANGUAN_PUSH_TOKEN = env.str("JIANGUAN_PUSH_TOKEN", "")
JIANGUAN_PUSH_RECEIVER_KEY = env.str("JIANGUAN_PUSH_RECEIVER_KEY", "")
JIANGUAN_PUSH_RETRY_BASE_SECONDS = env.int("JIANGUAN_PUSH_RETRY_BASE_SECONDS", 10, minimum=1)
JIANGUAN_PUSH_INTERVAL_SECONDS = env.int("JIANGUAN_PUSH_INTERVAL_SECONDS", 10, minimum=1)
'''

FILL = '''
import os
from django.db import transaction
from django.core.management import CommandError, call_command
from django.utils import timezone
from jianguan.accounts.models import Department, Region
from jianguan.exchange.models import OutboxRecord
n = int(os.environ["CRASH_RECORDS"])
region = Region.objects.create(code="421200", name="咸宁市", level=3, gb2260="421200", path="/421200/")
department = Department.objects.create(name="咸宁市市场监督管理局", short_name="咸宁市监局",
                                       uscc="11421200MB1234567X", kind="scjg", region=region)
today = timezone.localdate().isoformat()
with transaction.atomic():
    OutboxRecord.objects.bulk_create([OutboxRecord(
        standard="inspection", record_id=f"CRASH-{i:05d}", version=1, op="i", department=department, region=region,
        data={"record_id": f"CRASH-{i:05d}", "number": f"JC-CRASH-{i:05d}", "date": today, "reported_at": today,
              "inspectors": ["张伟", "李强"], "credential_numbers": ["A1", "A2"]}) for i in range(n)], batch_size=1000)
print(OutboxRecord.objects.count())
'''


def _pusher(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "jianguan", "exchange", "push", "--loop", "--batch-size", "25"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait(predicate, *, timeout: float, what: str, pause: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(pause)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.mark.once
def test_pusher_killed_mid_way_resumes_and_delivers_every_record_once(tmp_path, empty_database):
    records = 1500  # 60 batches: killed after 20 or more of them, a thousand records and more left to resume with
    (tmp_path / "crash_settings.py").write_text(SETTINGS_MODULE)
    database = tmp_path / "platform.sqlite3"  # a migrated copy of the empty test database
    shutil.copyfile(empty_database.removeprefix("sqlite:///"), database)
    with running_simulator(tmp_path, quiet=True) as sim:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "crash_settings", "JIANGUAN_VAR_DIR": str(tmp_path / "var"),
               "JIANGUAN_DATABASE_URL": f"sqlite:///{database}", "JIANGUAN_TASKS_BACKEND": "immediate",
               "JIANGUAN_PUSH_URL": sim.base_url, "JIANGUAN_PUSH_TOKEN": TOKEN,
               "JIANGUAN_PUSH_RECEIVER_KEY": sim.public_key, "JIANGUAN_PUSH_RETRY_BASE_SECONDS": "1",
               "JIANGUAN_PUSH_INTERVAL_SECONDS": "1", "JIANGUAN_LOG_LEVEL": "ERROR",
               "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
        filled = subprocess.run([sys.executable, "-m", "jianguan", "shell", "--no-imports", "-c", FILL], cwd=REPO,
                                env={**env, "CRASH_RECORDS": str(records)}, check=True, capture_output=True, text=True)
        assert filled.stdout.split()[-1] == str(records)

        sim.control(mode="stall", stall_seconds=0.05)  # each batch waits a little at the receiver
        first = _pusher(env)
        try:
            _wait(lambda: sim.stats()["batches"] >= 20, timeout=120, what="the first batches")
            # Kill while a batch is held at the receiver: it is stored there, its receipt never reaches us.
            _wait(lambda: sim.control()["stalled"] > 0, timeout=30, what="a batch in flight", pause=0.005)
            os.kill(first.pid, signal.SIGKILL)
            assert first.wait(timeout=30) == -signal.SIGKILL
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        partway = sim.stats()
        assert 0 < partway["records"] < records, partway  # the kill landed mid-way

        second = _pusher(env)
        try:
            _wait(lambda: _ours(database)["open"] == 0, timeout=300, what="every record acknowledged", pause=0.5)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=60)

        stats = sim.stats()
        stored = sim.records(standard="inspection")
        assert stats["records"] == records and len(stored) == records
        assert {r["id"] for r in stored} == {f"CRASH-{i:05d}" for i in range(records)}
        assert stats["duplicates"] == 0  # no record reached the receiver in two batches

    ours = _ours(database)
    assert ours["unacknowledged"] == 0 and ours["records"] == records
    assert ours["batches"] == stats["batches"]  # every batch stored once by the receiver, under its one number
    assert ours["resent"] >= 1  # the batch in flight at the kill was sent again under the same number


def _ours(database: Path) -> dict[str, int]:
    """The platform's figures read straight from its database file (the pusher is another process)."""
    with sqlite3.connect(database, timeout=30) as db:
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        return {"batches": one("SELECT count(*) FROM exchange_pushbatch"),
                "unacknowledged": one("SELECT count(*) FROM exchange_pushbatch WHERE status != 'acknowledged'"),
                "records": one("SELECT coalesce(sum(records), 0) FROM exchange_pushbatch"),
                "open": one("SELECT count(*) FROM exchange_outboxrecord WHERE status != 'accepted'"),
                "resent": one("SELECT count(*) FROM exchange_pushbatch WHERE attempts > 1")}


# --- records made on the platform --------------------------------------------------------------------------------

def _days_ago(days: int) -> dt.date:
    """A recent day: the receiver refuses records reported more than 20 days after the act."""
    return timezone.localdate() - dt.timedelta(days=days)


def test_a_platform_inspection_is_collected_once_and_pushed(exchange_world, receiver):
    made = inspect(exchange_world["entity"], number="JC-PLAT-1", day=_days_ago(3))
    record_id = Inspection.objects.get(pk=made.pk).record_id
    result = push.push_round()
    assert result.stopped == "done" and result.sent == 1
    queued = OutboxRecord.objects.get(record_id=record_id)
    assert (queued.op, queued.version, queued.status) == ("i", 1, OutboxStatus.ACCEPTED)
    assert queued.department_id == made.department_id and queued.region_id == made.region_id
    stored = {r["id"]: r for r in receiver.records(standard="inspection")}
    assert stored[record_id]["data"]["number"] == "JC-PLAT-1" and stored[record_id]["version"] == 1
    assert collect.platform_collect().total == 0  # nothing new: collected once only
    assert push.push_round().sent == 0 and OutboxRecord.objects.filter(record_id=record_id).count() == 1


def test_signed_checkpoints_leave_through_the_outbox_once_and_the_receiver_checks_them(exchange_world, receiver,
                                                                                     settings):
    """ADR 0023: each signed checkpoint of the audit chain is kept in the outbox and pushed to the province, whose
    copy is out of reach of whoever rewrites this database."""
    from jianguan.audit.checkpoints import document
    from jianguan.audit.services import checkpoint_make

    made = checkpoint_make(actor=SYSTEM)
    result = push.push_round()
    assert result.stopped == "done"
    queued = OutboxRecord.objects.get(standard=collect.CHECKPOINT_STANDARD)
    assert queued.status == OutboxStatus.ACCEPTED and queued.data == document(made)
    assert queued.department.kind == "sjj" and queued.department.region_id == settings.JIANGUAN_LOCALITY
    stored = receiver.records(standard="audit_checkpoint")
    assert [r["data"]["signature"] for r in stored] == [made.signature]
    assert collect.checkpoints_collect() == 0  # queued once only
    later = checkpoint_make(actor=SYSTEM)
    assert collect.checkpoints_collect() == 1 and push.push_round().sent == 1
    assert {r["data"]["seq"] for r in receiver.records(standard="audit_checkpoint")} == {made.seq, later.seq}


def test_the_receiver_refuses_a_checkpoint_whose_signature_fails(exchange_world, receiver):
    from jianguan.audit.checkpoints import document
    from jianguan.audit.services import checkpoint_make

    forged = {**document(checkpoint_make(actor=SYSTEM)), "hash": "0" * 64}
    status, receipt = receiver.send([{"op": "i", "id": "CP-forged", "version": 1, "data": forged}],
                                    standard="audit_checkpoint")
    assert status == 200 and receipt["accepted"] == 0
    assert receipt["rejected"][0]["errors"][0]["code"] == "checkpoint_signature"


def test_an_amended_penalty_is_pushed_as_u_with_version_2(exchange_world, enforcement_items, receiver):
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    checked = inspect(exchange_world["entity"], number="JC-PLAT-2", day=_days_ago(5))
    penalty = behaviour.penalty_record(
        actor=SYSTEM, department=city, catalog_code=PENALTY, inspection_number=checked.number, number="CF-PLAT-2",
        name="案", decided_on=_days_ago(3), decision_number="咸市监处罚〔2025〕12号", facts="事实",
        basis="依据", procedure="02", penalty_kinds=["02"], result="罚款一千元", case_source="监督检查", fine="1000",
        filed_on=_days_ago(4), reconsideration="未申请", litigation="未起诉")
    record_id = Penalty.objects.get(pk=penalty.pk).record_id
    push.push_round()
    behaviour.record_amend(actor=SYSTEM, model=Penalty, number="CF-PLAT-2", reason="结案", changes={
        "closed_on": _days_ago(1), "execution_method": "自觉履行", "execution_result": "全部履行",
        "paid": "1000"})
    push.push_round()
    history = [(r["op"], r["version"]) for r in receiver.records(standard="penalty", history="1")
               if r["id"] == record_id]
    assert history == [("i", 1), ("u", 2)], list(RepairItem.objects.values_list("errors", flat=True))
    current = {r["id"]: r for r in receiver.records(standard="penalty")}[record_id]
    assert current["data"]["closed_on"] == _days_ago(1).isoformat()
    assert current["data"]["execution_result"] == "全部履行"
    assert list(OutboxRecord.objects.filter(record_id=record_id).values_list("op", "version")) == [
        ("i", 1), ("u", 2)]


def test_an_invalid_platform_record_goes_to_the_repair_queue_once(exchange_world, enforcement_items, settings):
    settings.JIANGUAN_PUSH_URL = "http://127.0.0.1:9"
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    checked = inspect(exchange_world["entity"], number="JC-PLAT-3")
    # 行政复议 and 行政诉讼 are required by the national standard but not by the service: our check refuses it.
    made = behaviour.penalty_record(
        actor=SYSTEM, department=city, catalog_code=PENALTY, inspection_number=checked.number, number="CF-PLAT-3",
        name="案", decided_on=dt.date(2025, 7, 1), decision_number="咸市监处罚〔2025〕13号", facts="事实",
        basis="依据", procedure="02", penalty_kinds=["01"], result="警告", case_source="监督检查")
    record_id = Penalty.objects.get(pk=made.pk).record_id
    first = collect.platform_collect()
    assert first.refused["penalty"] == 1 and first.queued["penalty"] == 0 and first.queued["inspection"] == 1
    item = RepairItem.objects.get(record_id=record_id)
    assert (item.origin, item.status, item.version, item.department_id, item.standard) == (
        Origin.CHECK, RepairStatus.OPEN, 1, made.department_id, "penalty")
    assert {e["field"] for e in item.errors} == {"reconsideration", "litigation"}
    assert not OutboxRecord.objects.filter(record_id=record_id).exists()
    assert collect.platform_collect().total == 0 and RepairItem.objects.filter(record_id=record_id).count() == 1
    behaviour.record_amend(actor=SYSTEM, model=Penalty, number="CF-PLAT-3", reason="补填复议诉讼情况",
                           changes={"reconsideration": "未申请", "litigation": "未起诉"})
    assert collect.platform_collect().queued["penalty"] == 1
    item.refresh_from_db()
    assert item.status == RepairStatus.FIXED
    assert list(OutboxRecord.objects.filter(record_id=record_id).values_list("op", "version")) == [("u", 2)]
