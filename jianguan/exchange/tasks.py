"""Background entry points of the exchange: push what is pending (enqueued after an intake commits) and the daily
quality snapshot. Both are idempotent: a push resends an unacknowledged batch under its own number, a snapshot
replaces the day's rows."""

from __future__ import annotations

from django.tasks import task

from jianguan.core.actors import SystemActor

from . import push, snapshots


@task()
def push_pending() -> dict:
    """One push round: the batches due, then new batches until nothing is pending or the receiver fails."""
    return push.push_round(actor=SystemActor("task:exchange.push_pending")).as_dict()


@task()
def quality_snapshot() -> dict:
    """Today's quality scores per department and standard."""
    return snapshots.snapshot_take(actor=SystemActor("task:exchange.quality_snapshot"))
