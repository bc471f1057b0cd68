"""The leaders' dashboard figures of the object library (`core.tallies`): market entities by registration status
and by credit class (信用风险分类), per region as they stand."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jianguan.core.tallies import Tally, TallyRow, present

from .models import EntityStatus, MarketEntity, RiskClass


def _entities(first: dt.date, last: dt.date) -> list[TallyRow]:
    return present(MarketEntity.objects.all(), key="status", department=None)


def _classes(first: dt.date, last: dt.date) -> list[TallyRow]:
    return present(MarketEntity.objects.exclude(risk_class=""), key="risk_class", department=None)


TALLIES = [
    Tally("entities", "市场主体（按登记状态）", _entities, dict(EntityStatus.choices),
          lambda key, month: reverse("subjects:list"), kind="share", order=10),
    Tally("credit", "信用风险分类", _classes, dict(RiskClass.choices),
          lambda key, month: f"{reverse('subjects:list')}?risk_class={key}", kind="share", order=50),
]
