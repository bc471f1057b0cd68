"""The verifiable random draw `jianguan-draw-v1` (双随机一公开): objects by stratum, inspectors per object.

Pure functions over JSON-shaped values and nothing but the standard library, so that anyone can re-run a published
draw from its transcript (`python -m jianguan.spotchecks.verify`) or write their own verifier from
docs/draw-protocol.md. The Django layer freezes the inputs, stores the transcript and calls in here; nothing here
calls out. Large hashing steps may be spread over forked children of a single-threaded process (`_spread`): the
answer is the same whatever the number of processes.

The steps: freeze the inputs; publish a commitment to them and to a randomness beacon round that does not exist yet;
once the beacon value is known, seed = SHA-256(commitment ‖ beacon value); each stratum's objects are ranked by
SHA-256(seed ‖ "object\\n" + id) and the n smallest drawn; each drawn object's inspectors are ranked by
SHA-256(seed ‖ "inspector\\n" + object + "\\n" + inspector) among the eligible ones of each department.

Inputs ("frozen") are strict: every list that is a set must be sorted without duplicates, so that the committed
bytes are exactly what the transcript shows. `normalise` turns loosely built inputs into that form; `commitment`,
`run` and `verify` refuse anything else with a ValueError naming the field.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import math
import operator
import os
import pickle
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import ROUND_CEILING, Decimal, Inexact, localcontext
from typing import Any, TypedDict

PROTOCOL = "jianguan-draw-v1"

DRAND_QUICKNET_CHAIN_HASH = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
DRAND_QUICKNET_GENESIS = 1692803367
DRAND_QUICKNET_PERIOD = 3

FROZEN_FIELDS = ("task", "strata", "pool", "object_regions", "inspectors", "excluded_pairs", "beacon")
TRANSCRIPT_FIELDS = ("protocol", "draw_id", *FROZEN_FIELDS, "commitment", "beacon_value", "seed", "result",
                     "replacements")
TASK_FIELDS = ("id", "departments", "window", "inspectors_per_department", "max_objects_per_inspector",
               "required_qualifications")
INSPECTOR_FIELDS = ("id", "department", "scope", "qualifications", "valid_from", "valid_to")
PAIR_FIELDS = ("object", "inspector", "reason")
_PAIR_KEYS = frozenset(PAIR_FIELDS)
REPLACEMENT_FIELDS = ("n", "object", "out", "in", "reason")
RESULT_FIELDS = ("selected", "assignments", "unassigned")
PUBLIC_FORM = "public"
WITHHELD_FIELDS = ("inspectors", "excluded_pairs")
"""Inputs a public transcript carries by their committed hash only: the inspectors (who they are, their credentials
and jurisdictions) and the excluded pairs (avoidance reasons are personal)."""
PUBLIC_INPUTS = tuple(field for field in FROZEN_FIELDS if field not in WITHHELD_FIELDS)
PUBLIC_TRANSCRIPT_FIELDS = ("protocol", "form", "draw_id", *PUBLIC_INPUTS,
                            *(f"{field}_hash" for field in WITHHELD_FIELDS), "commitment", "beacon_value", "seed",
                            "result")
CLASS_STRATA = frozenset({"A", "B", "C", "D", "AC"})
"""Stratum names that are credit-risk classes (A–D and `AC`, the A-class control sample). The class is an internal
reference for allocating supervision, never published (国市监信发〔2022〕6号): a draw with any stratum of these names
is published in the blinded form (`PUBLIC_BLINDED_FORM`), whatever its other strata are called."""
PUBLIC_BLINDED_FORM = "public-blinded"
PUBLIC_BLINDED_INPUTS = ("task", "beacon")
"""The inputs a blinded public transcript carries by value. The strata, the pools and the object regions are left out
with no hash at all: the commitment document holds the strata by name and one hash per stratum's pool, and a small
stratum's pool hash can be found by trying the subsets of the (public) objects, so no hash of them is published."""
PUBLIC_BLINDED_FIELDS = ("protocol", "form", "draw_id", *PUBLIC_BLINDED_INPUTS,
                         *(f"{field}_hash" for field in WITHHELD_FIELDS), "commitment", "beacon_value", "seed",
                         "result")

_SHA256 = hashlib.sha256
_DIGITS = frozenset("0123456789")
_HEX = frozenset("0123456789abcdef")


class Task(TypedDict):
    id: str
    departments: list[str]
    window: list[str]
    inspectors_per_department: int
    max_objects_per_inspector: int
    required_qualifications: list[str]


class Inspector(TypedDict):
    id: str
    department: str
    scope: list[str]
    qualifications: list[str]
    valid_from: str
    valid_to: str


class ExcludedPair(TypedDict):
    object: str
    inspector: str
    reason: str


Replacement = TypedDict("Replacement", {"n": int, "object": str, "out": str, "in": str, "reason": str})


class Result(TypedDict):
    selected: dict[str, list[str]]
    assignments: dict[str, list[str]]
    unassigned: dict[str, str]


class CommitmentMismatch(ValueError):
    """Stored inputs whose hashes differ from the commitment: they changed after it was made."""


class ReplacementRefused(ValueError):
    """Nobody eligible is left to replace an inspector on an object: the replacement is not recorded."""


# Encoding and hashing ------------------------------------------------------------------------------------------

def canonical(obj: Any) -> bytes:
    """Canonical JSON: UTF-8, non-ASCII unescaped, keys sorted by code point, no insignificant whitespace.

    One value has one byte string, so a hash over it can be recomputed in any language. The protocol's documents
    hold only strings, integers, lists and objects (no floats), which every JSON library writes the same way."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def object_key(seed_bytes: bytes, object_id: str) -> bytes:
    """An object's rank key, SHA-256(seed ‖ "object\\n" + id); smaller keys are drawn first."""
    return _SHA256(seed_bytes + b"object\n" + object_id.encode()).digest()


def inspector_key(seed_bytes: bytes, object_id: str, inspector_id: str) -> bytes:
    """An inspector's rank key for one object, SHA-256(seed ‖ "inspector\\n" + object + "\\n" + inspector)."""
    return _SHA256(seed_bytes + b"inspector\n" + object_id.encode() + b"\n" + inspector_id.encode()).digest()


# Validation ----------------------------------------------------------------------------------------------------

def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _disorder(items: Sequence[Any]) -> int | None:
    """The first position k where items[k] ≥ items[k + 1], if any: set-like lists must ascend strictly."""
    return next((k for k in range(len(items) - 1) if items[k] >= items[k + 1]), None)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value


def _ident(value: Any, what: str) -> str:
    """Ids are joined with line feeds in hashed messages, so a line feed inside one would make them ambiguous."""
    if "\n" in _text(value, what):
        raise ValueError(f"{what} must not contain a line feed, got {value!r}")
    return value


def _fields(value: Any, fields: Sequence[str], what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be an object")
    missing = [f for f in fields if f not in value]
    if missing:
        raise ValueError(f"{what} lacks field {missing[0]!r}")
    unknown = sorted(str(k) for k in value if k not in fields)
    if unknown:
        raise ValueError(f"{what} has unknown field {unknown[0]!r}")
    return value


def _string_set(value: Any, what: str, strict: bool) -> list[str]:
    """A list standing for a set: sorted by code point without duplicates (strict), or made so."""
    if not isinstance(value, list | tuple | set | frozenset) or (strict and not isinstance(value, list)):
        raise ValueError(f"{what} must be a list of strings")
    items = [_ident(v, f"{what} item") for v in value]
    if strict:
        if _disorder(items) is not None:
            raise ValueError(f"{what} must be sorted ascending without duplicates")
        return items
    return sorted(set(items))


def _date(value: Any, what: str, strict: bool) -> str:
    if not strict and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            if dt.date.fromisoformat(value).isoformat() == value:
                return value
        except ValueError:
            pass
    raise ValueError(f"{what} must be a date YYYY-MM-DD, got {value!r}")


def _parse_ratio(name: str, value: Any) -> Decimal:
    """Ratio grammar: digits, optionally "." and digits; 0 ≤ ratio ≤ 1. No exponents, signs or spaces: the string
    is committed as it is, so it must mean the same thing to every reader."""
    if not isinstance(value, str):
        raise ValueError(f"stratum {name}: ratio must be a decimal string, got {value!r}")
    body = value[1:] if value.startswith("-") else value
    whole, dot, fraction = body.partition(".")
    if not whole or not set(whole) <= _DIGITS or (dot and (not fraction or not set(fraction) <= _DIGITS)):
        raise ValueError(f"stratum {name}: ratio {value!r} is not a decimal number such as \"0.05\"")
    ratio = Decimal(value)
    if value.startswith("-") or ratio > 1:
        raise ValueError(f"stratum {name}: ratio must be between 0 and 1, got {value!r}")
    return ratio


def _rule(name: str, rule: Any, strict: bool) -> dict[str, Any]:
    if not isinstance(rule, Mapping) or len(rule) != 1 or not ({"ratio", "count"} & set(rule)):
        raise ValueError(f"stratum {name}: give exactly one of \"ratio\" (a decimal string) or \"count\"")
    if "ratio" in rule:
        ratio = rule["ratio"]
        if not strict and isinstance(ratio, Decimal):
            ratio = format(ratio, "f")
        _parse_ratio(name, ratio)
        return {"ratio": ratio}
    count = rule["count"]
    if not _is_int(count) or count < 0:
        raise ValueError(f"stratum {name}: count must be a non-negative integer, got {count!r}")
    return {"count": count}


def _strata(strata: Any, strict: bool) -> dict[str, dict[str, Any]]:
    if not isinstance(strata, Mapping) or not strata:
        raise ValueError("strata must be a non-empty object of stratum name to rule")
    return {_ident(name, "stratum name"): _rule(name, rule, strict) for name, rule in strata.items()}


def _pool_ids(name: str, ids: Any, strict: bool) -> list[str]:
    """Sorted, unique and line-feed free, checked at C speed: this runs on a million ids before every draw."""
    if not isinstance(ids, list | tuple) or (strict and not isinstance(ids, list)):
        raise ValueError(f"pool {name} must be a list of object ids")
    try:
        joined = "\n".join(ids)  # also the type check: join refuses anything but strings
    except TypeError:
        raise ValueError(f"pool {name}: object ids must be strings") from None
    if not strict:
        ids = sorted(ids)
    if ids and (not ids[0] or joined.count("\n") != len(ids) - 1):
        raise ValueError(f"pool {name}: object ids must be non-empty and contain no line feed")
    if not all(map(operator.lt, ids, ids[1:])):
        k = _disorder(ids) or 0
        problem = "duplicate object id" if ids[k] == ids[k + 1] else "pool not sorted ascending at"
        raise ValueError(f"pool {name}: {problem} {ids[k + 1]!r} (position {k + 1})")
    return list(ids)


def _same_strata(strata: Mapping[str, Any], pool: Mapping[str, Any]) -> None:
    """Every stratum has a rule and a pool, and nothing else."""
    for name in strata:
        if name not in pool:
            raise ValueError(f"stratum {name} is in strata but not in pool")
    for name in pool:
        if name not in strata:
            raise ValueError(f"stratum {name} is in pool but not in strata")


def _pool(pool: Any, strata: Mapping[str, Any], strict: bool) -> dict[str, list[str]]:
    if not isinstance(pool, Mapping):
        raise ValueError("pool must be an object of stratum name to object ids")
    _same_strata(strata, pool)
    checked = {name: _pool_ids(name, pool[name], strict) for name in strata}
    total = sum(len(ids) for ids in checked.values())
    if total == 0:
        raise ValueError("pool is empty")
    if len(checked) > 1 and len(set().union(*checked.values())) != total:
        seen: dict[str, str] = {}
        for name, ids in checked.items():
            for i in ids:
                if i in seen:
                    raise ValueError(f"object {i} is in strata {seen[i]} and {name}")
                seen[i] = name
    return checked


def _regions(regions: Any, pool: Mapping[str, list[str]]) -> dict[str, str]:
    """One non-empty region code for every pooled object and no other, checked with set and join operations (in C:
    this too runs on a million entries before every draw)."""
    if not isinstance(regions, Mapping):
        raise ValueError("object_regions must be an object of object id to region code")
    if len(pool) == 1 and list(regions) == next(iter(pool.values())):  # one stratum, keys in its (sorted) order
        pooled = regions.keys()
    else:
        pooled = set(itertools.chain.from_iterable(pool.values()))
    if regions.keys() != pooled:
        lacking = sorted(pooled - regions.keys())
        if lacking:
            raise ValueError(f"object_regions lacks object {lacking[0]}")
        extra = sorted(str(k) for k in regions.keys() - pooled)
        raise ValueError(f"object_regions has object {extra[0]!r}, which is in no pool")
    codes = regions.values()
    try:
        "".join(codes)
    except TypeError:
        codes = ()
    if not codes or "" in codes:
        key = next(k for k, c in regions.items() if not isinstance(c, str) or not c)
        raise ValueError(f"object_regions: region code of {key} must be a non-empty string")
    return dict(regions)


def _task(task: Any, strict: bool) -> Task:
    task = _fields(task, TASK_FIELDS, "task")
    window = task["window"]
    if not isinstance(window, list | tuple) or (strict and not isinstance(window, list)) or len(window) != 2:
        raise ValueError("task.window must be [start date, end date]")
    start, end = _date(window[0], "task.window start", strict), _date(window[1], "task.window end", strict)
    if start > end:
        raise ValueError("task.window ends before it starts")
    for field in ("inspectors_per_department", "max_objects_per_inspector"):
        if not _is_int(task[field]) or task[field] < 1:
            raise ValueError(f"task.{field} must be an integer of at least 1, got {task[field]!r}")
    departments = _string_set(task["departments"], "task.departments", strict)
    if not departments:
        raise ValueError("task.departments must name at least one department")
    return {"id": _text(task["id"], "task.id"), "departments": departments, "window": [start, end],
            "inspectors_per_department": task["inspectors_per_department"],
            "max_objects_per_inspector": task["max_objects_per_inspector"],
            "required_qualifications": _string_set(task["required_qualifications"], "task.required_qualifications",
                                                   strict)}


def _inspectors(inspectors: Any, strict: bool) -> list[Inspector]:
    if not isinstance(inspectors, list | tuple) or (strict and not isinstance(inspectors, list)):
        raise ValueError("inspectors must be a list")
    checked: list[Inspector] = []
    for k, raw in enumerate(inspectors):
        what = f"inspectors[{k}]"
        raw = _fields(raw, INSPECTOR_FIELDS, what)
        item: Inspector = {
            "id": _ident(raw["id"], f"{what}.id"), "department": _ident(raw["department"], f"{what}.department"),
            "scope": _string_set(raw["scope"], f"{what}.scope", strict),
            "qualifications": _string_set(raw["qualifications"], f"{what}.qualifications", strict),
            "valid_from": _date(raw["valid_from"], f"{what}.valid_from", strict),
            "valid_to": _date(raw["valid_to"], f"{what}.valid_to", strict)}
        if item["valid_from"] > item["valid_to"]:
            raise ValueError(f"{what}: valid_to is before valid_from")
        checked.append(item)
    ids = [i["id"] for i in checked]
    if strict:
        if _disorder(ids) is not None:
            raise ValueError("inspectors must be sorted by id without duplicates")
    else:
        if len(set(ids)) != len(ids):
            raise ValueError(f"inspector {Counter(ids).most_common(1)[0][0]} is listed twice")
        checked.sort(key=lambda i: i["id"])
    return checked


def _plain_pairs(pairs: Sequence[Any], objects: Mapping[str, str], inspector_ids: set[str],
                 strict: bool) -> list[ExcludedPair] | None:
    """The pairs, if every check passes when made column by column (a year of rotation gives hundreds of thousands
    of pairs); None if one fails, so that the pair-by-pair check names it."""
    if not all(type(pair) is dict and pair.keys() == _PAIR_KEYS for pair in pairs):
        return None
    columns = [[pair[field] for pair in pairs] for field in PAIR_FIELDS]
    try:
        joined = ["\n".join(column) for column in columns]  # refuses anything but strings
    except TypeError:
        return None
    if pairs and ("" in set(columns[2]) or any(text.count("\n") != len(pairs) - 1 for text in joined[:2])
                  or not all(columns[0]) or not all(columns[1])):
        return None
    if not set(columns[0]) <= objects.keys() or not set(columns[1]) <= inspector_ids:
        return None
    keys = list(zip(columns[0], columns[1], strict=True))
    if not strict:
        order = sorted(range(len(keys)), key=keys.__getitem__)
        pairs, keys = [pairs[k] for k in order], [keys[k] for k in order]
    if not all(map(operator.lt, keys, keys[1:])):
        return None
    return list(pairs)


def _pairs(pairs: Any, objects: Mapping[str, str], inspector_ids: set[str], strict: bool) -> list[ExcludedPair]:
    if not isinstance(pairs, list | tuple) or (strict and not isinstance(pairs, list)):
        raise ValueError("excluded_pairs must be a list")
    plain = _plain_pairs(pairs, objects, inspector_ids, strict)
    if plain is not None:
        return plain
    checked: list[ExcludedPair] = []
    for k, raw in enumerate(pairs):
        what = f"excluded_pairs[{k}]"
        raw = _fields(raw, PAIR_FIELDS, what)
        item: ExcludedPair = {"object": _ident(raw["object"], f"{what}.object"),
                              "inspector": _ident(raw["inspector"], f"{what}.inspector"),
                              "reason": _text(raw["reason"], f"{what}.reason")}
        if item["object"] not in objects:
            raise ValueError(f"{what}: object {item['object']} is in no pool")
        if item["inspector"] not in inspector_ids:
            raise ValueError(f"{what}: inspector {item['inspector']} is not among the inspectors")
        checked.append(item)
    keys = [(p["object"], p["inspector"]) for p in checked]
    if strict:
        if _disorder(keys) is not None:
            raise ValueError("excluded_pairs must be sorted by object, then inspector, each pair once")
    else:
        if len(set(keys)) != len(keys):
            raise ValueError("excluded_pairs lists a pair twice: give each pair once, with all its reasons")
        checked.sort(key=lambda p: (p["object"], p["inspector"]))
    return checked


def _beacon(beacon: Any, strict: bool) -> dict[str, Any]:
    source = beacon.get("source") if isinstance(beacon, Mapping) else None
    if source == "drand":
        beacon = _fields(beacon, ("source", "chain", "chain_hash", "round"), "beacon")
        if beacon["chain"] != "quicknet" or beacon["chain_hash"] != DRAND_QUICKNET_CHAIN_HASH:
            raise ValueError("beacon: only the drand quicknet chain is supported")
        if not _is_int(beacon["round"]) or beacon["round"] < 1:
            raise ValueError(f"beacon.round must be a positive integer, got {beacon['round']!r}")
        return dict(beacon)
    if source == "witness":
        beacon = _fields(beacon, ("source", "witness", "due"), "beacon")
        due = beacon["due"]
        if not strict and isinstance(due, dt.datetime):
            due = due.isoformat(timespec="seconds")
        try:
            moment = dt.datetime.fromisoformat(due) if isinstance(due, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None or moment.isoformat(timespec="seconds") != due:
            raise ValueError(f"beacon.due must be a time YYYY-MM-DDTHH:MM:SS+08:00, got {due!r}")
        return {"source": "witness", "witness": _text(beacon["witness"], "beacon.witness"), "due": due}
    raise ValueError("beacon.source must be \"drand\" or \"witness\"")


def _hex(value: Any, what: str, size: int | None = None) -> bytes:
    if not isinstance(value, str) or not value or len(value) % 2 or not set(value) <= _HEX:
        raise ValueError(f"{what} must be lowercase hexadecimal, got {value!r}")
    if size is not None and len(value) != 2 * size:
        raise ValueError(f"{what} must be {size} bytes ({2 * size} hex digits)")
    return bytes.fromhex(value)


def _inputs(frozen: Any, strict: bool) -> dict[str, Any]:
    if not isinstance(frozen, Mapping):
        raise ValueError("the frozen inputs must be an object")
    for field in FROZEN_FIELDS:
        if field not in frozen:
            raise ValueError(f"the frozen inputs lack {field!r}")
    strata = _strata(frozen["strata"], strict)
    pool = _pool(frozen["pool"], strata, strict)
    counts(strata, pool)
    regions = _regions(frozen["object_regions"], pool)
    inspectors = _inspectors(frozen["inspectors"], strict)
    checked = {"task": _task(frozen["task"], strict), "strata": strata, "pool": pool, "object_regions": regions,
               "inspectors": inspectors,
               "excluded_pairs": _pairs(frozen["excluded_pairs"], regions, {i["id"] for i in inspectors}, strict),
               "beacon": _beacon(frozen["beacon"], strict)}
    if "draw_id" in frozen:
        if not isinstance(frozen["draw_id"], str):
            raise ValueError("draw_id must be a string")
        checked["draw_id"] = frozen["draw_id"]
    return checked


def normalise(frozen: Mapping[str, Any]) -> dict[str, Any]:
    """The frozen inputs in the protocol's strict form: set-like lists sorted and de-duplicated, inspectors sorted by
    id, excluded pairs by (object, inspector), dates and Decimals as strings. The pool is sorted too; duplicate ids
    in a pool, an inspector listed twice or a pair listed twice are still errors, since one of them would be lost.
    Store what this returns: the commitment is over exactly those bytes."""
    return _inputs(frozen, strict=False)


def validate(frozen: Mapping[str, Any]) -> None:
    """Raise ValueError naming the first field that is not in the protocol's strict form."""
    _inputs(frozen, strict=True)


# Commit and seed -----------------------------------------------------------------------------------------------

def pool_hash(ids: Sequence[str]) -> str:
    """SHA-256 of the ids each followed by a line feed (an empty stratum hashes the empty string)."""
    return sha256_hex(("\n".join(ids) + "\n").encode()) if ids else sha256_hex(b"")


def _commitment_document(frozen: Mapping[str, Any], encoded: Mapping[str, bytes] | None = None) -> dict[str, Any]:
    """The document the commitment hashes; `encoded` holds inputs already in canonical bytes (as stored)."""

    def digest(field: str) -> str:
        return sha256_hex(encoded[field] if encoded else canonical(frozen[field]))

    return {"protocol": PROTOCOL, "task": frozen["task"], "strata": frozen["strata"],
            "pool_hashes": {name: pool_hash(ids) for name, ids in frozen["pool"].items()},
            "object_regions_hash": digest("object_regions"), "inspectors_hash": digest("inspectors"),
            "excluded_pairs_hash": digest("excluded_pairs"), "beacon": frozen["beacon"]}


def commitment_document(frozen: Mapping[str, Any]) -> dict[str, Any]:
    """What the commitment hashes: the parameters and beacon in full, the large inputs by their hashes. Publish it
    with the commitment so that anyone holding the full inputs later can see which part changed, if any."""
    validate(frozen)
    return _commitment_document(frozen)


def commitment(frozen: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical commitment document. `frozen` holds task, strata, pool, object_regions,
    inspectors, excluded_pairs and beacon (a draw_id, if present, is not committed) in strict form."""
    return sha256_hex(canonical(commitment_document(frozen)))


def commit(frozen: Mapping[str, Any], *, dumps: Callable[[Any], bytes] = canonical) -> tuple[str, dict[str, bytes]]:
    """Check the frozen inputs (strict form) and commit to them: the commitment, and each input as canonical JSON.
    Store those bytes: `reveal` checks them against the commitment instead of checking and encoding them again.

    `dumps` may be a faster writer of the same bytes as `canonical`; it sees only checked inputs (strings, integers,
    lists and objects)."""
    validate(frozen)
    encoded = {field: dumps(frozen[field]) for field in FROZEN_FIELDS}
    return sha256_hex(canonical(_commitment_document(frozen, encoded))), encoded


def decode(encoded: Mapping[str, bytes], *, loads: Callable[[bytes], Any] = json.loads) -> dict[str, Any]:
    """The frozen inputs from their stored canonical bytes."""
    return {field: loads(encoded[field]) for field in FROZEN_FIELDS}


def reveal(encoded: Mapping[str, bytes], commitment_hex: str, beacon_value_hex: str, *, workers: int | None = None,
           dumps: Callable[[Any], bytes] = canonical, loads: Callable[[bytes], Any] = json.loads) -> dict[str, Any]:
    """The transcript (without draw id) of a committed draw, from its stored inputs and the beacon value.

    The inputs are recomputed into the commitment from the stored bytes themselves; if it matches, they are the bytes
    `commit` checked and hashed, so they are not checked again. Raises CommitmentMismatch otherwise. `dumps` and
    `loads` may be faster equivalents of `canonical` and `json.loads`, as for `commit`."""
    frozen = decode(encoded, loads=loads)
    if sha256_hex(canonical(_commitment_document(frozen, encoded))) != commitment_hex:
        raise CommitmentMismatch("the stored inputs do not match the commitment")
    for field in ("task", "strata", "pool", "beacon"):  # committed by value: their bytes must be the canonical ones
        if dumps(frozen[field]) != encoded[field]:
            raise CommitmentMismatch(f"the stored {field} is not in canonical form")
    if frozen["beacon"]["source"] == "drand":
        _hex(beacon_value_hex, "beacon_value", 32)
    return _draw(frozen, commitment_hex, beacon_value_hex, workers)


def _draw(frozen: Mapping[str, Any], committed: str, beacon_value: str, workers: int | None) -> dict[str, Any]:
    seed_bytes = seed(committed, beacon_value)
    workers = _workers(workers)
    selected = _select(seed_bytes, frozen["strata"], frozen["pool"], workers)
    assignments, unassigned = _assign(seed_bytes, selected, frozen["task"], frozen["object_regions"],
                                      frozen["inspectors"], frozen["excluded_pairs"], workers)
    result: Result = {"selected": selected, "assignments": assignments, "unassigned": unassigned}
    return {"protocol": PROTOCOL, **{field: frozen[field] for field in FROZEN_FIELDS}, "commitment": committed,
            "beacon_value": beacon_value, "seed": seed_bytes.hex(), "result": result, "replacements": []}


def encode_object(members: Mapping[str, bytes]) -> bytes:
    """Canonical JSON of an object whose member values are given already encoded (e.g. a transcript whose large
    inputs are stored as canonical bytes): the same bytes as `canonical` of the decoded object."""
    return b"{" + b",".join(canonical(key) + b":" + members[key] for key in sorted(members)) + b"}"


def seed(commitment_hex: str, beacon_value_hex: str) -> bytes:
    """SHA-256(commitment's 32 bytes ‖ beacon value's bytes): fixed by inputs committed before the beacon existed,
    unpredictable until it does."""
    return _SHA256(_hex(commitment_hex, "commitment", 32) + _hex(beacon_value_hex, "beacon_value")).digest()


def _seed_bytes(value: bytes | str) -> bytes:
    raw = _hex(value, "seed", 32) if isinstance(value, str) else value
    if not isinstance(raw, bytes) or len(raw) != 32:
        raise ValueError("seed must be 32 bytes")
    return raw


# Spreading the hashing over processes ---------------------------------------------------------------------------

PARALLEL_MINIMUM = 100_000
"""Hashes below which a step is not spread: a child process would cost more than it saves."""


def _workers(workers: int | None) -> int:
    """Processes to hash with: as asked, or one per CPU this process may use."""
    if workers is not None:
        return max(1, workers)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    """Forking is safe only in a process with one thread: a child of a threaded process may inherit a lock that
    another thread held (a threaded web server hashes in its own process instead)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _parts(items: Sequence[Any], hashes: int, workers: int) -> list[Sequence[Any]]:
    """The items cut into one part per process, or left whole when the step costs too few hashes to spread."""
    if workers == 1 or hashes < PARALLEL_MINIMUM or len(items) < workers or not _can_fork():
        return [items]
    size = -(-len(items) // workers)
    return [items[k:k + size] for k in range(0, len(items), size)]


def _spread(function: Callable[..., Any], arguments: Sequence[tuple[Any, ...]]) -> list[Any]:
    """[function(*args) for args in arguments]: the first here while forked children do the others. A child sees
    its arguments in the memory it shares with this process and sends back only its result (pickled, over a pipe);
    a part whose child fails is done here, so the answer never depends on the processes."""
    children: list[tuple[int, int] | None] = []
    for args in arguments[1:]:
        try:
            read, write = os.pipe()
            pid = os.fork()
        except OSError:  # no more processes or descriptors: this part is done here
            children.append(None)
            continue
        if pid == 0:  # the child: compute, write, leave without running this process's exit handlers
            status = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    pickle.dump(function(*args), out, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        children.append((pid, read))
    results = [function(*arguments[0])]
    for child, args in zip(children, arguments[1:], strict=True):
        status, data = 1, b""
        if child:
            pid, read = child
            with os.fdopen(read, "rb") as source:
                data = source.read()
            status = os.waitpid(pid, 0)[1]
        results.append(pickle.loads(data) if status == 0 else function(*args))  # noqa: S301 (our own child's bytes)
    return results


# Counts and objects --------------------------------------------------------------------------------------------

def counts(strata: Mapping[str, Mapping[str, Any]], pool: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Objects to draw per stratum: ⌈ratio × N⌉ in exact decimal arithmetic, or min(count, N)."""
    _same_strata(strata, pool)
    if not any(len(ids) for ids in pool.values()):
        raise ValueError("pool is empty")
    result: dict[str, int] = {}
    for name, rule in strata.items():
        rule = _rule(name, rule, strict=True)
        size = len(pool[name])
        if "count" in rule:
            result[name] = min(rule["count"], size)
            continue
        ratio = _parse_ratio(name, rule["ratio"])
        with localcontext() as context:
            context.prec = len(rule["ratio"]) + len(str(size)) + 2  # enough digits for the exact product
            context.traps[Inexact] = True
            result[name] = int((ratio * size).to_integral_value(rounding=ROUND_CEILING))
    return result


def _keys(prefix: bytes, ids: Iterable[str]) -> Iterator[bytes]:
    """SHA-256(prefix + id) of each id, from a copy of the prefix's hash state: OpenSSL 3 copies a hash state far
    faster than it sets up a new one (a third of the time of each key at bench scale)."""
    start = _SHA256(prefix).copy
    for i in ids:
        state = start()
        state.update(i.encode())
        yield state.digest()


def _kept(ids: Sequence[str], prefix: bytes, threshold: bytes) -> list[tuple[bytes, str]]:
    """The (key, id) pairs of the ids whose key is below the threshold (a key's first bytes against it)."""
    return [(key, i) for key, i in zip(_keys(prefix, ids), ids, strict=True) if key < threshold]


def _smallest(prefix: bytes, ids: Sequence[str], n: int, workers: int) -> list[tuple[bytes, str]]:
    """The n (key, id) pairs with the smallest keys, ascending.

    Keys are uniform, so all but about n + margin of them exceed a threshold on their first 8 bytes; filtering on
    it before sorting gives the same answer as sorting everything (every key left out is larger than every key
    kept) and falls back to a full sort in the vanishingly rare case too few pass."""
    if n <= 0:
        return []
    total = len(ids)
    wanted = n + 8 * math.isqrt(n) + 64
    if wanted < total:
        threshold = (-(-(wanted << 64) // total)).to_bytes(8, "big")
        arguments = [(part, prefix, threshold) for part in _parts(ids, total, workers)]
        kept = [pair for result in _spread(_kept, arguments) for pair in result]
        if len(kept) >= n:
            kept.sort()
            return kept[:n]
    return sorted(zip(_keys(prefix, ids), ids, strict=True))[:n]


def select(seed: bytes | str, strata: Mapping[str, Mapping[str, Any]],
           pool: Mapping[str, Sequence[str]], *, workers: int | None = None) -> dict[str, list[str]]:
    """Per stratum, the n objects with the smallest keys, in ascending key order."""
    seed_bytes = _seed_bytes(seed)
    return _select(seed_bytes, strata, _pool(pool, _strata(strata, strict=True), strict=True), _workers(workers))


def _select(seed_bytes: bytes, strata: Mapping[str, Mapping[str, Any]],
            pool: Mapping[str, Sequence[str]], workers: int) -> dict[str, list[str]]:
    prefix = seed_bytes + b"object\n"
    return {name: [i for _, i in _smallest(prefix, pool[name], n, workers)] for name, n in counts(strata, pool).items()}


# Inspectors ----------------------------------------------------------------------------------------------------

class _Eligibility:
    """Who may check which object, apart from the per-inspector maximum (which depends on the assignments so far).

    Fixed per draw: department, scope prefixes against the object's region code, required qualifications,
    credential valid over the whole window, and the excluded pairs."""

    def __init__(self, task: Task, regions: Mapping[str, str], inspectors: Sequence[Inspector],
                 pairs: Sequence[ExcludedPair]) -> None:
        start, end = task["window"]
        required = set(task["required_qualifications"])
        self.departments = list(task["departments"])
        self.department_of = {i["id"]: i["department"] for i in inspectors}
        self.regions = regions
        self._scoped: dict[tuple[str, str], list[str]] = {}  # (department, scope prefix): qualified inspectors
        for inspector in inspectors:
            if (inspector["department"] in self.departments and required <= set(inspector["qualifications"])
                    and inspector["valid_from"] <= start and inspector["valid_to"] >= end):
                for prefix in inspector["scope"]:
                    self._scoped.setdefault((inspector["department"], prefix), []).append(inspector["id"])
        self.excluded: dict[str, set[str]] = {}
        for pair in pairs:
            self.excluded.setdefault(pair["object"], set()).add(pair["inspector"])
        self._by_region: dict[tuple[str, str], list[str]] = {}

    def candidates(self, department: str, object_id: str) -> list[str]:
        """The department's inspectors eligible for the object before quotas (shared list: do not change it)."""
        region = self.regions[object_id]
        key = (department, region)
        if key not in self._by_region:
            self._by_region[key] = sorted({i for k in range(1, len(region) + 1)
                                           for i in self._scoped.get((department, region[:k]), ())})
        excluded = self.excluded.get(object_id)
        return [i for i in self._by_region[key] if i not in excluded] if excluded else self._by_region[key]


def _ranked(seed_bytes: bytes, object_id: str, inspector_ids: Sequence[str]) -> list[str]:
    """The ids in `inspector_key` order."""
    keys = _keys(seed_bytes + b"inspector\n" + object_id.encode() + b"\n", inspector_ids)
    return [i for _, i in sorted(zip(keys, inspector_ids, strict=True))]


def _rankings(objects: Sequence[tuple[str, list[list[str]]]], seed_bytes: bytes) -> list[list[list[str]]]:
    """Per (object, its candidates per department), the candidates in inspector-key order. Quotas do not change a
    ranking, only which of its first entries are taken, so the rankings of all objects can be computed apart (and at
    once)."""
    return [[_ranked(seed_bytes, object_id, ids) for ids in per_department] for object_id, per_department in objects]


def _shortage(department: str, eligible: int, needed: int) -> str:
    return f"department {department} has {eligible} eligible, {needed} needed"


def assign(seed: bytes | str, selected: Mapping[str, Sequence[str]], task: Mapping[str, Any],
           object_regions: Mapping[str, str], inspectors: Sequence[Mapping[str, Any]],
           excluded_pairs: Sequence[Mapping[str, Any]], *,
           workers: int | None = None) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Inspectors for the drawn objects of all strata, taken in ascending key order: per department (sorted), the
    first m eligible by inspector key. An object some department cannot staff is returned in `unassigned` with the
    reason and takes no one's quota, so one short department does not use up the others' inspectors."""
    checked_inspectors = _inspectors(inspectors, strict=True)
    pairs = _pairs(excluded_pairs, object_regions, {i["id"] for i in checked_inspectors}, strict=True)
    drawn = [i for ids in selected.values() for i in ids]
    for object_id in drawn:
        if object_id not in object_regions:
            raise ValueError(f"selected object {object_id} has no region in object_regions")
    if len(set(drawn)) != len(drawn):
        raise ValueError("an object is selected twice")
    return _assign(_seed_bytes(seed), selected, _task(task, strict=True), object_regions, checked_inspectors, pairs,
                   _workers(workers))


def _assign(seed_bytes: bytes, selected: Mapping[str, Sequence[str]], checked_task: Task,
            object_regions: Mapping[str, str], inspectors: Sequence[Inspector], pairs: Sequence[ExcludedPair],
            workers: int) -> tuple[dict[str, list[str]], dict[str, str]]:
    """`assign` on inputs already checked (by `validate`, or by `commit` before they were stored)."""
    rules = _Eligibility(checked_task, object_regions, inspectors, pairs)
    drawn = [i for ids in selected.values() for i in ids]
    needed, cap = checked_task["inspectors_per_department"], checked_task["max_objects_per_inspector"]
    order = [i for _, i in sorted(zip(map(functools.partial(object_key, seed_bytes), drawn), drawn, strict=True))]
    load: Counter[str] = Counter()
    full: set[str] = set()
    assignments: dict[str, list[str]] = {}
    unassigned: dict[str, str] = {}
    objects = [(i, [rules.candidates(department, i) for department in rules.departments]) for i in order]
    parts = _parts(objects, sum(len(ids) for _, per_department in objects for ids in per_department), workers)
    rankings = [r for result in _spread(_rankings, [(part, seed_bytes) for part in parts]) for r in result]
    for object_id, per_department in zip(order, rankings, strict=True):
        chosen: list[str] = []
        shortages: list[str] = []
        for department, ranked in zip(rules.departments, per_department, strict=True):
            eligible = [i for i in ranked if i not in full] if full else ranked
            if len(eligible) < needed:
                shortages.append(_shortage(department, len(eligible), needed))
            elif not shortages:
                chosen.extend(eligible[:needed])
        if shortages:
            unassigned[object_id] = "understaffed: " + "; ".join(shortages)
            continue
        assignments[object_id] = chosen
        load.update(chosen)
        full.update(i for i in chosen if load[i] >= cap)
    return assignments, unassigned


def _apply(current: dict[str, list[str]], record: Mapping[str, Any], what: str) -> None:
    names = current.get(record["object"])
    if names is None:
        raise ValueError(f"{what}: object {record['object']} has no assigned inspectors")
    if record["out"] not in names:
        raise ValueError(f"{what}: inspector {record['out']} is not assigned to object {record['object']}")
    names[names.index(record["out"])] = record["in"]


def current_assignments(state: Mapping[str, Any]) -> dict[str, list[str]]:
    """The draw's assignments with its replacements applied in order (each incoming inspector takes the leaving
    one's place in the list). The transcript's `result` keeps the assignments as drawn."""
    current = {obj: list(names) for obj, names in state["result"]["assignments"].items()}
    for k, record in enumerate(state["replacements"]):
        _apply(current, record, f"replacements[{k}]")
    return current


def _replace(seed_bytes: bytes, state: Mapping[str, Any], object_id: str, out: str, reason: str) -> Replacement:
    task = _task(state["task"], strict=True)
    inspectors = _inspectors(state["inspectors"], strict=True)
    regions = state["object_regions"]
    pairs = _pairs(state["excluded_pairs"], regions, {i["id"] for i in inspectors}, strict=True)
    reason = _text(reason, "reason")
    current = current_assignments(state)
    names = current.get(object_id)
    if names is None:
        raise ValueError(f"object {object_id} has no assigned inspectors")
    if out not in names:
        raise ValueError(f"inspector {out} is not assigned to object {object_id}")
    ever = set(state["result"]["assignments"][object_id])
    ever.update(r["in"] for r in state["replacements"] if r["object"] == object_id)
    load = Counter(i for assigned in current.values() for i in assigned)  # `out` still counted: skipped anyway
    rules = _Eligibility(task, regions, inspectors, pairs)
    department = rules.department_of.get(out)
    if department is None:
        raise ValueError(f"inspector {out} is not among the inspectors")
    eligible = [i for i in rules.candidates(department, object_id)
                if i not in ever and load[i] < task["max_objects_per_inspector"]]
    if not eligible:
        raise ReplacementRefused(f"no eligible inspector of department {department} is left to replace {out} "
                                 f"on object {object_id}")
    return {"n": len(state["replacements"]) + 1, "object": object_id, "out": out,
            "in": _ranked(seed_bytes, object_id, eligible)[0], "reason": reason}


def replace(state: Mapping[str, Any], object_id: str, out_inspector_id: str, reason: str) -> Replacement:
    """The replacement of an inspector who cannot go: the first in the object's inspector ranking of the same
    department who is eligible now and was never assigned to the object, counting quotas with the current
    assignments (so whoever left an object earlier has that unit back). `state` is a transcript (seed, inputs, result,
    replacements so far); append the returned record to its `replacements`. Raises ReplacementRefused when nobody
    is eligible (nothing is recorded then) and ValueError for an object or inspector not assigned."""
    return _replace(_seed_bytes(state["seed"]), state, object_id, out_inspector_id, reason)


# The whole draw ------------------------------------------------------------------------------------------------

def run(frozen: Mapping[str, Any], beacon_value_hex: str, *, workers: int | None = None) -> dict[str, Any]:
    """The transcript of a draw from its frozen inputs (strict form) and the beacon value: commitment, seed, result
    and no replacements yet."""
    validate(frozen)
    _hex(beacon_value_hex, "beacon_value", 32 if frozen["beacon"]["source"] == "drand" else None)
    transcript = _draw(frozen, sha256_hex(canonical(_commitment_document(frozen))), beacon_value_hex, workers)
    return {"protocol": PROTOCOL, "draw_id": frozen.get("draw_id", ""), **transcript}


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _list_difference(field: str, expected: Sequence[Any], got: Any) -> str:
    if not isinstance(got, list) or len(expected) + len(got) <= 16:
        return f"{field} differs: expected {_show(list(expected))} got {_show(got)}"
    for k, (e, g) in enumerate(zip(expected, got, strict=False)):
        if e != g:
            return f"{field}[{k}] differs: expected {_show(e)} got {_show(g)}"
    return f"{field} differs: expected {len(expected)} items got {len(got)}"


def _result_shape(result: Any) -> str | None:
    try:
        _fields(result, RESULT_FIELDS, "result")
    except ValueError as error:
        return str(error)
    for field, kind in (("selected", list), ("assignments", list), ("unassigned", str)):
        if not isinstance(result[field], Mapping):
            return f"result.{field} must be an object"
        for key, value in result[field].items():
            if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) for v in value)):
                return f"result.{field}.{key} must be {'a list of strings' if kind is list else 'a string'}"
    return None


def _compare_map(field: str, expected: Mapping[str, Any], got: Mapping[str, Any]) -> list[str]:
    problems = []
    for key in sorted(set(expected) | set(got)):
        if key not in got:
            problems.append(f"{field}.{key} differs: expected {_show(expected[key])} got nothing")
        elif key not in expected:
            problems.append(f"{field}.{key} differs: expected nothing got {_show(got[key])}")
        elif expected[key] != got[key]:
            problems.append(_list_difference(f"{field}.{key}", expected[key], got[key])
                            if isinstance(expected[key], list) else
                            f"{field}.{key} differs: expected {_show(expected[key])} got {_show(got[key])}")
    return problems


def verify(transcript: Any, *, workers: int | None = None) -> list[str]:
    """Recompute a transcript: the commitment from its inputs, the seed, the draw and each replacement in order.
    Returns the differences found, in that order (an empty list means the transcript is right). A public form
    (`"form": "public"`, see `public_form`) is checked as far as it goes: commitment, seed and the objects drawn; a
    blinded public form (`"form": "public-blinded"`) only the form of everything and the seed."""
    if not isinstance(transcript, Mapping):
        return ["transcript malformed: not a JSON object"]
    if transcript.get("protocol") != PROTOCOL:
        return [f"protocol differs: expected {_show(PROTOCOL)} got {_show(transcript.get('protocol'))}"]
    if "form" in transcript:
        if transcript["form"] == PUBLIC_BLINDED_FORM:
            return _verify_blinded(transcript)
        if transcript["form"] != PUBLIC_FORM:
            return [f"form differs: expected {_show(PUBLIC_FORM)} or {_show(PUBLIC_BLINDED_FORM)} "
                    f"got {_show(transcript['form'])}"]
        return _verify_public(transcript, workers)
    try:
        _fields(transcript, TRANSCRIPT_FIELDS, "transcript")
        if not isinstance(transcript["draw_id"], str):
            raise ValueError("draw_id must be a string")
        _hex(transcript["commitment"], "commitment", 32)
        _hex(transcript["seed"], "seed", 32)
        _hex(transcript["beacon_value"], "beacon_value")
        pool = transcript["pool"]
        if not isinstance(pool, Mapping) or not all(
                isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in pool.values()):
            raise ValueError("pool must be an object of lists of object ids")
        committed = sha256_hex(canonical(_commitment_document(transcript)))
    except (ValueError, TypeError) as error:
        return [f"transcript malformed: {error}"]
    problems = []
    if committed != transcript["commitment"]:
        problems.append(f"commitment differs: expected {committed} got {transcript['commitment']} "
                        "(the inputs do not match the committed hashes)")
    try:
        validate(transcript)
        if transcript["beacon"]["source"] == "drand":
            _hex(transcript["beacon_value"], "beacon_value", 32)
    except ValueError as error:
        return [*problems, f"transcript malformed: {error}"]
    seed_bytes, seed_problems = _verify_seed(transcript)
    problems += seed_problems
    result = transcript["result"]
    shape = _result_shape(result)
    if shape:
        return [*problems, f"transcript malformed: {shape}"]
    selected = _select(seed_bytes, transcript["strata"], transcript["pool"], _workers(workers))
    assignments, unassigned = _assign(seed_bytes, selected, transcript["task"], transcript["object_regions"],
                                      transcript["inspectors"], transcript["excluded_pairs"], _workers(workers))
    problems += _compare_map("result.selected", selected, result["selected"])
    problems += _compare_map("result.assignments", assignments, result["assignments"])
    problems += _compare_map("result.unassigned", unassigned, result["unassigned"])
    problems += _replay(seed_bytes, transcript, assignments)
    return problems


def is_public_form(transcript: Any) -> bool:
    return isinstance(transcript, Mapping) and transcript.get("form") in (PUBLIC_FORM, PUBLIC_BLINDED_FORM)


def withholds_strata(strata: Mapping[str, Any]) -> bool:
    """Whether a draw's public form is blinded: any of its strata is a credit-risk class (`CLASS_STRATA`)."""
    return not CLASS_STRATA.isdisjoint(strata)


def public_shape(strata: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The public form's name and the inputs it carries by value, for a draw with these strata."""
    return (PUBLIC_BLINDED_FORM, PUBLIC_BLINDED_INPUTS) if withholds_strata(strata) else (PUBLIC_FORM, PUBLIC_INPUTS)


def public_result(strata: Mapping[str, Any], selected: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The published part of the result: the objects drawn per stratum, or (blinded) all of them as one sorted list."""
    if withholds_strata(strata):
        return {"drawn": sorted(i for ids in selected.values() for i in ids)}
    return {"selected": dict(selected)}


def public_form(transcript: Mapping[str, Any]) -> dict[str, Any]:
    """The transcript as published to everyone: the withheld inputs (`WITHHELD_FIELDS`) replaced by the SHA-256 of
    their canonical JSON, which is exactly what the commitment document holds for them, and of the result only the
    objects drawn (the assignments and replacements name inspectors). Anyone can recompute from it the commitment,
    the seed and which objects were drawn; the inspectors' assignment needs the full transcript.

    A draw by credit-risk classes (`withholds_strata`) is published blinded: no strata, pools or object regions, and
    the objects drawn as one sorted list, since the class is internal (国市监信发〔2022〕6号). Its commitment can then
    be recomputed only from the full transcript, by an authorised auditor; anyone can still recompute the seed."""
    form, inputs = public_shape(transcript["strata"])
    return {"protocol": PROTOCOL, "form": form, "draw_id": transcript["draw_id"],
            **{field: transcript[field] for field in inputs},
            **{f"{field}_hash": sha256_hex(canonical(transcript[field])) for field in WITHHELD_FIELDS},
            "commitment": transcript["commitment"], "beacon_value": transcript["beacon_value"],
            "seed": transcript["seed"], "result": public_result(transcript["strata"], transcript["result"]["selected"])}


def _verify_public(transcript: Mapping[str, Any], workers: int | None) -> list[str]:
    try:
        _common_public_fields(transcript, PUBLIC_TRANSCRIPT_FIELDS)
        pool = transcript["pool"]
        if not isinstance(pool, Mapping) or not all(
                isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in pool.values()):
            raise ValueError("pool must be an object of lists of object ids")
        document = {"protocol": PROTOCOL, "task": transcript["task"], "strata": transcript["strata"],
                    "pool_hashes": {name: pool_hash(ids) for name, ids in pool.items()},
                    "object_regions_hash": sha256_hex(canonical(transcript["object_regions"])),
                    **{f"{field}_hash": transcript[f"{field}_hash"] for field in WITHHELD_FIELDS},
                    "beacon": transcript["beacon"]}
        committed = sha256_hex(canonical(document))
    except (ValueError, TypeError) as error:
        return [f"transcript malformed: {error}"]
    problems = []
    if committed != transcript["commitment"]:
        problems.append(f"commitment differs: expected {committed} got {transcript['commitment']} "
                        "(the inputs do not match the committed hashes)")
    try:
        strata = _strata(transcript["strata"], True)
        checked_pool = _pool(pool, strata, True)
        counts(strata, checked_pool)
        _regions(transcript["object_regions"], checked_pool)
        _task(transcript["task"], True)
        if _beacon(transcript["beacon"], True)["source"] == "drand":
            _hex(transcript["beacon_value"], "beacon_value", 32)
        result = _fields(transcript["result"], ("selected",), "result")
        if not isinstance(result["selected"], Mapping) or not all(
                isinstance(ids, list) and all(isinstance(i, str) for i in ids) for ids in result["selected"].values()):
            raise ValueError("result.selected must be an object of lists of object ids")
    except ValueError as error:
        return [*problems, f"transcript malformed: {error}"]
    seed_bytes, seed_problems = _verify_seed(transcript)
    problems += seed_problems
    selected = _select(seed_bytes, strata, checked_pool, _workers(workers))
    return problems + _compare_map("result.selected", selected, result["selected"])


def _common_public_fields(transcript: Mapping[str, Any], fields: Sequence[str]) -> None:
    """The shape shared by both public forms: the fields, the draw id and the hex values."""
    _fields(transcript, fields, "transcript")
    if not isinstance(transcript["draw_id"], str):
        raise ValueError("draw_id must be a string")
    for field in ("commitment", "seed", *(f"{f}_hash" for f in WITHHELD_FIELDS)):
        _hex(transcript[field], field, 32)
    _hex(transcript["beacon_value"], "beacon_value")


def _verify_seed(transcript: Mapping[str, Any]) -> tuple[bytes, list[str]]:
    seed_bytes = seed(transcript["commitment"], transcript["beacon_value"])
    if seed_bytes.hex() == transcript["seed"]:
        return seed_bytes, []
    return seed_bytes, [f"seed differs: expected {seed_bytes.hex()} got {transcript['seed']} "
                        "(SHA-256 of commitment and beacon_value)"]


def _verify_blinded(transcript: Mapping[str, Any]) -> list[str]:
    """A blinded public form: the form of every field and the seed from commitment and beacon value. Which objects
    each stratum drew, and so the commitment (it holds the strata and their pools' hashes), is checked on the full
    transcript by an authorised auditor."""
    try:
        _common_public_fields(transcript, PUBLIC_BLINDED_FIELDS)
        _task(transcript["task"], True)
        if _beacon(transcript["beacon"], True)["source"] == "drand":
            _hex(transcript["beacon_value"], "beacon_value", 32)
        _string_set(_fields(transcript["result"], ("drawn",), "result")["drawn"], "result.drawn", True)
    except ValueError as error:
        return [f"transcript malformed: {error}"]
    return _verify_seed(transcript)[1]


def _replay(seed_bytes: bytes, transcript: Mapping[str, Any], assignments: dict[str, list[str]]) -> list[str]:
    """Each replacement recomputed against the draw as recomputed and the replacements before it."""
    records = transcript["replacements"]
    if not isinstance(records, list):
        return ["transcript malformed: replacements must be a list"]
    state = {field: transcript[field] for field in FROZEN_FIELDS}
    state["result"] = {"assignments": assignments}
    state["replacements"] = []
    for k, record in enumerate(records):
        what = f"replacements[{k}]"
        try:
            _fields(record, REPLACEMENT_FIELDS, what)
            if not _is_int(record["n"]) or not all(isinstance(record[f], str) for f in REPLACEMENT_FIELDS[1:]):
                raise ValueError(f"{what}: n must be an integer and the other fields strings")
        except ValueError as error:
            return [f"transcript malformed: {error}"]
        if record["n"] != k + 1:
            return [f"{what}.n differs: expected {k + 1} got {record['n']}"]
        try:
            expected = _replace(seed_bytes, state, record["object"], record["out"], record["reason"])
        except ValueError as error:
            return [f"{what} differs: expected no replacement ({error}) got {_show(record['in'])}"]
        if expected["in"] != record["in"]:
            return [f"{what}.in differs: expected {_show(expected['in'])} got {_show(record['in'])}"]
        state["replacements"].append(expected)
    return []


# drand quicknet ------------------------------------------------------------------------------------------------

def drand_round_time(round_number: int) -> int:
    """Unix time at which quicknet round R is published: genesis + 3·(R − 1)."""
    if not _is_int(round_number) or round_number < 1:
        raise ValueError(f"drand round must be a positive integer, got {round_number!r}")
    return DRAND_QUICKNET_GENESIS + DRAND_QUICKNET_PERIOD * (round_number - 1)


def drand_round_at(unix_time: float) -> int:
    """The first quicknet round published at or after `unix_time` (commit to a round later than this one plus a
    margin, so it surely does not exist yet when the commitment is published)."""
    if isinstance(unix_time, bool) or not isinstance(unix_time, int | float) or not math.isfinite(unix_time):
        raise ValueError(f"unix_time must be a number of seconds, got {unix_time!r}")
    if unix_time <= DRAND_QUICKNET_GENESIS:
        return 1
    elapsed = unix_time - DRAND_QUICKNET_GENESIS
    steps = -(-elapsed // DRAND_QUICKNET_PERIOD) if isinstance(elapsed, int) else math.ceil(elapsed / 3)
    return 1 + int(steps)


def drand_randomness(signature_hex: str) -> str:
    """A drand round's randomness: SHA-256 of its signature. (Checking the BLS signature itself against the chain's
    public key needs pairing arithmetic, which the standard library does not have.)"""
    return sha256_hex(_hex(signature_hex.lower() if isinstance(signature_hex, str) else signature_hex, "signature"))

