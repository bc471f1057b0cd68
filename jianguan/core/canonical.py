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

import orjson


def canonical_json(value: Any) -> bytes:
    """Serialise a JSON-native value canonically (raises TypeError for anything else)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def canonical_json_plain(value: Any) -> bytes:
    """`canonical_json` of a value known to hold no float (only strings, integers, booleans, None, lists and objects),
    written by orjson: the same bytes, several times faster — for inputs of tens of MB such as a city's draw pool.
    Floats are the one case where the two writers differ (1e16 against 1e+16), hence the precondition."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # a key that is not a string, an integer beyond 64 bits: the standard writer's answer
        return canonical_json(value)


def parse_json_plain(data: bytes) -> Any:
    """`json.loads` of a document known to hold no float and no integer beyond 64 bits (what `canonical_json_plain`
    wrote), by orjson: several times faster. orjson would read a larger integer as a float, hence the precondition;
    what it refuses (an escaped lone surrogate) gets the standard parser's answer."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


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
