"""The information chain (监管信息链) of one market entity: every library's events about it in one timeline,
each within the reader's scope. Libraries take part by having a `timeline` module (core.registry)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

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


def chain_get(*, reader: HasScope, uscc: str, kinds_wanted: set[str] | None = None, since: dt.date | None = None,
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
    return Chain(entity=card, entries=nest(entries)[:limit], counts=counts, kinds=kinds())


def nest(entries: list[ChainEntry]) -> list[ChainEntry]:
    """Each record once: an entry that covers others (a spot check and the 行政检查 of each of its task items)
    carries those found among `entries` as its `items`, and they leave the top level. Order is kept; the counts
    stay counts of records per kind (asked for alone, a kind lists each of its records)."""
    by_ref = {entry.ref: entry for entry in entries if entry.ref}
    taken: set[str] = set()
    nested: list[ChainEntry] = []
    for entry in entries:
        if entry.covers:
            items = tuple(by_ref[ref] for ref in entry.covers if ref in by_ref and ref not in taken)
            taken.update(item.ref for item in items)
            entry = replace(entry, items=items)
        nested.append(entry)
    return [entry for entry in nested if entry.ref not in taken or entry.covers]


def duplicates(entries: list[ChainEntry]) -> list[str]:
    """The records a chain shows more than once (at the top level or beneath another entry), by `ref`; a record an
    entry covers but that stands on its own too counts as shown twice."""
    shown = Counter(ref for entry in entries for ref in (entry.ref, *(i.ref for i in entry.items)) if ref)
    covered = {ref for entry in entries for ref in entry.covers}
    return sorted({ref for ref, n in shown.items() if n > 1}
                  | {entry.ref for entry in entries if entry.ref in covered})
