"""The one transition service of the penalty workflow: lock the case, look its edge up in `workflow.EDGES` (out of
order → 409 with the allowed actions; the wrong person → 403; a guard that fails → its own code), run the step's
handler (`steps`), append the hash-chained `CaseEvent` (with the document's id and SHA-256) and the audit event,
all in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.validation import require as _require

from . import workflow
from .cases import case_lock, refresh_later
from .history import append_event
from .inputs import date_in
from .models import Case, Procedure
from .permissions import actor_facts, case_facts, current_decision_due
from .steps import HANDLERS
from .steps.base import Step


@transaction.atomic
def case_transition(*, actor: Actor, case_id: int, action: str, data: dict[str, Any] | None = None,
                    today: dt.date | None = None) -> Case:
    """Take one step of the penalty workflow on a case (the one write service of the table)."""
    today = today or timezone.localdate()
    data = dict(data or {})
    case = case_lock(case_id)
    edge = workflow.check(case_facts(case, today), actor_facts(actor), action, today)
    unknown = sorted(set(data) - set(edge.fields))
    _require(not unknown, f"不允许的字段：{'、'.join(unknown)}", "unknown_field", unknown[0] if unknown else None)
    on = date_in(data, "on", "日期", today=today, default=today) if "on" in edge.fields else today
    _require(on >= case.received_on, "日期不能早于案件线索的发现或收到日期", "date_order", "on")
    step = Step(case=case, actor=actor, data=data, today=today, edge=edge, on=on, event={})
    old = case.status
    HANDLERS[action](step)
    if action in workflow.PROPOSALS:
        case.proposed_by = actor
        step.event["proposed_by"] = actor.pk
    case.status = edge.target
    if case.filed_on and case.procedure == Procedure.ORDINARY:
        case.decision_due = current_decision_due(case, today)
    case.save()
    append_event(case, actor=actor, verb=action, on=on, from_status=old, to_status=edge.target,
                 data=step.event, document=step.document)
    record(actor=actor, verb=f"enforcement.case_{action}", target=case, data={
        "from": old, "to": edge.target, "seq": case.event_count,
        **({"document": step.document.id, "digest": step.document.digest} if step.document else {})})
    refresh_later(case.pk)
    return case
