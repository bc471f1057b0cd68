"""The information chain (监管信息链) of one market entity: every library's events about it in one timeline,
each within the reader's scope. Libraries take part by having a `timeline` module (core.registry)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jianguan.core.registry import ChainEntry, ChainQuery, chain_providers
from jianguan.core.scoping import HasScope
from jianguan.subjects import contracts as subjects
from jianguan.subjects.contracts import EntityCard


@dataclass(frozen=True)
class Chain:
    entity: EntityCard
    entries: list[ChainEntry]
    counts: dict[str, int]
    kinds: dict[str, str]  # every kind a provider offers → label


def kinds() -> dict[str, str]:
    return {kind: str(label) for provider in chain_providers() for kind, label in provider.KINDS.items()}


def entity_chain(*, reader: HasScope, uscc: str, kinds_wanted: set[str] | None = None, since: dt.date | None = None,
                 until: dt.date | None = None, limit: int = 200) -> Chain:
    """The chain of the entity with code `uscc` (NotFound outside the reader's jurisdiction), newest first."""
    card = subjects.entity_get(reader=reader, uscc=uscc)
    query = ChainQuery(reader=reader, entity_id=card.id, uscc=card.uscc,
                       kinds=frozenset(kinds_wanted) if kinds_wanted else None,
                       since=since, until=until, limit=limit)
    entries: list[ChainEntry] = []
    counts: dict[str, int] = {}
    for provider in chain_providers():
        found, counted = provider.read(query)
        entries += found
        counts.update(counted)
    entries.sort(key=lambda e: (e.date, e.kind), reverse=True)
    return Chain(entity=card, entries=entries[:limit], counts=counts, kinds=kinds())
