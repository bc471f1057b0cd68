"""What else is checked as records: a file (CSV, Excel, JSON), and rows of the behaviour library mapped to the
standard's fields as the exchange would send them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .. import standards
from ..standards import Standard
from ..standards import values as v
from .engine import Verdicts, check
from .reference import Refs


def check_file(standard: Standard | str, path: Any, *, refs: Refs | None = None,
               progress: Callable[[int], Any] | None = None) -> tuple[Any, Verdicts]:
    """Check a CSV (UTF-8 or GBK), Excel or JSON file: (what was read, with each record's row; the verdicts).
    Raises jianguan.core.tabular.ImportRefused for a file that cannot be read as records."""
    from ..readers import read_records

    loaded = read_records(path)
    return loaded, check(standard, loaded.records, refs=refs, progress=progress)


def check_table(standard: Standard | str, queryset: Any, *, refs: Refs | None = None) -> Verdicts:
    """Check behaviour-library rows (a queryset, scoped by the caller) as the exchange would send them."""
    return check(standard, records_from_library(standard, queryset), refs=refs)


# The behaviour library as exchange records -----------------------------------------------------------------------


def _local(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(v.LOCAL)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


_LIBRARY_FIELDS: dict[str, Callable[[Any], Any]] = {
    "record_id": lambda o: str(o.record_id),
    "department_name": lambda o: o.department.name,
    "department_code": lambda o: o.department.uscc,
    "delegated_by_name": lambda o: o.delegated_by.name if o.delegated_by_id else "",
    "delegated_by_code": lambda o: o.delegated_by.uscc if o.delegated_by_id else "",
    "region_code": lambda o: o.region.gb2260,
    "reported_at": lambda o: _local(o.reported_at),
}
LIBRARY_STANDARDS = {"Inspection": "inspection", "Penalty": "penalty", "Coercion": "coercion",
                     "OtherAction": "other_action"}


def _as_exchange(field, value: Any) -> Any:
    if value is None:
        return None
    if field.type in ("date", "datetime"):
        return _local(value) if isinstance(value, dt.datetime) else value.isoformat()
    if field.type == "decimal":
        return str(value)
    if field.type == "list":
        return list(value)
    return value


def records_from_library(standard: Standard | str, queryset) -> list[dict[str, Any]]:
    """Behaviour-library rows (a queryset of Inspection, Penalty, Coercion or OtherAction, already scoped by the
    caller) as exchange records keyed by ascii field ids. A natural person's ID number is stored masked (sealed
    at rest), so such a record fails the check-character rule until the caller supplies the number."""
    standard = standards.get(standard)
    expected = LIBRARY_STANDARDS.get(queryset.model.__name__)
    if expected != standard.name:
        raise ValueError(f"{queryset.model.__name__} rows are not {standard.name} records")
    getters = [(f.id, _LIBRARY_FIELDS.get(f.id), f) for f in standard.fields]
    rows = queryset.select_related("department", "delegated_by", "region")
    out = []
    for row in rows.iterator(chunk_size=2000):
        out.append({fid: getter(row) if getter else _as_exchange(f, getattr(row, fid)) for fid, getter, f in getters})
    return out
