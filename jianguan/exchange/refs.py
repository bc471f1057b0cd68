"""References of the quality check (关联性) answered from the database: the periods in which catalog 子项 and
implementation rows were in force, and the 检查行为编号 of the behaviour library.

Each look-up takes the distinct codes of a whole batch and costs a fixed number of queries (codes are sent in
slices of `SLICE`, under SQLite's limit of bound parameters), never one query per record. The periods follow the
catalog's guard exactly (catalog.contracts.require_item_in_force / require_in_force): on day D the highest
published version current on D (started, not superseded) decides, and the row is in force when that version is
在用 and not past its cancel date; an implementation row also needs its 子项 in force that day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from jianguan.behaviour.models import Inspection
from jianguan.catalog.models import CatalogVersion, Implementation, ImplementationVersion, ItemStatus

from .standards.rules import Window

SLICE = 900

# (version, status, effective_from, cancel_on, superseded_on)
Version = tuple[int, str, dt.date, dt.date | None, dt.date | None]


def _slices(values: Iterable[Any]) -> Iterator[list[Any]]:
    values = sorted(values)
    for start in range(0, len(values), SLICE):
        yield values[start:start + SLICE]


def _in_force(versions: Sequence[Version], day: dt.date) -> bool:
    current = [v for v in versions if v[2] <= day and (v[4] is None or v[4] > day)]
    if not current:
        return False
    _, status, _, cancel_on, _ = max(current)
    return status == ItemStatus.IN_USE and (cancel_on is None or cancel_on > day)


def windows(versions: Sequence[Version]) -> list[Window]:
    """The periods in force of one identity, from its published versions: the answer changes only on a start,
    a cancel or a supersede date, so it is decided once per stretch between those dates."""
    edges = sorted({d for v in versions for d in (v[2], v[3], v[4]) if d is not None})
    found: list[Window] = []
    for i, start in enumerate(edges):
        if not _in_force(versions, start):
            continue
        end = edges[i + 1] if i + 1 < len(edges) else None
        if found and found[-1][1] == start:
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found


def intersect(a: Sequence[Window], b: Sequence[Window]) -> list[Window]:
    found = []
    for start_a, end_a in a:
        for start_b, end_b in b:
            start = max(start_a, start_b)
            ends = [e for e in (end_a, end_b) if e is not None]
            end = min(ends) if ends else None
            if end is None or start < end:
                found.append((start, end))
    return sorted(found)


_VERSION_FIELDS = ("version", "status", "effective_from", "cancel_on", "superseded_on")


class LibraryRefs:
    """Refs (jianguan.exchange.quality.reference.Refs) from the catalog and the behaviour library. `queries` counts the
    database round trips, for the tests that hold it to a fixed number per batch."""

    def __init__(self) -> None:
        self.queries = 0

    def _item_versions(self, **lookup: Any) -> dict[Any, list[Version]]:
        key, values = next(iter(lookup.items()))
        found: dict[Any, list[Version]] = defaultdict(list)
        for part in _slices(values):
            self.queries += 1
            rows = CatalogVersion.objects.filter(published_at__isnull=False, **{f"{key}__in": part})
            if key == "code":
                rows = rows.filter(is_sub_item=True)
            for owner, *version in rows.values_list(key, *_VERSION_FIELDS):
                found[owner].append(tuple(version))
        return found

    def catalog_windows(self, codes: Collection[str]) -> dict[str, list[Window]]:
        return {code: windows(versions) for code, versions in self._item_versions(code=codes).items()}

    def implementation_windows(self, codes: Collection[str]) -> dict[str, tuple[str, str, list[Window]]]:
        rows = []
        for part in _slices(codes):
            self.queries += 1
            rows += Implementation.objects.filter(code__in=part).values_list("code", "pk", "item_id", "item__code",
                                                                             "body__uscc")
        if not rows:
            return {}
        versions: dict[int, list[Version]] = defaultdict(list)
        for part in _slices(pk for _, pk, *_ in rows):
            self.queries += 1
            for owner, *version in ImplementationVersion.objects.filter(
                    published_at__isnull=False, implementation_id__in=part).values_list("implementation_id",
                                                                                        *_VERSION_FIELDS):
                versions[owner].append(tuple(version))
        items = {item: windows(found) for item, found in self._item_versions(item_id={r[2] for r in rows}).items()}
        return {code: (item_code, body, intersect(windows(versions[pk]), items.get(item_id, [])))
                for code, pk, item_id, item_code, body in rows}

    def known_inspections(self, numbers: Collection[str]) -> set[str]:
        found: set[str] = set()
        for part in _slices(numbers):
            self.queries += 1
            found.update(Inspection.objects.filter(number__in=part).values_list("number", flat=True))
        return found
