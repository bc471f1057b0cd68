"""A manual adjustment (人工调整) of an entity's credit-risk class as a table of the workflow kernel (`core.workflow`,
ADR 0031; ADR 0041).

(new) → 待批准 by an officer (or head) of a 市场监督管理 department who may read the entity; 待批准 → 已批准 or
未批准 by the head (负责人) of the proposer's department, never by the proposer (ARCHITECTURE.md invariant 19: a
proposer who is also head still does not approve their own proposal); 已批准 → 已撤销 by that head, → 已到期 by the
system once its expiry date has passed.

国市监信发〔2022〕6号 (disclosure-credit.md §8): the class is a reference computed by the scorecard; where the
supervisors know more than the data, they may adjust it, with reasons and evidence, and the adjustment is recorded
and reviewed — here approved by the department's head and kept no longer than its expiry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, DomainError, ValidationFailed
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Workflow, acts_for

from .models import AdjustmentStatus as S

NEW = "new"  # before the proposal exists (not stored)
PROPOSER = "proposer"
HEAD = "department_head"
SYSTEM = "system"
BASIS = "国市监信发〔2022〕6号"

EDGES = (
    Edge(NEW, "propose", S.PROPOSED, PROPOSER, "提出人工调整",
         guards=("reason_given", "evidence_given", "class_changes", "expiry_ahead"), citation=BASIS,
         fields=("target_class", "reason", "evidence", "expires_on")),
    Edge(S.PROPOSED, "approve", S.APPROVED, HEAD, "批准调整", guards=("expiry_ahead",), citation=BASIS,
         fields=("opinion",)),
    Edge(S.PROPOSED, "reject", S.REJECTED, HEAD, "不予批准", guards=("opinion_given",), fields=("opinion",)),
    Edge(S.APPROVED, "withdraw", S.WITHDRAWN, HEAD, "撤销调整", guards=("opinion_given",), fields=("opinion",)),
    Edge(S.APPROVED, "expire", S.EXPIRED, SYSTEM, "调整到期", guards=("past_expiry",)),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int | None  # the proposer's department (the one whose head approves)
    proposer_id: int | None = None
    line_ok: bool = True  # the department is of the 市场监督管理 line
    reason: str = ""
    evidence: bool = False  # a file or a reference to one
    current_class: str = ""
    target_class: str = ""
    expires_on: dt.date | None = None
    today: dt.date | None = None
    opinion: str = ""


def _proposer(edge: Edge, facts: Facts) -> DomainError | None:
    if not facts.line_ok:
        return AccessDenied("只有市场监督管理部门的人员可以提出信用风险分类调整", code="forbidden",
                            field="proposed_by")
    if acts_for(facts.actor, facts.department_id, Role.OFFICER, Role.HEAD):
        return None
    return AccessDenied("只有本部门执法人员或负责人可以提出调整", code="not_permitted", field="proposed_by")


def _head(edge: Edge, facts: Facts) -> DomainError | None:
    """The head of the proposer's own department, never the proposer (whatever roles they hold)."""
    if same_person(facts.proposer_id, facts.actor):
        return AccessDenied("提出人不得批准或处理本人提出的调整", code="same_person", field="decided_by")
    if acts_for(facts.actor, facts.department_id, Role.HEAD):
        return None
    return AccessDenied("只有提出部门的负责人可以审批调整", code="not_department_head", field="decided_by")


def _system(edge: Edge, facts: Facts) -> DomainError | None:
    if isinstance(facts.actor, SystemActor):
        return None
    return AccessDenied("此步骤由系统执行", code="system_only")


def _reason_given(facts: Facts) -> DomainError | None:
    if facts.reason.strip():
        return None
    return ValidationFailed("缺少必填字段“调整理由”", code="reason_required", field="reason")


def _evidence_given(facts: Facts) -> DomainError | None:
    if facts.evidence:
        return None
    return ValidationFailed("请上传证据文件或填写证据说明", code="evidence_required", field="evidence")


def _class_changes(facts: Facts) -> DomainError | None:
    if facts.target_class != facts.current_class:
        return None
    return ValidationFailed(f"调整后分类与现分类（{facts.current_class} 类）相同", code="class_unchanged",
                            field="target_class")


def _expiry_ahead(facts: Facts) -> DomainError | None:
    if facts.expires_on is not None and facts.today is not None and facts.expires_on < facts.today:
        return ValidationFailed("“有效期至”不能早于今天", code="expiry_in_past", field="expires_on")
    return None


def _past_expiry(facts: Facts) -> DomainError | None:
    if facts.expires_on is not None and facts.today is not None and facts.expires_on < facts.today:
        return None
    return ValidationFailed("调整尚未到期", code="not_expired", field="expires_on")


def _opinion_given(facts: Facts) -> DomainError | None:
    if facts.opinion.strip():
        return None
    return ValidationFailed("缺少必填字段“意见”", code="opinion_required", field="opinion")


def _label(state: str) -> str:
    return "新建" if state == NEW else str(S(state).label)


ADJUSTMENTS = Workflow(EDGES, guards={"reason_given": _reason_given, "evidence_given": _evidence_given,
                                      "class_changes": _class_changes, "expiry_ahead": _expiry_ahead,
                                      "past_expiry": _past_expiry, "opinion_given": _opinion_given},
                       who={PROPOSER: _proposer, HEAD: _head, SYSTEM: _system}, state_label=_label)
