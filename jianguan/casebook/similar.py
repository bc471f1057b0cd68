"""The similar cases of one case, by its 案件编号: a library entry's item, article and band, or — for a case still
being handled, whose proposal the officer is weighing — the case's own item, article and band as enforcement holds
them (ADR 0061)."""

from __future__ import annotations

from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope
from jianguan.discretion.contracts import compact
from jianguan.enforcement import contracts as enforcement

from . import selectors
from .models import Entry


def similar_of_case(*, reader: HasScope, number: str) -> selectors.Similar:
    """Similar cases of the case `number` within the reader's scope (NotFound for a case outside it)."""
    entry = Entry.objects.visible_to(reader).filter(case_number=number).first()
    if entry is not None:
        return selectors.similar(reader=reader, catalog_code=entry.catalog_code, article=entry.article,
                                 band=entry.band)
    card = enforcement.case_card(number=number, reader=reader)
    band = card.discretion or {}
    if not card.catalog_code or not (band.get("article") or card.basis):
        raise NotFound("本案尚未确定监管事项和处罚依据，无法查找类似案例", code="not_found")
    return selectors.similar(reader=reader, catalog_code=card.catalog_code,
                             article=band.get("article") or compact(card.basis), band=band.get("band", ""))
