"""The data administrator's monitor: a batch the receiver refused records of is not green, each batch opens to its
records and the receiver's problems (scoped like the records), and the quality ranking and daily trend are filled
by the task worker, not by a command."""

from __future__ import annotations

import datetime as dt
import io
import json
import signal

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from jianguan.accounts.models import Department
from jianguan.exchange import push, tasks
from jianguan.exchange.models import BatchHealth, PushBatch, QualitySnapshot
from tests.enforcement_fixtures import make_user
from tests.exchange_fixtures import city_scjg, exchange_world_fixture, inspection  # noqa: F401 (fixture)
from tests.provsim_fixtures import running_simulator

pytestmark = pytest.mark.django_db
URL = "/api/v1/exchange/inspection/records"


def post(client, records):
    return client.post(URL, json.dumps(records, ensure_ascii=False), content_type="application/json")


def run_worker() -> None:
    """What `jianguan db_worker --batch` does: run each ready task, then exit. On SQLite the command itself; on
    PostgreSQL its worker's own step per task (`Worker.run_task`), since the command's recycling of old connections
    closes the connection a test's transaction lives on."""
    if connection.vendor == "sqlite":
        # The command installs its own SIGTERM/SIGINT handlers (a graceful stop of a worker process); in the test
        # process they would outlive it and turn a later signal into a failure of whatever test runs then.
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        return
    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    while (found := DBTaskResult.objects.ready().get_locked()) is not None:
        found.claim(worker.worker_id)
        worker.run_task(found)


def test_a_batch_with_refused_records_is_not_green_and_opens_to_its_records(exchange_world, tmp_path, settings,
                                                                             signed_in, persona):
    entity = exchange_world["entity"]
    lone = inspection(2, entity, inspectors=["张伟"], credential_numbers=["4212000000001"])  # the province refuses
    answer = post(exchange_world["client"], [inspection(1, entity), lone]).json()
    assert answer["accepted"] == 2
    with running_simulator(tmp_path, timeliness_days=100_000) as sim:
        settings.JIANGUAN_PUSH_URL, settings.JIANGUAN_PUSH_TOKEN = sim.base_url, sim.token
        push.push_round()
    batch = PushBatch.objects.get(standard="inspection")
    assert (batch.status, batch.rejected, batch.health) == ("acknowledged", 1, BatchHealth.PARTIAL)

    page = signed_in(persona("dataadmin"))
    monitor = page.get("/exchange/monitor/").content.decode()
    assert 'data-health="partial"' in monitor and 'data-health="ok"' not in monitor
    assert f"/exchange/batches/{batch.pk}/" in monitor
    detail = page.get(f"/exchange/batches/{batch.pk}/")
    text = detail.content.decode()
    assert detail.status_code == 200 and text.count('data-testid="batch-record"') == 2
    assert 'data-health="partial"' in text and "inspectors_fewer_than_two" in text and "JC-REC-2" in text
    refused = page.get(f"/exchange/batches/{batch.pk}/?rejected=1").content.decode()
    assert refused.count('data-testid="batch-record"') == 1 and "JC-REC-1" not in refused

    elsewhere = Department.objects.exclude(region__path__contains="/421202/").exclude(region_id="421200").filter(
        region__level=4).first()
    county_admin = make_user("county_dataadmin", "钱数据", elsewhere, ["data_admin"])
    assert signed_in(county_admin).get(f"/exchange/batches/{batch.pk}/").status_code == 404  # none of its records
    assert page.get(f"/exchange/batches/{batch.pk + 1}/").status_code == 404
    assert signed_in(persona("scjg_officer")).get(f"/exchange/batches/{batch.pk}/").status_code == 403


def test_a_batch_received_whole_is_green_and_one_refused_whole_is_failed():
    batch = PushBatch(status="acknowledged", records=3, rejected=0)
    assert batch.health == BatchHealth.OK
    batch.rejected = 3
    assert batch.health == BatchHealth.FAILED
    assert PushBatch(status="refused", records=3).health == BatchHealth.FAILED
    assert PushBatch(status="retrying", records=3).health == BatchHealth.RETRYING


def test_the_task_worker_takes_the_quality_snapshots(exchange_world, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JIANGUAN_QUALITY_SNAPSHOT_MINUTES = 30
    entity = exchange_world["entity"]
    with django_capture_on_commit_callbacks(execute=True):
        post(exchange_world["client"], [inspection(1, entity), inspection(2, entity, party_code="123")])
    waiting = DBTaskResult.objects.filter(task_path=tasks.quality_snapshot.module_path,
                                          status=TaskResultStatus.READY)
    assert waiting.count() == 1  # the intake started the chain
    with django_capture_on_commit_callbacks(execute=True):
        post(exchange_world["client"], [inspection(3, entity)])
    assert waiting.count() == 1  # one run waits at a time
    assert not QualitySnapshot.objects.exists()

    run_worker()
    snapshot = QualitySnapshot.objects.get(department=city_scjg(), standard="inspection")
    assert (snapshot.day, snapshot.records) == (timezone.localdate(), 3)
    assert DBTaskResult.objects.filter(task_path=tasks.quality_snapshot.module_path,
                                       status=TaskResultStatus.SUCCESSFUL).count() == 1
    [later] = waiting  # the next run, half an hour on
    assert later.run_after - timezone.now() > dt.timedelta(minutes=29)
    assert tasks.snapshot_schedule() is False
