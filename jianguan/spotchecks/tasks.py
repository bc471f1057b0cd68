"""Background entry point of the spot checks: the result rows of a large draw, enqueued when its reveal commits
(`drawing.draw_reveal`). Idempotent: a draw whose rows exist, or which was voided meanwhile, is left alone."""

from __future__ import annotations

from django.tasks import task

from jianguan.core.actors import SystemActor

from . import drawing


@task()
def draw_results_write(draw_id: int) -> int:
    """The draw's result rows, one per drawn object with its inspectors; the number written."""
    return drawing.draw_results_write(actor=SystemActor("task:spotchecks.draw_results_write"), draw_id=draw_id)
