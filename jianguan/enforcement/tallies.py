"""The leaders' dashboard figure of cases (`core.tallies`): cases by the month they were found or received, and
their status."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jianguan.core.tallies import Tally, TallyRow, by_month

from .models import Case, CaseStatus


def _cases(first: dt.date, last: dt.date) -> list[TallyRow]:
    return by_month(Case.objects.all(), date="received_on", key="status", first=first, last=last)


TALLIES = [Tally("cases", "行政处罚案件（按收到月份）", _cases, dict(CaseStatus.choices),
                 lambda key, month: f"{reverse('enforcement:cases')}?scope=all&status={key}&month={month}",
                 order=30)]
