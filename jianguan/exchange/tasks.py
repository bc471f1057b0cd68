"""Background entry points of the exchange: push what is pending (enqueued after an intake commits) and the quality
snapshot, a periodic task: each run stores the day's scores (`snapshots.snapshot_take`, replacing the day's rows)
and schedules the next run `JIANGUAN_QUALITY_SNAPSHOT_MINUTES` later. The chain is started by the first intake
that finds no run waiting (`snapshot_schedule`, called when an intake commits) and by `jianguan schedule`; the task
worker (`jianguan db_worker`) runs it, so the ranking and the daily trend of the monitor fill themselves. Both
tasks are idempotent: a push resends an unacknowledged batch under its own number, a snapshot replaces the day's
rows."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.periodic import enqueue_unless_waiting

from . import push, snapshots


def snapshot_minutes() -> int:
    """Minutes between two quality snapshots [config]: JIANGUAN_QUALITY_SNAPSHOT_MINUTES (default 60)."""
    return getattr(settings, "JIANGUAN_QUALITY_SNAPSHOT_MINUTES", 60)


@task()
def push_pending() -> dict:
    """One push round: the batches due, then new batches until nothing is pending or the receiver fails."""
    return push.push_round(actor=SystemActor("task:exchange.push_pending")).as_dict()


@task()
def quality_snapshot() -> dict:
    """Today's quality scores per department and standard; then the next run is scheduled."""
    try:
        return snapshots.snapshot_take(actor=SystemActor("task:exchange.quality_snapshot"))
    finally:
        snapshot_schedule(after=dt.timedelta(minutes=snapshot_minutes()))


def snapshot_schedule(*, after: dt.timedelta | None = None) -> bool:
    """Enqueue a quality snapshot to run `after` from now (at once when None) unless a run is already waiting;
    True when one was enqueued. Only the database task backend keeps tasks for later: with another backend (the
    immediate one of the tests runs a task as it is enqueued) nothing is scheduled."""
    return enqueue_unless_waiting(quality_snapshot, run_after=timezone.now() + after if after is not None else None)


SCHEDULES = [snapshot_schedule]  # started by `jianguan schedule` (core.periodic)
