"""Periodic tasks: a task that schedules its own next run when it ends, started once by `enqueue_unless_waiting`.

Each app's `tasks.py` may list in `SCHEDULES` the functions that start its periodic chains (each idempotent: it
enqueues a run only when none is waiting). `jianguan schedule` and `jianguan demo` call them all
(`core.registry.periodic_starts`), so a fresh deployment starts every chain with one command.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_unless_waiting(task: Any, *, run_after: dt.datetime | None = None) -> bool:
    """Enqueue `task` (to run at `run_after`, at once when None) unless a run of it is already waiting; True when
    one was enqueued. Only the database task backend keeps tasks for later: with another backend (the immediate one
    of the tests runs a task as it is enqueued) nothing is scheduled."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    if DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path).exists():
        return False
    (task.using(run_after=run_after) if run_after is not None else task).enqueue()
    return True
