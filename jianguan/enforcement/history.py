"""A case's own hash chain (全过程记录): how an event's hash is computed and how the chain is checked.

`hash = H(canonical JSON of the event's fields, prev_hash included)`; the first event's `prev_hash` is 64 zeros.
The party or an auditor recomputes every hash from the exported history (the case file's `events.json`).

The case's current state is the replay of its history: every event written since the state was recorded carries
in `data["case_state"]` the case's columns the step changed (the first such event of a case: all of them), so
folding them in order gives what the case row must hold (`replay`, `state_problems`; `jianguan enforcement
verify`). A row edited behind the services' back (a fine of 3000 made 30, a status, a decision number) no longer
equals its replay, and the field is named. Events written before carry no state: for them the status alone is
replayed (each step's `to_status`), and the first event written after carries the whole state (ADR 0023).

Appending to the chain is here too: every write of enforcement appends through `append_event` under the case's
row lock; `case_event_correct` supersedes what an earlier event says, and `case_append_event` takes another app's
event (a coercive measure, an inspection) through the contracts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core import replay as replay_
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.canonical import canonical_json, to_jsonable
from jianguan.core.errors import AccessDenied
from jianguan.core.hashing import digest_function
from jianguan.core.validation import require as _require
from jianguan.documents import contracts as documents

from . import casefile, workflow
from .cases import case_lock
from .models import Case, CaseEvent
from .permissions import actor_facts, case_facts

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
    for expected_seq, event in enumerate(records, start=1):
        if event.get("seq") != expected_seq:
            problems.append(f"事件序号应为 {expected_seq}，实为 {event.get('seq')}")
        if event.get("prev_hash") != previous:
            problems.append(f"事件 {event.get('seq')} 的前一摘要不符")
        if event_hash(event) != event.get("hash"):
            problems.append(f"事件 {event.get('seq')} 的摘要不符")
        previous = event.get("hash", "")
    return problems


# The case's state as the replay of its history (`core.replay`) -------------------------------------------------

STATE_KEY = "case_state"
# Columns outside the replay (besides the row's bookkeeping): the chain's own head (checked against the last
# event) and the decision date an open suspension moves every day without a step (`cases.refresh_decision_due`).
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


# Appending to the chain -------------------------------------------------------------------------------------

def append_event(case: Case, *, actor: Actor, verb: str, on: dt.date, data: dict[str, Any] | None = None,
                 from_status: str = "", to_status: str = "", document: Any = None,
                 supersedes: int | None = None) -> CaseEvent:
    """Append one event to the case's chain; the caller holds the case's row lock and has saved the case, whose
    changed columns the event records (`state_changes`) so that its state is the replay of its history."""
    ref = actor_ref(actor)
    values: dict[str, Any] = {
        "case": case.number, "seq": case.event_count + 1, "occurred_at": timezone.now(), "on": on,
        "actor_kind": ref.kind, "actor_id": ref.id, "actor_label": ref.label[:200], "verb": verb,
        "from_status": str(from_status), "to_status": str(to_status), "data": to_jsonable(data or {}),
        "document_id": document.id if document else None,
        "document_sha256": (document.digest or document.sha256) if document else "",  # the content digest (ADR 0030)
        "supersedes": supersedes, "algorithm": settings.JIANGUAN_AUDIT_HASH, "prev_hash": case.last_hash}
    previous, _ = replay(list(CaseEvent.objects.filter(case=case).order_by("seq").values("data", "to_status")))
    changes = state_changes(previous, state_of(Case, case.pk))
    if changes:  # an event that changed nothing of the case records nothing
        values["data"] = {**values["data"], STATE_KEY: changes}
    values["hash"] = event_hash(values)
    event = CaseEvent.objects.create(**{**values, "case": case})
    case.event_count, case.last_hash = event.seq, event.hash
    Case.objects.filter(pk=case.pk).update(event_count=event.seq, last_hash=event.hash)
    casefile.build_later(case.pk)  # the case file (案卷) as it now stands, in the background
    return event


@transaction.atomic
def case_event_correct(*, actor: User, case_id: int, seq: int, correction: dict[str, Any], reason: str) -> CaseEvent:
    """Correct what an earlier event says: a new event that names the one it supersedes (the old stays)."""
    case = case_lock(case_id)
    if not any(workflow.may(workflow.Edge(case.status, "correct", case.status, who, ""), actor_facts(actor),
                            case_facts(case, timezone.localdate())) for who in (workflow.HANDLER, workflow.LEADER)):
        raise AccessDenied("只有本案承办人员或负责人可以更正记录", code="not_permitted")
    _require(case.events.filter(seq=seq).exists(), f"事件 {seq} 不存在", "event_unknown", "seq")
    _require(str(reason).strip(), "缺少更正理由", "required", "reason")
    event = append_event(case, actor=actor, verb="corrected", on=timezone.localdate(), supersedes=seq,
                         data={"correction": correction, "reason": reason})
    record(actor=actor, verb="enforcement.event_corrected", target=case, data={"seq": event.seq, "supersedes": seq})
    return event


@transaction.atomic
def case_append_event(*, actor: Actor, case_id: int, verb: str, data: dict, document_id: int | None = None) -> None:
    """Append another app's event (a coercive measure, an inspection) to the case's history, with the document's
    hash when one was issued."""
    case = case_lock(case_id)
    _require(verb and len(verb) <= 50, "动作名称无效", "verb_invalid", "verb")
    document = documents.get(document_id) if document_id else None
    append_event(case, actor=actor, verb=verb, on=timezone.localdate(), data=data, document=document)
    record(actor=actor, verb="enforcement.event_appended", target=case,
           data={"verb": verb, "seq": case.event_count, "document": document_id})
