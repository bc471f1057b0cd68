"""The leaders' dashboard figure of risk alerts (`core.tallies`): alerts raised per month and where they stand
(their outcome once decided)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jianguan.core.tallies import Tally, TallyRow, by_month

from .models import Alert, AlertStatus


def _alerts(first: dt.date, last: dt.date) -> list[TallyRow]:
    return by_month(Alert.objects.all(), date="created_at", key="status", first=first, last=last)


TALLIES = [Tally("alerts", "风险预警及处置结果", _alerts, dict(AlertStatus.choices),
                 lambda key, month: f"{reverse('risk:list')}?status={key}", kind="share", order=40)]
