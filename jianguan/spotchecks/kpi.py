"""The department evaluation's figure of spot checks (`core.measures`): results published within 20 working days
of the task's window (spot-checks.md), counted for the task's lead department."""

from __future__ import annotations

import datetime as dt

from jianguan.core.measures import Counts, Measure, on_time

from .models import CheckResult


def _published(first: dt.date, last: dt.date) -> Counts:
    return on_time(CheckResult.objects.all(), due="publish_due", done="published_at", first=first, last=last,
                   department="draw__task__lead_id")


MEASURES = [Measure("spot_checks_on_time", "抽查结果按期公示率", "公示期限在本月的抽查结果中，在期限内公示的",
                    _published)]
