"""Background entry point of the risk app: judge the observations stored and not yet judged (enqueued when an
intake commits). Idempotent: an observation is judged once, and an alert is updated rather than repeated."""

from __future__ import annotations

from django.tasks import task

from jianguan.core.actors import SystemActor

from . import alerts


@task()
def observations_scan() -> dict[str, int]:
    """Judge every observation not yet judged; the counts of observations, alerts created and alerts updated."""
    return alerts.observations_scan(actor=SystemActor("task:risk.observations_scan")).as_dict()
