"""Reads of market entities within the reader's jurisdiction."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jianguan.core.scoping import HasScope

from .models import MarketEntity


def entity_list(*, reader: HasScope, q: str | None = None, region: str | None = None,
                risk_class: str | None = None, status: str | None = None) -> QuerySet[MarketEntity]:
    entities = MarketEntity.objects.visible_to(reader)
    if q:
        q = q.strip()
        entities = entities.filter(Q(uscc=q.upper()) | Q(name__startswith=q)) if len(q) < 18 or not q.isalnum() \
            else entities.filter(uscc=q.upper())
    if region:
        entities = entities.filter(region_id=region)
    if risk_class:
        entities = entities.filter(risk_class=risk_class)
    if status:
        entities = entities.filter(status=status)
    return entities.select_related("region", "industry").order_by("uscc")


def entity_get(*, reader: HasScope, uscc: str) -> MarketEntity:
    return MarketEntity.objects.select_related("region", "industry").get_visible(reader, uscc=uscc.upper())
