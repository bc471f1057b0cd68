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


# The case's state as the replay of its history ---------------------------------------------------------------

STATE_KEY = "case_state"
# Columns outside the replay: the row's bookkeeping, the chain's own head (checked against the last event), and
# the decision date an open suspension moves every day without a step (`services.refresh_decision_due`).
NOT_REPLAYED = frozenset({"id", "created_at", "updated_at", "event_count", "last_hash", "decision_due"})


def state_fields(model: type[Model]) -> list[str]:
    """The columns of a case that its history replays: every stored column but those in `NOT_REPLAYED`."""
    return [f.attname for f in model._meta.concrete_fields if f.attname not in NOT_REPLAYED]


def state_of(model: type[Model], pk: int) -> dict[str, Any]:
    """The row's replayed columns as stored now, in their canonical JSON form."""
    return to_jsonable(model.objects.filter(pk=pk).values(*state_fields(model)).get())


def replay(records: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, str | None]:
    """Fold the events' recorded changes in order: (the state, or None when no event carries one; the status the
    steps led to, or None when no step changed it)."""
    state: dict[str, Any] | None = None
    status = None
    for record in records:
        data = record.get("data")
        changes = data.get(STATE_KEY) if isinstance(data, dict) else None
        if isinstance(changes, dict):
            state = {**(state or {}), **changes}
        if record.get("to_status"):
            status = record["to_status"]
    return state, status


def state_changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, Any]:
    """What a new event records: the columns that differ from the replay so far (all of them when there is none)."""
    if previous is None:
        return current
    return {name: value for name, value in current.items() if name not in previous or previous[name] != value}


def state_problems(records: list[dict[str, Any]], current: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """Where the row differs from the replay of its history, naming each field."""
    state, status = replay(records)
    expected = dict(state or {})
    if status is not None:
        expected.setdefault("status", status)
    problems = []
    for name, value in expected.items():
        if name in current and current[name] != value:
            problems.append(f"字段“{labels.get(name, name)}”（{name}）现为 {current[name]!r}，"
                            f"全过程记录重放为 {value!r}（记录被直接改动）")
    return problems


def field_labels(model: type[Model]) -> dict[str, str]:
    return {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}
