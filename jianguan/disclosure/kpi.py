"""The department evaluation's figure of disclosure (`core.measures`): decisions published by their due day
(7 or 20 working days, `rules.clock`); an item withheld by a rule of law is not due."""

from __future__ import annotations

import datetime as dt

from jianguan.core.measures import Counts, Measure, on_time

from .models import DisclosureItem, ItemStatus


def _published(first: dt.date, last: dt.date) -> Counts:
    return on_time(DisclosureItem.objects.exclude(status=ItemStatus.WITHHELD), due="due_on", done="published_on",
                   first=first, last=last)


MEASURES = [Measure("disclosure_on_time", "执法信息按期公示率", "应公示日期在本月的执法决定中，在期限内公示的",
                    _published)]
