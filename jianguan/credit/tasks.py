"""Background entry points of the credit-risk classification: compute a queued run (started from the runs page),
and the monthly run, which starts and computes this month's run and schedules itself for the first of the next
month. Runs are drafts: publishing stays a person's act."""

from __future__ import annotations

import datetime as dt

from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from jianguan.core.actors import SystemActor

from . import adjustments, classification, whatif


@task()
def classification_execute(run_id: int) -> dict[str, int]:
    """Compute the queued run `run_id`; its counts by class."""
    run = classification.run_execute(run_id=run_id, actor=SystemActor("task:credit.classification_execute"))
    return {str(k): int(v) for k, v in run.shares.items()}


@task()
def classification_monthly() -> dict[str, int]:
    """Start and compute this month's run, then schedule the next month's."""
    actor = SystemActor("task:credit.classification_monthly")
    try:
        adjustments.adjustments_expire(actor=actor)
        run = classification.run_start(actor=actor)
        done = classification.run_execute(run_id=run.pk, actor=actor)
        return {str(k): int(v) for k, v in done.shares.items()}
    finally:
        monthly_schedule()


def monthly_schedule() -> bool:
    """Enqueue the monthly run for 02:00 on the first of next month unless one is waiting; True when enqueued.
    Only the database task backend keeps tasks for later (the tests' immediate backend schedules nothing)."""
    if not isinstance(classification_monthly.get_backend(), DatabaseBackend):
        return False
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=classification_monthly.module_path)
    if waiting.exists():
        return False
    today = timezone.localdate()
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    when = timezone.make_aware(dt.datetime.combine(first, dt.time(2, 0)))
    classification_monthly.using(run_after=when).enqueue()
    return True


@task()
def adjustments_expire() -> int:
    """End the manual adjustments past their expiry date (the reads ignore them already)."""
    return adjustments.adjustments_expire(actor=SystemActor("task:credit.adjustments_expire"))


@task()
def whatif_execute(whatif_id: int) -> int:
    """Compute the queued what-if `whatif_id`; the number of entities that change class."""
    return whatif.weight_whatif_execute(whatif_id=whatif_id).changed
