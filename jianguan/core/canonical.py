"""Canonical JSON: one byte string for one value, so that hashes can be recomputed by anyone.

UTF-8, keys sorted, separators `,` and `:` without spaces, non-ASCII characters not escaped. Only JSON-native
values are allowed: convert dates, decimals and ids with `to_jsonable` first, so that what is stored is exactly
what was hashed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any


def canonical_json(value: Any) -> bytes:
    """Serialise a JSON-native value canonically (raises TypeError for anything else)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def to_jsonable(value: Any) -> Any:
    """Convert common Python values to JSON-native ones, recursively; floats are refused (use Decimal)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not canonical: pass a Decimal or a string")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise TypeError("naive datetime in canonical data")
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=canonical_json) if isinstance(value, (set, frozenset)) else items
    raise TypeError(f"not JSON-able: {type(value).__name__}")
