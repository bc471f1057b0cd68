"""Background entry points of the audit app."""

from __future__ import annotations

from django.tasks import task

from jianguan.core.actors import SystemActor

from . import chain, services


@task()
def chain_verify() -> dict:
    """Verify the whole chain and record the outcome as an event of its own."""
    result = chain.verify()
    outcome = {"ok": result.ok, "checked": result.checked, "broken": str(result.broken) if result.broken else None}
    services.record(actor=SystemActor("task:audit.chain_verify"), verb="audit.chain_verified", data=outcome)
    return outcome
