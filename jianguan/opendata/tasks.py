"""The daily export of open data (ADR 0051): the bulk files written, then the next day's run scheduled."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.periodic import enqueue_unless_waiting

from . import exports

HOUR = 2  # local time of the daily run, after the night's sweeps


@task()
def opendata_export_daily() -> dict[str, int]:
    """Export now, then schedule tomorrow's run."""
    try:
        files = exports.export(actor=SystemActor("task:opendata.export"))
        return {"files": len(files)}
    finally:
        daily_schedule()


def daily_schedule() -> bool:
    """Enqueue the export for the next day at `HOUR` unless one is waiting; True when enqueued."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    when = dt.datetime.combine(tomorrow, dt.time(HOUR), tzinfo=timezone.get_current_timezone())
    return enqueue_unless_waiting(opendata_export_daily, run_after=when)


SCHEDULES = [daily_schedule]  # started by `jianguan schedule` (core.periodic)
