"""The leaders' dashboard figure of inspections (`core.tallies`): 行政检查 begun, per month and status."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jianguan.core.tallies import Tally, TallyRow, by_month

from .models import FieldInspection, Status


def _inspections(first: dt.date, last: dt.date) -> list[TallyRow]:
    return by_month(FieldInspection.objects.all(), date="started_at", key="status", first=first, last=last)


TALLIES = [Tally("inspections", "行政检查（按月）", _inspections, dict(Status.choices),
                 lambda key, month: f"{reverse('inspections:list')}?all=1&status={key}&month={month}", order=20)]
