"""The department evaluation's figure of cases (`core.measures`): decided within the time for a decision
(《行政处罚法》第六十条, with any extension approved)."""

from __future__ import annotations

import datetime as dt

from jianguan.core.measures import Counts, Measure, on_time

from .models import Case


def _decided(first: dt.date, last: dt.date) -> Counts:
    return on_time(Case.objects.all(), due="decision_due", done="decided_on", first=first, last=last)


MEASURES = [Measure("cases_on_time", "案件按期办结率", "处罚决定期限在本月的案件中，在期限内作出决定的", _decided)]
