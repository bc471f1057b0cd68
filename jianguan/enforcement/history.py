"""A case's own hash chain (全过程记录): how an event's hash is computed and how the chain is checked.

`hash = H(canonical JSON of the event's fields, prev_hash included)`; the first event's `prev_hash` is 64 zeros.
The party or an auditor recomputes every hash from the exported history (the case file's `events.json`).
"""

from __future__ import annotations

from typing import Any

from jianguan.core.canonical import canonical_json, to_jsonable
from jianguan.core.hashing import digest_function

GENESIS = "0" * 64
HASHED_FIELDS = ("case", "seq", "occurred_at", "on", "actor_kind", "actor_id", "actor_label", "verb", "from_status",
                 "to_status", "data", "document_id", "document_sha256", "supersedes", "algorithm", "prev_hash")


def event_hash(values: dict[str, Any]) -> str:
    """The digest of one event (its `algorithm` names the function)."""
    body = {name: to_jsonable(values[name]) for name in HASHED_FIELDS}
    return digest_function(values["algorithm"])(canonical_json(body))


def as_record(event: Any, case_number: str) -> dict[str, Any]:
    """An event as the plain, hashed record (what the case file exports)."""
    values = {name: getattr(event, name) for name in HASHED_FIELDS if name != "case"}
    return to_jsonable({"case": case_number, **values, "hash": event.hash})


def verify(records: list[dict[str, Any]]) -> list[str]:
    """Problems found in a case's exported events, in order; an empty list means the chain is intact."""
    problems, previous = [], GENESIS
    for expected_seq, record in enumerate(records, start=1):
        if record.get("seq") != expected_seq:
            problems.append(f"事件序号应为 {expected_seq}，实为 {record.get('seq')}")
        if record.get("prev_hash") != previous:
            problems.append(f"事件 {record.get('seq')} 的前一摘要不符")
        if event_hash(record) != record.get("hash"):
            problems.append(f"事件 {record.get('seq')} 的摘要不符")
        previous = record.get("hash", "")
    return problems
