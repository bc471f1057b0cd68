"""The handling of a complaint or report as a table of the workflow kernel (`core.workflow`, ADR 0031).

received → accepted (受理, the 45-working-day mediation clock starts for a complaint) or not accepted (不予受理,
with the reason); received or accepted → concluded (办结) or converted into a clue of enforcement. Every step is
the handling department's: an officer or the administrator of the department the complaint was routed to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.actors import Actor, person
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.roles import Role
from jianguan.core.workflow import Edge, Workflow, fanned

from .models import ComplaintStatus as S

HANDLER = "handling_department"
OPEN = (S.RECEIVED, S.ACCEPTED)
RULES = "《市场监督管理投诉举报处理暂行办法》"

EDGES = (
    Edge(S.RECEIVED, "accept", S.ACCEPTED, HANDLER, "受理", citation=RULES),
    Edge(S.RECEIVED, "refuse", S.NOT_ACCEPTED, HANDLER, "不予受理", fields=("note",),
         citation=RULES),
    *fanned((S.ACCEPTED, S.RECEIVED), "conclude", S.CONCLUDED, HANDLER, "办结", fields=("outcome",)),
    *fanned(OPEN, "convert", S.CONVERTED, HANDLER, "转为案件线索", fields=("note",)),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int | None


def handler_refusal(actor: Actor, department_id: int | None) -> AccessDenied | None:
    """Only the handling department's officers or administrator act on a complaint."""
    someone = person(actor)
    if someone is not None and someone.has_role(Role.OFFICER, Role.DEPARTMENT_ADMIN) \
            and department_id == someone.department_id:
        return None
    return AccessDenied("只有承办部门的执法人员或部门管理员可以办理", code="not_handling_department")


def _out_of_order(workflow: Workflow, facts: Facts, action: str) -> InvalidTransition:
    return InvalidTransition(f"当前状态“{S(facts.state).label}”不能办理此操作", code="invalid_transition",
                             extra={"status": facts.state})


COMPLAINTS = Workflow(EDGES, who={HANDLER: lambda edge, facts: handler_refusal(facts.actor, facts.department_id)},
                      state_label=lambda s: str(S(s).label), out_of_order=_out_of_order)
