from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jianguan.core.http import reader_of
from jianguan.core.registry import Card

from .models import EntityStatus, MarketEntity, RiskClass


def cards(request: HttpRequest) -> list[Card]:
    counts = dict(MarketEntity.objects.visible_to(reader_of(request)).filter(status=EntityStatus.ACTIVE)
                  .values_list("risk_class").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    rows = [(str(RiskClass(c).label), f"{counts.get(c, 0):,}") for c in RiskClass.values]
    return [Card(title=_("辖区存续市场主体"), value=f"{total:,}", url=reverse("subjects:list"), rows=rows, order=10)]
