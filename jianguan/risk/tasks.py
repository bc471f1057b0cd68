"""Background entry points of the risk app: judge the observations stored and not yet judged (enqueued when an
intake commits), and process a large file of observations (enqueued when it is kept). Idempotent: an observation
is judged once, an alert is updated rather than repeated, and a file already processed is left as it is."""

from __future__ import annotations

from django.tasks import task

from jianguan.core.actors import SystemActor

from . import alerts, file_intake


@task()
def observations_scan() -> dict[str, int]:
    """Judge every observation not yet judged; the counts of observations, alerts created and alerts updated."""
    return alerts.observations_scan(actor=SystemActor("task:risk.observations_scan")).as_dict()


@task()
def observation_file_import(file_id: int) -> dict[str, int | str]:
    """Check and store a kept file of observations (`file_intake.observation_file_process`); its outcome."""
    kept = file_intake.observation_file_process(actor=SystemActor("task:risk.observation_file_import"),
                                                file_id=file_id)
    return {"status": kept.status, "rows": kept.rows, "stored": kept.stored, "problems": kept.problem_count}
