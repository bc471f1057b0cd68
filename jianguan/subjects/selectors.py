"""Reads of market entities within the reader's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from jianguan.accounts.models import Region
from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope

from . import search
from .cards import EntityCard
from .models import Industry, MarketEntity


@dataclass(frozen=True)
class Found:
    """A search's entities; whether it stopped at `search.SCAN_CAP`; how many it found, when the search knows it
    already (pass it to the paginator: counting the list again is a query as long as the search)."""

    entities: QuerySet[MarketEntity]
    capped: bool
    count: int | None


def entity_list(*, reader: HasScope, q: str | None = None, region: str | None = None,
                risk_class: str | None = None, status: str | None = None) -> QuerySet[MarketEntity]:
    """Entities of the reader's jurisdiction; `q` searches codes, names, former names, legal representatives and
    addresses (`subjects.search`). A query of very common words stops at `search.SCAN_CAP` entities: see
    `entity_search` for the flag."""
    return entity_search(reader=reader, q=q, region=region, risk_class=risk_class, status=status).entities


def entity_search(*, reader: HasScope, q: str | None = None, region: str | None = None,
                  risk_class: str | None = None, status: str | None = None) -> Found:
    """Like `entity_list`, with the flag telling that the result stopped at `search.SCAN_CAP` entities and the
    number found."""
    entities = MarketEntity.objects.visible_to(reader)
    if region:
        entities = entities.filter(region_id=region)
    if risk_class:
        entities = entities.filter(risk_class=risk_class)
    if status:
        entities = entities.filter(status=status)
    matched, capped, count = search.filter_entities(entities, q or "")
    return Found(matched.select_related("region", "industry").order_by(*search.ranking(q or ""), "uscc"), capped,
                 count)


_ENTITY, _REGION, _INDUSTRY = MarketEntity._meta.db_table, Region._meta.db_table, Industry._meta.db_table
_CARD_SQL = f"""
    SELECT e.uscc, e.name, e.entity_type, e.enterprise_type, e.legal_representative, e.registered_address,
           e.region_id, r.name AS region_name, e.industry_id, i.section AS industry_section,
           i.name AS industry_name, e.established_on, e.registered_capital, e.status, e.risk_class, e.id
    FROM {_ENTITY} e JOIN {_REGION} r ON r.code = e.region_id JOIN {_INDUSTRY} i ON i.code = e.industry_id
    WHERE e.uscc = %s
"""  # noqa: S608 (table names from the models; the code is a parameter)
_DATE = MarketEntity._meta.get_field("established_on")
_CAPITAL = MarketEntity._meta.get_field("registered_capital")
_CENTS = Decimal(10) ** -_CAPITAL.decimal_places


def entity_get(*, reader: HasScope, uscc: str) -> EntityCard:
    """One entity by code within the reader's jurisdiction, as a card with its region's and industry's names.

    The most frequent read of the platform (every chain, every record form, every API lookup), so it is one
    statement written out and read into a card, not a queryset composed on each call (four times the cost);
    the jurisdiction is checked on the row with the model's declared scope fields.
    """
    with connection.cursor() as cursor:
        cursor.execute(_CARD_SQL, [uscc.strip().upper()])
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    if row is None:
        raise NotFound()
    values = dict(zip(names, row, strict=True))  # read by column name, never by position
    values["established_on"] = _DATE.to_python(values["established_on"])
    capital = values["registered_capital"]
    values["registered_capital"] = None if capital is None else _CAPITAL.to_python(capital).quantize(_CENTS)
    card = EntityCard(**values)
    if not MarketEntity.objects.covers(reader.scope, card):
        raise NotFound()
    return card
