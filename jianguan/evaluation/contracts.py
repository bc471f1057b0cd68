"""What other apps may read of the evaluation (the leaders' view): a month's ranked scores, scoped."""

from __future__ import annotations

from jianguan.core.scoping import HasScope

from . import selectors
from .models import Score

__all__ = ["Score", "department_scores"]


def department_scores(*, reader: HasScope, month: str) -> list[Score]:
    """The departments' scores of `month`'s newest evaluation the reader may see, ranked; empty when none."""
    found = selectors.evaluation_latest(month)
    return [] if found is None else list(selectors.score_list(reader=reader, evaluation=found))
