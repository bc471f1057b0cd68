"""The read model of the object library: an entity as shown and served (offered to other apps through the
contract)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .models import EntityStatus, EntityType, MarketEntity, RiskClass


@dataclass(frozen=True, slots=True)
class EntityCard:
    """One market entity as shown and served: its registration facts and the names of its region and industry."""

    uscc: str
    name: str
    entity_type: str
    enterprise_type: str
    legal_representative: str
    registered_address: str
    region_id: str
    region_name: str
    industry_id: str
    industry_section: str
    industry_name: str
    established_on: dt.date
    registered_capital: Decimal | None
    status: str
    risk_class: str
    id: int = 0  # the row's key, for other apps' records of the entity (never shown)

    @classmethod
    def from_model(cls, entity: MarketEntity) -> EntityCard:
        """From an entity read with its region and industry (select_related)."""
        return cls(entity.uscc, entity.name, entity.entity_type, entity.enterprise_type, entity.legal_representative,
                   entity.registered_address, entity.region_id, entity.region.name, entity.industry_id,
                   entity.industry.section, entity.industry.name, entity.established_on, entity.registered_capital,
                   entity.status, entity.risk_class, entity.pk)

    @property
    def entity_type_label(self) -> str:
        return str(EntityType(self.entity_type).label)

    @property
    def status_label(self) -> str:
        return str(EntityStatus(self.status).label)

    @property
    def risk_class_label(self) -> str:
        return str(RiskClass(self.risk_class).label) if self.risk_class else ""

