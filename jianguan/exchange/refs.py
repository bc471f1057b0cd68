"""References of the quality check (关联性) answered from the database: the periods in which catalog 子项 and
implementation rows were in force, and the 检查行为编号 of the behaviour library.

Each look-up takes the distinct codes of a whole batch and costs a fixed number of queries (codes are sent in
slices of `SLICE`, under SQLite's limit of bound parameters), never one query per record. The periods follow the
catalog's own rule (`catalog.contracts.in_force_windows`, the rule its guard applies to one record); an
implementation row also needs its 子项 in force that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from jianguan.behaviour.models import Inspection
from jianguan.catalog.contracts import Version
from jianguan.catalog.contracts import in_force_windows as windows
from jianguan.catalog.models import CatalogVersion, Implementation, ImplementationVersion

from .standards.rules import Window

SLICE = 900

def _slices(values: Iterable[Any]) -> Iterator[list[Any]]:
    values = sorted(values)
    for start in range(0, len(values), SLICE):
        yield values[start:start + SLICE]


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
