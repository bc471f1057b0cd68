"""The hourly sweep of disclosure (ADR 0047): items made for new decisions, revoked decisions noted, ended
publications closed; it schedules its next run when it ends."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.periodic import enqueue_unless_waiting

from . import sweep as sweeping


@task()
def disclosure_sweep() -> dict[str, int]:
    """Sweep now, then schedule the next hour's run."""
    try:
        done = sweeping.sweep(actor=SystemActor("task:disclosure.sweep"))
        return {"made": done.made, "withheld": done.withheld, "changed": done.changed, "expired": done.expired,
                "ended": done.ended}
    finally:
        hourly_schedule()


def hourly_schedule() -> bool:
    """Enqueue the sweep for the next hour unless one is waiting; True when enqueued (only the database task
    backend keeps tasks for later)."""
    return enqueue_unless_waiting(disclosure_sweep, run_after=timezone.now() + dt.timedelta(hours=1))


SCHEDULES = [hourly_schedule]  # started by `jianguan schedule` (core.periodic)
