"""The case row under a write: its numbers (线索编号, 案件编号), its lock, and the refresh of its deadlines
after the write commits."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.core.errors import NotFound
from jianguan.core.numbering import daily_number, next_number

from .models import Case, Clue, Procedure
from .permissions import current_decision_due


def new_clue_number() -> str:
    """线索编号 per day: XS2026120700001 (taken under the day's sequence row lock)."""
    return daily_number("XS", timezone.localdate(), issued=Clue.objects)


def new_case_number(department: Department, year: int) -> str:
    """案件编号 per department and year, gapless: AJ2026-0012-00001 (taken under the sequence row's lock)."""
    return next_number(f"AJ{year}-{department.pk:04d}-", scope=f"AJ-{department.pk}", period=str(year),
                       issued=Case.objects)


def case_lock(case_id: int) -> Case:
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return Case.objects.select_related("department__region", "department__parent", "region", "entity",
                                       "person", "clue").get(pk=case.pk)


def refresh_later(case_id: int) -> None:
    from . import tasks  # tasks import this module: resolved at call time

    transaction.on_commit(lambda: tasks.case_deadlines_refresh.enqueue(case_id=case_id))


def refresh_decision_due(case_id: int, today: dt.date | None = None) -> None:
    """Recompute the stored decision date (an open suspension moves it every day)."""
    today = today or timezone.localdate()
    case = Case.objects.filter(pk=case_id).first()
    if case is not None and case.filed_on and not case.decided_on and case.procedure == Procedure.ORDINARY:
        due = current_decision_due(case, today)
        if due != case.decision_due:
            Case.objects.filter(pk=case_id).update(decision_due=due)
