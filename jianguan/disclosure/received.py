"""A 行政许可 decision received through the exchange, in the shape of a behaviour row (ADR 0062), so that the one
path that makes an item (`sweep.item_new`: `fields.fields_of`, `persons.persons_of`, `rules.clock`,
`rules.withheld_at_creation`, `rules.period`) serves it too.

The platform makes no 行政许可 decisions and the behaviour library has no licence table: the exchange keeps the
received 双公示 record and hands its values over (`licences.licences_receive`). `pk` is the kept record's id, opaque
to disclosure (the item's `source_id`). A natural person's ID number is held only while the item is made (to find
a minor party, 《未成年人保护法》第一百零三条) and copied masked; it is never stored here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jianguan.core.codes import mask_ric
from jianguan.subjects.models import MarketEntity

from .models import DisclosureItem

PERSON = "person"


@dataclass
class Licence:
    """The behaviour row's attributes the item's path reads, and the standard's fields (`values`)."""

    pk: int
    record_id: str
    date: dt.date
    region_id: str
    entity_id: int | None
    party_name: str
    party_nature: str
    number: str
    values: dict[str, Any]
    party_id_number: str = ""  # the raw ID number of a natural person party, only while the item is made
    recorded: list[str] = field(default_factory=list)  # natural persons the record names (its 法定代表人)

    @property
    def entity(self) -> MarketEntity | None:
        return MarketEntity.objects.filter(pk=self.entity_id).first() if self.entity_id else None

    @property
    def party_code(self) -> str:
        """The party's code as published: the 统一社会信用代码, or a natural person's ID number masked."""
        if self.party_nature == PERSON:
            return mask_ric(self.party_id_number or str(self.values.get("id_number") or ""))
        return str(self.values.get("party_code_1") or "")


def row_of(item: DisclosureItem) -> Licence:
    """The licence an item was made from, as its fields keep it (the kept record itself is the exchange's)."""
    values = dict(item.fields)
    return Licence(pk=item.source_id, record_id=item.source_record_id, date=item.decided_on,
                   region_id=item.region_id, entity_id=item.entity_id, party_name=item.party_name,
                   party_nature=str(values.get("party_category") or ""),
                   number=str(values.get("licence_number") or item.decision_number), values=values,
                   recorded=[str(name) for name in item.persons])
