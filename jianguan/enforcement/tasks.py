"""Background entry points of enforcement: the deadline alerts (逾期 / 即将到期) of open cases.

`deadlines_refresh` recomputes every open case (run it daily: `jianguan enforcement deadlines`, or enqueue it);
`case_deadlines_refresh` recomputes one case after each of its steps (enqueued on commit by the services).
Both are idempotent: they replace the case's alerts with what its open steps say today. `case_file_build` builds
and stores the case file (案卷) after each change of the case, so that no request renders it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from jianguan.core.actors import SystemActor

from . import casefile, cases, deadlines, workflow
from .models import Case, DeadlineAlert


def _refresh(case: Case, today: dt.date, now: dt.datetime) -> int:
    cases.refresh_decision_due(case.pk, today)
    case.refresh_from_db(fields=["decision_due"])
    wanted = {}
    for step in deadlines.open_steps(case, today=today):
        state = step.state(today)
        if state != "open":
            wanted[step.key] = (step, state)
    with transaction.atomic():
        DeadlineAlert.objects.filter(case=case).exclude(step__in=list(wanted)).delete()
        for key, (step, state) in wanted.items():
            DeadlineAlert.objects.update_or_create(case=case, step=key, defaults={
                "label": step.label, "due": step.due, "rule": step.rule[:200], "state": state, "refreshed_at": now})
    return len(wanted)


def refresh(*, case_ids: list[int] | None = None, today: dt.date | None = None) -> int:
    """Refresh the alerts of the given cases (every open case when None); the number of alerts standing."""
    today, now = today or timezone.localdate(), timezone.now()
    cases = Case.objects.select_related("department", "hearing", "payment").prefetch_related("preservations")
    if case_ids is None:
        DeadlineAlert.objects.exclude(case__status__in=workflow.OPEN).delete()
        cases = cases.filter(status__in=workflow.OPEN)
    else:
        cases = cases.filter(pk__in=case_ids)
    total = 0
    for case in cases.order_by("pk").iterator(chunk_size=200):
        if case.status in workflow.OPEN:
            total += _refresh(case, today, now)
        else:
            DeadlineAlert.objects.filter(case=case).delete()
    return total


@task()
def deadlines_refresh() -> int:
    return refresh()


@task()
def case_deadlines_refresh(case_id: int) -> int:
    return refresh(case_ids=[case_id])


@task()
def case_file_build(case_id: int) -> int:
    """The case's file as it stands now, built and stored (`casefile.build`); the seq it covers (0: no case)."""
    stored = casefile.build(actor=SystemActor("task:enforcement.case_file_build"), case_id=case_id)
    return stored.seq if stored else 0
