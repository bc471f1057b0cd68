"""Reads of the evaluation, scoped like every record: a department's own score for its people, every score of the
jurisdiction for those who read across departments (`core.roles.WIDE_READ_ROLES`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from jianguan.core.months import months_before
from jianguan.core.scoping import HasScope

from .models import Evaluation, Level, Score

TREND_MONTHS = 6


def evaluation_latest(month: str) -> Evaluation | None:
    """The newest evaluation computed for `month`."""
    return Evaluation.objects.filter(month=month).select_related("scheme").order_by("-computed_at", "-pk").first()


def score_list(*, reader: HasScope, evaluation: Evaluation, level: str = Level.DEPARTMENT) -> QuerySet[Score]:
    return (Score.objects.visible_to(reader).filter(evaluation=evaluation, level=level)
            .select_related("department", "region").order_by("rank", "department__name", "region_id"))


def trend(*, reader: HasScope, month: str, level: str = Level.DEPARTMENT) -> dict[Any, list[float | None]]:
    """Each visible party's scores of the `TREND_MONTHS` months ending with `month` (None for a month without an
    evaluation or a score), keyed by department id (or region code)."""
    months = months_before(month, TREND_MONTHS)
    latest = {m: e.pk for m in months if (e := evaluation_latest(m)) is not None}
    series: dict[Any, list[float | None]] = defaultdict(lambda: [None] * len(months))
    key = "department_id" if level == Level.DEPARTMENT else "region_id"
    rows = Score.objects.visible_to(reader).filter(evaluation_id__in=latest.values(), level=level)
    position = {pk: months.index(m) for m, pk in latest.items()}
    for party, evaluation_id, value in rows.values_list(key, "evaluation_id", "score"):
        series[party][position[evaluation_id]] = value
    return dict(series)
