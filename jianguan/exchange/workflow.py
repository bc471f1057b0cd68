"""A repair item's stages (整改) as a table of the workflow kernel (`core.workflow`, ADR 0031).

An intake files an item open when our checks or the receiver refuse a record (`repairs.settle`, `repairs.route`).
A person who reports data for the item's department (or a wide reader) fixes it — the record checked again with
the corrections and re-reported, the item closed as fixed once the record is accepted — or dismisses it with a
reason. An accepted re-report of the same record by any channel closes its open items in bulk inside the intake
(`settle`): that is the intake's own writing, not a person's step, and is not in the table.

Whether an item is still open is told only to whom may handle it: anyone else is refused as such first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.workflow import Edge, Refusal, Workflow

from .models import RepairStatus as R
from .permissions import may_repair

REPORTER = "reporter"
EDGES = (
    Edge(R.OPEN, "fix", R.FIXED, REPORTER, "整改重报", fields=("values",)),
    Edge(R.OPEN, "dismiss", R.DISMISSED, REPORTER, "作废", fields=("reason",)),
)
DENIED = {"fix": "无权整改该条数据", "dismiss": "无权处理该条数据"}


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int | None  # the item's department


def _reporter(edge: Edge, facts: Facts) -> Refusal | None:
    return None if may_repair(facts.actor, facts) else AccessDenied(DENIED[edge.action])


def _closed(workflow: Workflow, facts: Facts, action: str) -> Refusal:
    """A step on an item already closed; to a person who may not handle the item, the refusal of that first."""
    edge = next(e for e in workflow.edges if e.action == action)
    return workflow.permitted(edge, facts) or ValidationFailed("该条数据已处理", code="repair_closed")


REPAIRS = Workflow(EDGES, who={REPORTER: _reporter}, state_label=lambda s: R(s).label, out_of_order=_closed)


def check(action: str, item: Any, actor: Actor) -> Edge:
    """The edge for `action` on the repair item `item`, if `actor` may take it now."""
    return REPAIRS.check(action, Facts(item.status, actor, item.department_id))
