"""The stages of a 抽查 plan and of a 抽查 task as tables of the workflow kernel (`core.workflow`, ADR 0031).

A plan is drafted, filed with the department guiding the planning one (报备), then published (公开); a task is
published before anything is drawn for it (一公开), and a draw is committed while the task is published or drawn,
one live draw at a time. Every step is the planning (for a task, the leading) department's own: an officer or the
administrator of that department.

A draw follows its protocol (`protocol.py`, docs/draw-protocol.md): committed, then revealed with the beacon's
value (anyone may give it: the value is public and the commitment binds the result); an inspector who cannot go
is replaced on a drawn draw; a void is asked for by the leading department's own people and approved by a second
person — the head (负责人) or a legal reviewer of that department, never the one who asked. Asking for a void
leaves the draw where it was (its state gains `+void_requested`), so the draw's state is its status and that flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Refusal, Workflow, acts_for, fanned, loops

from .models import DrawStatus as D
from .models import PlanStatus as P
from .models import TaskStatus as T

OWN = "own_department"
ANYONE = "anyone"
SECOND = "second_approver"
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


def _own(edge: Edge, facts: Facts | DrawFacts) -> Refusal | None:
    return own_refusal(facts.actor, facts.department_id)


PLANS = Workflow(PLAN_EDGES, who={OWN: _own}, state_label=lambda s: P(s).label, out_of_order=_out_of_order({
    "file": ("计划已报备", "plan_not_draft"), "publish": ("计划须先报备再公开", "plan_not_filed")}))
TASKS = Workflow(TASK_EDGES, guards={"no_live_draw": no_live_draw}, who={OWN: _own},
                 state_label=lambda s: T(s).label, out_of_order=_out_of_order({
                     "publish": ("任务已公布", "task_not_draft"),
                     "commit_draw": ("任务须先公布再抽取", "task_not_published")}))


VOID_REQUESTED = "+void_requested"


class DrawState:
    """A draw's status, and whether a void was asked for and not yet approved."""

    COMMITTED, DRAWN, VOID = D.COMMITTED.value, D.DRAWN.value, D.VOID.value
    COMMITTED_VOID_REQUESTED, DRAWN_VOID_REQUESTED = f"{COMMITTED}{VOID_REQUESTED}", f"{DRAWN}{VOID_REQUESTED}"


S = DrawState
LOT, TWO_INSPECTORS = "国办发〔2015〕58号", "《中华人民共和国行政处罚法》第四十二条"
VOID_RULE = "国办发〔2015〕58号（随机抽取过程全程记录、可追溯）"
REVEAL = ("beacon_value", "signature")
DRAW_EDGES = (
    Edge(S.COMMITTED, "reveal", S.DRAWN, ANYONE, "抽取", citation=LOT, fields=REVEAL),
    Edge(S.COMMITTED_VOID_REQUESTED, "reveal", S.DRAWN_VOID_REQUESTED, ANYONE, "抽取", citation=LOT, fields=REVEAL),
    *loops((S.DRAWN, S.DRAWN_VOID_REQUESTED), "replace", OWN, "替换检查人员", ("results_written",),
           citation=TWO_INSPECTORS, fields=("uscc", "out", "reason")),
    Edge(S.COMMITTED, "request_void", S.COMMITTED_VOID_REQUESTED, OWN, "申请作废", ("no_results_entered",),
         citation=VOID_RULE, fields=("reason",)),
    Edge(S.DRAWN, "request_void", S.DRAWN_VOID_REQUESTED, OWN, "申请作废", ("no_results_entered",),
         citation=VOID_RULE, fields=("reason",)),
    *fanned((S.COMMITTED_VOID_REQUESTED, S.DRAWN_VOID_REQUESTED), "approve_void", S.VOID, SECOND, "批准作废",
            citation=VOID_RULE),
)
del S


@dataclass(frozen=True)
class DrawFacts:
    state: str
    actor: Any
    department_id: int | None  # the department leading the task
    proposer_id: int | None = None  # who asked for the void
    results_pending: bool = False
    results_entered: bool | None = None  # unknown until the service has read the reason


def draw_state(status: str, void_requested: bool) -> str:
    """The draw's state in the table: its status, and `+void_requested` while a void waits for approval."""
    return f"{status}{VOID_REQUESTED}" if void_requested and status != D.VOID else status


def draw_status(state: str) -> str:
    """The status a draw in `state` is stored with."""
    return state.partition("+")[0]


def results_written(facts: DrawFacts) -> Refusal | None:
    """An inspector is replaced on a check record: a large draw's records are written after its reveal."""
    if facts.results_pending:
        return InvalidTransition("检查记录正在生成，请稍后再替换人员", code="results_pending")
    return None


def no_results_entered(facts: DrawFacts) -> Refusal | None:
    """A draw whose results were entered has been acted on: it is no longer voided."""
    if facts.results_entered:
        return InvalidTransition("已有检查结果录入，不能作废", code="results_entered")
    return None


def _anyone(edge: Edge, facts: DrawFacts) -> Refusal | None:
    return None


def _second_approver(edge: Edge, facts: DrawFacts) -> Refusal | None:
    """The void's second approver: the head or a legal reviewer of the leading department, never the proposer."""
    if same_person(facts.proposer_id, facts.actor):
        return AccessDenied("提出人与批准人不得为同一人", code="same_person")
    if acts_for(facts.actor, facts.department_id, Role.HEAD) \
            or acts_for(facts.actor, facts.department_id, Role.LEGAL_REVIEWER):
        return None
    return AccessDenied("作废须由牵头部门的负责人或法制审核人员另行批准", code="void_second_approver")


DRAWS = Workflow(DRAW_EDGES, guards={"results_written": results_written, "no_results_entered": no_results_entered},
                 who={ANYONE: _anyone, OWN: _own, SECOND: _second_approver},
                 state_label=lambda s: D(draw_status(s)).label, out_of_order=_out_of_order({
                     "reveal": ("该抽取已完成或已作废", "draw_not_committed"),
                     "replace": ("只有已抽取的任务可以替换人员", "draw_not_drawn"),
                     "request_void": ("已申请作废", "void_requested"),
                     "approve_void": ("没有待批准的作废申请", "void_not_requested")}))
