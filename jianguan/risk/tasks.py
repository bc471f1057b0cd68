"""Background entry points of the risk app: judge the observations stored and not yet judged (enqueued when an
intake commits), process a large file of observations (enqueued when it is kept), and the monthly control sample,
a periodic task: each run draws the sample of the month just ended (`sample.control_sample_draw`, nothing when drawn
already) and schedules the next run for the first of the next month. The chain is started by the scan after an
intake (`sample_schedule`, when no run waits); the task worker (`jianguan db_worker`) runs it. All are idempotent:
an observation is judged once, an alert is updated rather than repeated, a file already processed is left as it
is, and a month is drawn once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.months import previous_month
from jianguan.core.periodic import enqueue_unless_waiting

from . import alerts, file_intake, sample

SAMPLE_HOUR = 2  # the first of each month at 02:00, when the last observations of the month have been judged


@task()
def observations_scan() -> dict[str, int]:
    """Judge every observation not yet judged; the counts of observations, alerts created and alerts updated."""
    scanned = alerts.observations_scan(actor=SystemActor("task:risk.observations_scan")).as_dict()
    sample_schedule()
    return scanned


@task()
def control_sample_monthly() -> dict[str, Any]:
    """The control sample of the month just ended; then the next run is scheduled."""
    try:
        return sample.control_sample_draw(actor=SystemActor("task:risk.control_sample_monthly"),
                                          month=previous_month(timezone.localdate())).as_dict()
    finally:
        sample_schedule()


def next_run(now: dt.datetime) -> dt.datetime:
    """The first of the month after `now`'s, at `SAMPLE_HOUR`, in the platform's time zone."""
    local = timezone.localtime(now)
    first = (local.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return timezone.make_aware(dt.datetime(first.year, first.month, 1, SAMPLE_HOUR))


def sample_schedule() -> bool:
    """Enqueue the monthly sample for the first of next month unless a run is already waiting; True when one was
    enqueued. Only the database task backend keeps tasks for later (the tests' immediate one schedules nothing)."""
    return enqueue_unless_waiting(control_sample_monthly, run_after=next_run(timezone.now()))


@task()
def observation_file_import(file_id: int) -> dict[str, int | str]:
    """Check and store a kept file of observations (`file_intake.observation_file_process`); its outcome."""
    kept = file_intake.observation_file_process(actor=SystemActor("task:risk.observation_file_import"),
                                                file_id=file_id)
    return {"status": kept.status, "rows": kept.rows, "stored": kept.stored, "problems": kept.problem_count}


SCHEDULES = [sample_schedule]  # started by `jianguan schedule` (core.periodic)
