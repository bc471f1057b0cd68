"""The department evaluation's figure of risk alerts (`core.measures`): verified and disposed of in time."""

from __future__ import annotations

import datetime as dt

from jianguan.core.measures import Counts, Measure, on_time

from .models import Alert


def _disposed(first: dt.date, last: dt.date) -> Counts:
    return on_time(Alert.objects.all(), due="verify_due", done="decided_at", first=first, last=last)


MEASURES = [Measure("alerts_on_time", "风险预警按期核查处置率", "核查期限在本月的风险预警中，在期限内核查处置的",
                    _disposed)]
