"""Verifying and disposing of an alert: one step of `workflow.ALERTS`, its record (`AlertStep`) and its audit event
in one transaction.

The clock (15 working days from the alert, `alerts.clock_start`) is extended by 15 working days once, on the
head's approval (《市场监督管理行政处罚程序规定》第十八条). 立案 is recorded here as the outcome: `risk` lies in the
libraries layer, below `enforcement`, so the clue and case are opened from enforcement's side (ARCHITECTURE.md:
an app that needs a higher one's work leaves the step to the higher app).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.calendar import add_working_days
from jianguan.core.validation import text

from .alerts import VERIFY_WORKING_DAYS
from .models import Alert, AlertStep
from .workflow import ALERTS, OUTCOMES, Facts

MAX_NOTE = 4000


def _apply(alert: Alert, action: str, data: Mapping[str, Any], actor: User) -> str:
    """Write what the step `action` changes on `alert`; the note of its step row."""
    note = text(data.get("note"), "note", "说明", required=False, max_len=MAX_NOTE)
    if action == "report":
        alert.finding = text(data.get("finding"), "finding", "核查意见", max_len=MAX_NOTE)
        alert.proposed_by = actor.pk
        return alert.finding
    if action == "extend":
        assert alert.verify_due is not None
        alert.verify_due = add_working_days(alert.verify_due, VERIFY_WORKING_DAYS)
        alert.extended = True
    if action == "transfer":
        alert.transfer_to = text(data.get("transfer_to"), "transfer_to", "移送机关", max_len=200)
        note = f"移送{alert.transfer_to}。{note}".rstrip("。") if note else f"移送{alert.transfer_to}"
    return note


@transaction.atomic
def alert_transition(*, actor: User, alert_id: int, action: str, data: Mapping[str, Any] | None = None,
                     today: dt.date | None = None) -> Alert:
    """Take the step `action` on the alert, as `actor`: out of scope → 404, out of order → 409, not the
    department's officer or head → 403, a missing finding or field → 400 naming it."""
    Alert.objects.get_visible(actor, pk=alert_id)
    alert: Alert = Alert.objects.select_for_update().get(pk=alert_id)
    facts = Facts(state=alert.status, actor=actor, department_id=alert.department_id, extended=alert.extended,
                  finding=alert.finding, today=today or timezone.localdate())
    edge = ALERTS.check(action, facts)
    old = alert.status
    note = _apply(alert, action, data or {}, actor)
    alert.status = edge.target
    if edge.target in OUTCOMES:
        alert.decided_at = timezone.now()
    alert.save()
    AlertStep.objects.create(alert=alert, action=action, old=old, new=alert.status, actor_label=str(actor),
                             note=note)
    record(actor=actor, verb=f"risk.alert_{action}", target=alert,
           data={"old": old, "new": alert.status, "note": note, "verify_due": alert.verify_due})
    return alert
