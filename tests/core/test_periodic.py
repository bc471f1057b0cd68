"""Periodic tasks started once by `jianguan schedule`: every app's chain enqueued when none waits, never twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jianguan.core.registry import periodic_starts

pytestmark = pytest.mark.django_db


def test_schedule_starts_every_periodic_task_once(settings):
    paths = {"jianguan.credit.tasks.classification_monthly", "jianguan.credit.tasks.serious_expire_daily",
             "jianguan.risk.tasks.control_sample_monthly", "jianguan.exchange.tasks.quality_snapshot",
             "jianguan.disclosure.tasks.disclosure_sweep", "jianguan.opendata.tasks.opendata_export_daily",
             "jianguan.casebook.tasks.casebook_sweep", "jianguan.evaluation.tasks.evaluation_monthly",
             "jianguan.leaders.tasks.figures_hourly", "jianguan.remote.tasks.silence_sweep"}
    out = io.StringIO()
    call_command("schedule", stdout=out)  # the tests' immediate backend keeps nothing for later
    assert not DBTaskResult.objects.exists() and out.getvalue().count("已在等待或无需启动") == len(periodic_starts())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("schedule", stdout=io.StringIO())
    call_command("schedule", stdout=io.StringIO())
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert sorted(waiting.values_list("task_path", flat=True)) == sorted(paths)
