"""The case's person list of an item (ADR 0048: names come from the case's person list only): the natural persons
the records of the decision name, whose names the published copy hides in free text — all but the party.

- 行政处罚 made on the platform: the case's party when a person, the party entity's 法定代表人, everyone
  interviewed (被询问人: 证人, 委托代理人, employees) and every 受送达人 other than the party
  (`enforcement.contracts.case_persons`);
- 行政检查: the inspection's 见证人 (`inspections.contracts.witnesses`);
- 行政强制: the measure's 见证人 (《行政强制法》第十八条);
- 行政许可 received through the exchange (ADR 0062): the 法定代表人 the record names;
and for every kind the party entity's 法定代表人. A decision received through the exchange has no case here: only
its party and the entity's representative are known, and a reviewer adds other names by hand (rule `manual`).
The officers are not on the list: 执法人员 are published with their credential numbers (事前公开)."""

from __future__ import annotations

from typing import Any

from jianguan.coercion.models import Measure
from jianguan.enforcement import contracts as enforcement
from jianguan.inspections import contracts as inspections

from .models import SourceKind


def _recorded(kind: str, row: Any) -> list[str]:
    number = row.number
    if kind == SourceKind.LICENCE:
        return list(row.recorded)
    if kind == SourceKind.PENALTY:
        return enforcement.case_persons(behaviour_number=number)
    if kind == SourceKind.INSPECTION:
        return inspections.witnesses(number=number)
    if kind == SourceKind.COERCION and number:
        return list(Measure.objects.filter(behaviour_number=number).exclude(witness="")
                    .values_list("witness", flat=True))
    return []


def persons_of(kind: str, row: Any) -> list[str]:
    """The natural persons named by the records of the decision `row` (a behaviour row of `kind`), sorted."""
    names = [row.party_name] if row.party_nature == "person" else []
    entity = row.entity if row.entity_id else None
    if entity is not None and entity.legal_representative:
        names.append(entity.legal_representative)
    names += _recorded(kind, row)
    return sorted({name.strip() for name in names if name and name.strip()})
