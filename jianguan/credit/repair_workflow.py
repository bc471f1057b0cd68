"""A credit-repair application as a table of the workflow kernel (`core.workflow`, ADR 0031; ADR 0045).

已提交 → 已受理 by an officer of the deciding department (受理; or 不予受理 → 不予修复 with reasons); 已受理 → 准予修复
or 不予修复 by the head of that department, never by the officer who accepted it (rule 19), with reasons.
The application is made to the body that decided the penalty (国市监信规〔2021〕3号 第五条; 信用修复管理办法).

Approval holds only while every condition of the scheme holds on the day (the guards, each named by its rule):
the minimum publication period served (`min_served`), the decision performed (`performed`), a penalty the scheme
allows to repair (`repairable`, refused “不可修复”), the entity on neither the 经营异常名录 nor the 严重违法失信名单
(`not_listed`) — 市场监督管理行政处罚信息公示规定 第十六条; disclosure-credit.md §4, §6."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jianguan.core.errors import AccessDenied, DomainError, ValidationFailed
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Workflow, acts_for

from .models import RepairStatus as S

OFFICER = "officer"
HEAD = "head"
RULES = ("min_served", "performed", "repairable", "not_listed")
CITATION = "国市监信规〔2021〕3号；市场监督管理行政处罚信息公示规定第十六条"

EDGES = (
    Edge(S.SUBMITTED, "accept", S.ACCEPTED, OFFICER, "受理", citation=CITATION),
    Edge(S.SUBMITTED, "refuse", S.REJECTED, OFFICER, "不予受理", guards=("reasons",), fields=("reasons",),
         citation=CITATION),
    Edge(S.ACCEPTED, "approve", S.APPROVED, HEAD, "准予信用修复", guards=("reasons", *RULES), fields=("reasons",),
         citation=CITATION, document="信用修复决定书"),
    Edge(S.ACCEPTED, "reject", S.REJECTED, HEAD, "不予信用修复", guards=("reasons",), fields=("reasons",),
         citation=CITATION, document="信用修复决定书"),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int  # the body that decided the penalty
    accepted_by_id: int | None = None
    reasons: str = ""
    problems: dict[str, DomainError] = field(default_factory=dict)  # rule → its refusal, as of today


def _officer(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.HEAD):
        return None
    return AccessDenied("只有作出处罚决定的部门的工作人员可以受理信用修复申请", code="not_repair_officer")


def _head(edge: Edge, facts: Facts) -> DomainError | None:
    if not acts_for(facts.actor, facts.department_id, Role.HEAD):
        return AccessDenied("信用修复由作出处罚决定的部门负责人决定", code="not_repair_head")
    if same_person(facts.accepted_by_id, facts.actor):
        return AccessDenied("受理人与决定人不得为同一人", code="same_person")
    return None


def _reasons(facts: Facts) -> DomainError | None:
    if facts.reasons.strip():
        return None
    return ValidationFailed("请填写决定理由", code="reasons_required", field="reasons")


def _rule(name: str) -> Any:
    def guard(facts: Facts) -> DomainError | None:
        return facts.problems.get(name)
    guard.__name__ = name
    return guard


REPAIRS = Workflow(EDGES, guards={"reasons": _reasons, **{name: _rule(name) for name in RULES}},
                   who={OFFICER: _officer, HEAD: _head}, state_label=lambda s: str(S(s).label))
