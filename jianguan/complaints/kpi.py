"""The department evaluation's figure of complaints (`core.measures`): concluded within their handling time."""

from __future__ import annotations

import datetime as dt

from jianguan.core.measures import Counts, Measure, on_time

from .models import Complaint


def _concluded(first: dt.date, last: dt.date) -> Counts:
    return on_time(Complaint.objects.all(), due="handle_due", done="concluded_at", first=first, last=last)


MEASURES = [Measure("complaints_on_time", "投诉举报按期办结率", "办理期限在本月的投诉举报中，在期限内办结的",
                    _concluded)]
