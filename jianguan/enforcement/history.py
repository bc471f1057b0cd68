"""A case's own hash chain (全过程记录): how an event's hash is computed and how the chain is checked.

`hash = H(canonical JSON of the event's fields, prev_hash included)`; the first event's `prev_hash` is 64 zeros.
The party or an auditor recomputes every hash from the exported history (the case file's `events.json`).

The case's current state is the replay of its history: every event written since the state was recorded carries
in `data["case_state"]` the case's columns the step changed (the first such event of a case: all of them), so
folding them in order gives what the case row must hold (`replay`, `state_problems`; `jianguan enforcement
verify`). A row edited behind the services' back (a fine of 3000 made 30, a status, a decision number) no longer
equals its replay, and the field is named. Events written before carry no state: for them the status alone is
replayed (each step's `to_status`), and the first event written after carries the whole state (ADR 0023).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from jianguan.core import replay as replay_
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


# The case's state as the replay of its history (`core.replay`) -------------------------------------------------

STATE_KEY = "case_state"
# Columns outside the replay (besides the row's bookkeeping): the chain's own head (checked against the last
# event) and the decision date an open suspension moves every day without a step (`services.refresh_decision_due`).
NOT_REPLAYED = frozenset({"event_count", "last_hash", "decision_due"})


def state_fields(model: type[Model]) -> list[str]:
    return replay_.fields(model, NOT_REPLAYED)


def state_of(model: type[Model], pk: int) -> dict[str, Any]:
    return replay_.state_of(model, pk, NOT_REPLAYED)


def replay(records: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None]:
    """Fold the events' recorded changes in order: (the state, or None when no event carries one; the status the
    steps led to, or None when no step changed it)."""
    state = replay_.fold(r["data"].get(STATE_KEY) for r in records if isinstance(r.get("data"), dict))
    statuses = [r["to_status"] for r in records if r.get("to_status")]
    return state, (statuses[-1] if statuses else None)


def state_changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, Any]:
    return replay_.changes(previous, current)


def state_problems(records: list[dict[str, Any]], current: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """Where the row differs from the replay of its history, naming each field."""
    state, status = replay(records)
    expected = dict(state or {})
    if status is not None:
        expected.setdefault("status", status)
    return replay_.problems(expected, current, labels)


field_labels = replay_.labels
