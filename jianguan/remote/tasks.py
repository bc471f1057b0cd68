"""Background entry points of non-on-site supervision: the silence sweep every `SWEEP_MINUTES` minutes (a periodic
task that schedules its next run when it ends), which opens and escalates the 离线 alarms of points that stopped
reporting — no reading arrives to evaluate them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.tasks import task
from django.utils import timezone

from jianguan.core.periodic import enqueue_unless_waiting

from . import alarms

SWEEP_MINUTES = 5


@task()
def silence_sweep() -> dict[str, Any]:
    try:
        return {"changes": len(alarms.silence_sweep())}
    finally:
        sweep_schedule()


def sweep_schedule() -> bool:
    return enqueue_unless_waiting(silence_sweep, run_after=timezone.now() + dt.timedelta(minutes=SWEEP_MINUTES))


SCHEDULES = [sweep_schedule]
