"""Background entry points of the audit app."""

from __future__ import annotations

from typing import Any

from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor

from . import chain, services
from .models import Checkpoint


@task()
def chain_verify() -> dict[str, Any]:
    """Verify the whole chain and record the outcome as an event of its own."""
    result = chain.verify()
    outcome = {"ok": result.ok, "checked": result.checked, "broken": str(result.broken) if result.broken else None}
    services.record(actor=SystemActor("task:audit.chain_verify"), verb="audit.chain_verified", data=outcome)
    return outcome


@task()
def checkpoint_daily() -> dict[str, Any]:
    """Today's signed checkpoint of the chain's head, unless one was made today already (ADR 0023).
    `jianguan audit checkpoint --loop` enqueues it once a day; `jianguan demo` starts that loop."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    made = Checkpoint.objects.filter(made_at__gte=start).order_by("-made_at").first()
    if made is None:
        made = services.checkpoint_make(actor=SystemActor("task:audit.checkpoint_daily"))
    return {"seq": made.seq, "hash": made.hash, "made_at": made.made_at.isoformat()}
