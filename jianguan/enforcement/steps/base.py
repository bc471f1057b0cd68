"""What a step handler receives (`Step`: the locked case, who acts, the input, the edge) and leaves for the event,
and the table of handlers by action that `transitions.case_transition` runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.core.canonical import to_jsonable
from jianguan.core.roles import Role
from jianguan.documents import contracts as documents

from .. import workflow
from ..models import Approval, Case


@dataclass
class Step:
    """What a step handler receives, and what it leaves for the event."""

    case: Case
    actor: User
    data: dict[str, Any]
    today: dt.date
    edge: workflow.Edge
    on: dt.date
    event: dict[str, Any]
    document: Any = None

    def issue(self, kind: str, context: dict[str, Any], number: str = "") -> Any:
        self.document = documents.issue(actor=self.actor, kind=kind, department=self.case.department,
                                        context=to_jsonable(context), subject=self.case.subject, number=number)
        self.event.update({"document": {"kind": kind, "number": self.document.number}})
        return self.document

    def approve(self, opinion: str, *, approved: bool = True, role: str = Role.HEAD) -> None:
        proposer = self.case.proposed_by_id
        Approval.objects.create(case=self.case, step=self.edge.action, role=role, approver=self.actor,
                                proposed_by_id=proposer, approved=approved, opinion=opinion,
                                decided_at=timezone.now())
        self.event.update({"approval": {"role": role, "approved": approved, "opinion": opinion,
                                        "proposed_by": proposer}})


HANDLERS: dict[str, Callable[[Step], None]] = {}


def handles(*actions: str) -> Callable:
    def register(function: Callable[[Step], None]) -> Callable[[Step], None]:
        for action in actions:
            HANDLERS[action] = function
        return function

    return register
