"""Background entry points of the credit-risk classification: compute a queued run (started from the runs page),
and the monthly run, which starts and computes this month's run and schedules itself for the first of the next
month. Runs are drafts: publishing stays a person's act."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.periodic import enqueue_unless_waiting

from . import adjustments, classification, serious, whatif


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
    first = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return enqueue_unless_waiting(classification_monthly,
                                  run_after=timezone.make_aware(dt.datetime.combine(first, dt.time(2, 0))))


@task()
def serious_expire_daily() -> list[str]:
    """Remove the entries of the 严重违法失信名单 whose period has ended, then schedule tomorrow's run."""
    try:
        return serious.serious_expire_due(actor=SystemActor("task:credit.serious_expire_daily"))
    finally:
        daily_schedule()


def daily_schedule() -> bool:
    """Enqueue the removal at the end of the period for 01:00 tomorrow unless one is waiting; True when enqueued
    (only the database task backend keeps tasks for later)."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return enqueue_unless_waiting(serious_expire_daily,
                                  run_after=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(1, 0))))


@task()
def adjustments_expire() -> int:
    """End the manual adjustments past their expiry date (the reads ignore them already)."""
    return adjustments.adjustments_expire(actor=SystemActor("task:credit.adjustments_expire"))


@task()
def whatif_execute(whatif_id: int) -> int:
    """Compute the queued what-if `whatif_id`; the number of entities that change class."""
    return whatif.weight_whatif_execute(whatif_id=whatif_id).changed


SCHEDULES = [monthly_schedule, daily_schedule]  # started by `jianguan schedule` (core.periodic)
