"""The joint plan and the merge proposals as tables of the workflow kernel (`core.workflow`, ADR 0031; ADR 0054).

Plan: 草拟 → 已报送 (by an officer of the joint-meeting office) → 已批准 (by the office's 负责人, never the person who
drafted or submitted it: `same_person`); 已报送 → 草拟 when the head returns it with a reason (`reason_required`).
Merge proposal: 待决定 → 已接受 / 已拒绝 by the office's people, a refusal with its reason; only while the plan is
not approved (`plan_approved`).

《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）: the joint-meeting
office coordinates the departments' joint spot-check plan; 进一次门、查多项事.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.errors import AccessDenied, DomainError, ValidationFailed
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Workflow, acts_for, loops

from .models import MergeStatus as M
from .models import PlanStatus as P
from .models import VisitStatus as V

BASIS = "国发〔2019〕5号"
OFFICE_PEOPLE = "office_people"
OFFICE_HEAD = "office_head"

PLAN_EDGES = (
    Edge(P.DRAFT, "submit", P.SUBMITTED, OFFICE_PEOPLE, "报送", citation=BASIS, fields=("note",)),
    Edge(P.SUBMITTED, "approve", P.APPROVED, OFFICE_HEAD, "批准", citation=BASIS, fields=("note",)),
    Edge(P.SUBMITTED, "return", P.DRAFT, OFFICE_HEAD, "退回", guards=("reason_given",), fields=("reason",)),
)

MERGE_EDGES = (
    Edge(M.PROPOSED, "accept", M.ACCEPTED, OFFICE_PEOPLE, "接受合并", guards=("plan_open",), citation=BASIS),
    Edge(M.PROPOSED, "decline", M.DECLINED, OFFICE_PEOPLE, "不予合并", guards=("plan_open", "reason_given"),
         fields=("reason",)),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    office_id: int
    proposer_ids: tuple[int | None, ...] = ()
    reason: str = ""
    plan_state: str = P.DRAFT


def _office_people(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.office_id, Role.OFFICER, Role.HEAD):
        return None
    return AccessDenied("只有联合抽查联席会议办公室的人员可以办理")


def _office_head(edge: Edge, facts: Facts) -> DomainError | None:
    if not acts_for(facts.actor, facts.office_id, Role.HEAD):
        return AccessDenied("只有联合抽查联席会议办公室的负责人可以批准计划", code="not_office_head")
    if any(same_person(proposer, facts.actor) for proposer in facts.proposer_ids):
        return AccessDenied("计划的草拟人、报送人不得批准本计划", code="same_person")
    return None


def _reason_given(facts: Facts) -> DomainError | None:
    if facts.reason.strip():
        return None
    return ValidationFailed("请填写“理由”：退回或不予合并须说明理由", code="reason_required", field="reason")


def _plan_open(facts: Facts) -> DomainError | None:
    if facts.plan_state != P.APPROVED:
        return None
    return ValidationFailed("计划已批准，不能再调整合并", code="plan_approved", field="plan")


_WHO = {OFFICE_PEOPLE: _office_people, OFFICE_HEAD: _office_head}
_GUARDS = {"reason_given": _reason_given, "plan_open": _plan_open}
PLANS = Workflow(PLAN_EDGES, guards=_GUARDS, who=_WHO, state_label=lambda s: str(P(s).label))
MERGES = Workflow(MERGE_EDGES, guards=_GUARDS, who=_WHO, state_label=lambda s: str(M(s).label))


# Joint visits --------------------------------------------------------------------------------------------------
# 检查中: each participating department enters the results of its own items (its 行政检查 record) and hands a problem
# on another department's item to that department as a clue; 制作笔录 once every department has entered its results:
# one 现场检查笔录 listing every officer present with their 执法证号 (《行政处罚法》第四十二条、第五十五条).

PARTICIPANT_PEOPLE = "participant_people"
VISIT_BASIS = "《行政处罚法》第五十五条"
VISIT_EDGES = (
    *loops((V.OPEN,), "enter_result", PARTICIPANT_PEOPLE, "录入本部门检查结果", citation=BASIS,
           fields=("results",)),
    *loops((V.OPEN,), "hand_over", PARTICIPANT_PEOPLE, "移交线索", fields=("item", "summary")),
    Edge(V.OPEN, "close", V.CLOSED, PARTICIPANT_PEOPLE, "制作现场检查笔录", guards=("results_complete",),
         document="onsite_record", citation=VISIT_BASIS),
)


@dataclass(frozen=True)
class VisitFacts:
    state: str
    actor: Any
    departments: tuple[int, ...]
    missing: tuple[str, ...] = ()


def _participant_people(edge: Edge, facts: VisitFacts) -> DomainError | None:
    if any(acts_for(facts.actor, d, Role.OFFICER, Role.HEAD) for d in facts.departments):
        return None
    return AccessDenied("只有参加联合检查的部门的执法人员或负责人可以办理")


def _results_complete(facts: VisitFacts) -> DomainError | None:
    if not facts.missing:
        return None
    return ValidationFailed(f"{'、'.join(facts.missing)}尚未录入本部门检查事项的结果，不能制作现场检查笔录",
                            code="results_missing", field="results")


VISITS = Workflow(VISIT_EDGES, guards={"results_complete": _results_complete},
                  who={PARTICIPANT_PEOPLE: _participant_people}, state_label=lambda s: str(V(s).label))
