"""The stages of a 抽查 plan and of a 抽查 task as tables of the workflow kernel (`core.workflow`, ADR 0031).

A plan is drafted, filed with the department guiding the planning one (报备), then published (公开); a task is
published before anything is drawn for it (一公开), and a draw is committed while the task is published or drawn,
one live draw at a time. Every step is the planning (for a task, the leading) department's own: an officer or the
administrator of that department. The draw itself follows its protocol (`protocol.py`, docs/draw-protocol.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.roles import Role
from jianguan.core.workflow import Edge, Refusal, Workflow, loops

from .models import PlanStatus as P
from .models import TaskStatus as T

OWN = "own_department"
RULES = "国发〔2019〕5号；《优化营商环境条例》第五十四条"

PLAN_EDGES = (
    Edge(P.DRAFT, "file", P.FILED, OWN, "报备", citation="国办发〔2015〕58号"),
    Edge(P.FILED, "publish", P.PUBLISHED, OWN, "公开", citation="国办发〔2015〕58号"),
)
TASK_EDGES = (
    Edge(T.DRAFT, "publish", T.PUBLISHED, OWN, "公布", citation=RULES),
    *loops((T.PUBLISHED, T.DRAWN), "commit_draw", OWN, "随机抽取承诺", ("no_live_draw",), fields=("beacon",)),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int | None
    live_draw: bool = False


def own_refusal(actor: Actor, department_id: int | None) -> Refusal | None:
    """Only the department's own administrator or officers act on its plans and tasks."""
    if getattr(actor, "is_person", False) and actor.department_id == department_id \
            and actor.has_role(Role.DEPARTMENT_ADMIN, Role.OFFICER):
        return None
    return AccessDenied("只有本部门的管理员或执法人员可以办理", code="not_own_department")


def no_live_draw(facts: Facts) -> Refusal | None:
    """A draw is never redone: a second commitment only after the earlier draw was voided."""
    if facts.live_draw:
        return InvalidTransition("本任务已有随机抽取承诺：抽取不可重做，只能经审批作废后重新承诺", code="draw_exists")
    return None


def _out_of_order(refusals: dict[str, tuple[str, str]]) -> Any:
    """Each step's own refusal when asked for out of order (its message and code)."""
    def refuse(workflow: Workflow, facts: Facts, action: str) -> Refusal:
        message, code = refusals[action]
        return InvalidTransition(message, code=code)
    return refuse


def _own(edge: Edge, facts: Facts) -> Refusal | None:
    return own_refusal(facts.actor, facts.department_id)


PLANS = Workflow(PLAN_EDGES, who={OWN: _own}, state_label=lambda s: P(s).label, out_of_order=_out_of_order({
    "file": ("计划已报备", "plan_not_draft"), "publish": ("计划须先报备再公开", "plan_not_filed")}))
TASKS = Workflow(TASK_EDGES, guards={"no_live_draw": no_live_draw}, who={OWN: _own},
                 state_label=lambda s: T(s).label, out_of_order=_out_of_order({
                     "publish": ("任务已公布", "task_not_draft"),
                     "commit_draw": ("任务须先公布再抽取", "task_not_published")}))
