"""Background entry points of the evaluation: a month computed when asked from the page, and the monthly run, a
periodic task computing the month just ended on the 3rd (when the month's last records have been entered) and
scheduling the next. Computing a month again adds a newer evaluation; nothing is overwritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.months import previous_month
from jianguan.core.periodic import enqueue_unless_waiting

from . import runs

RUN_DAY, RUN_HOUR = 3, 3


@task()
def evaluation_compute(month: str) -> dict[str, Any]:
    found = runs.evaluation_run(actor=SystemActor("task:evaluation.evaluation_compute"), month=month)
    return {"evaluation": found.pk, "month": found.month}


@task()
def evaluation_monthly() -> dict[str, Any]:
    try:
        found = runs.evaluation_run(actor=SystemActor("task:evaluation.evaluation_monthly"),
                                    month=previous_month(timezone.localdate()))
        return {"evaluation": found.pk, "month": found.month}
    finally:
        monthly_schedule()


def next_run(now: dt.datetime) -> dt.datetime:
    """The next `RUN_DAY` of a month at `RUN_HOUR`, in the platform's time zone."""
    local = timezone.localtime(now)
    this = timezone.make_aware(dt.datetime(local.year, local.month, RUN_DAY, RUN_HOUR))
    if this > local:
        return this
    first = (local.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return timezone.make_aware(dt.datetime(first.year, first.month, RUN_DAY, RUN_HOUR))


def monthly_schedule() -> bool:
    return enqueue_unless_waiting(evaluation_monthly, run_after=next_run(timezone.now()))


SCHEDULES = [monthly_schedule]
