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

from collections.abc import Iterable
from typing import Any

from jianguan.coercion.models import Measure
from jianguan.enforcement import contracts as enforcement
from jianguan.inspections import contracts as inspections

from .models import SourceKind


def recorded_by_number(kind: str, rows: Iterable[Any]) -> dict[str, list[str]]:
    """The names the records behind each of the decisions `rows` (behaviour rows of `kind`) give, in one or three
    queries for them all: decision number → names (none for a received licence: its names are on its row)."""
    numbers = [row.number for row in rows if row.number]
    if kind == SourceKind.PENALTY:
        return enforcement.case_persons_by_number(numbers)
    if kind == SourceKind.INSPECTION:
        return inspections.witnesses_by_number(numbers)
    if kind == SourceKind.COERCION:
        found: dict[str, list[str]] = {}
        for number, witness in Measure.objects.filter(behaviour_number__in=numbers).exclude(witness="").values_list(
                "behaviour_number", "witness"):
            found.setdefault(number, []).append(witness)
        return found
    return {}


def persons_of(kind: str, row: Any, recorded: dict[str, list[str]] | None = None) -> list[str]:
    """The natural persons named by the records of the decision `row` (a behaviour row of `kind`), sorted;
    `recorded` is `recorded_by_number` of a batch holding `row`, read for it when not given."""
    names = [row.party_name] if row.party_nature == "person" else []
    entity = row.entity if row.entity_id else None
    if entity is not None and entity.legal_representative:
        names.append(entity.legal_representative)
    if kind == SourceKind.LICENCE:
        names += row.recorded
    elif row.number:
        names += (recorded if recorded is not None else recorded_by_number(kind, [row])).get(row.number, [])
    return sorted({name.strip() for name in names if name and name.strip()})
