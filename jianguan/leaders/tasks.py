"""The dashboard's figures refreshed in the background: every hour at a quarter past (a periodic task that schedules
its next run when it ends), and at once when a data administrator asks from the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.periodic import enqueue_unless_waiting

from . import refresh

MINUTE = 15


@task()
def figures_refresh() -> dict[str, Any]:
    done = refresh.figures_refresh(actor=SystemActor("task:leaders.figures_refresh"))
    return {"refresh": done.pk, "rows": done.rows}


@task()
def figures_hourly() -> dict[str, Any]:
    try:
        done = refresh.figures_refresh(actor=SystemActor("task:leaders.figures_hourly"))
        return {"refresh": done.pk, "rows": done.rows}
    finally:
        hourly_schedule()


def next_run(now: dt.datetime) -> dt.datetime:
    """The next quarter past an hour."""
    this = now.replace(minute=MINUTE, second=0, microsecond=0)
    return this if this > now else this + dt.timedelta(hours=1)


def hourly_schedule() -> bool:
    return enqueue_unless_waiting(figures_hourly, run_after=next_run(timezone.now()))


SCHEDULES = [hourly_schedule]
