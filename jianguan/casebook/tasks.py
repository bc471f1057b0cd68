"""The daily sweep of the case library (ADR 0061): closed cases added as entries; it schedules its next run."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.periodic import enqueue_unless_waiting

from . import services


@task()
def casebook_sweep() -> dict[str, int]:
    """Sweep now, then schedule the next day's run."""
    try:
        return {"added": services.cases_sweep(actor=SystemActor("task:casebook.sweep"))}
    finally:
        daily_schedule()


def daily_schedule() -> bool:
    """Enqueue the sweep for the next day unless one is waiting (only the database backend keeps tasks)."""
    return enqueue_unless_waiting(casebook_sweep, run_after=timezone.now() + dt.timedelta(days=1))


SCHEDULES = [daily_schedule]  # started by `jianguan schedule` (core.periodic)
