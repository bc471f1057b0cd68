"""Verifying and disposing of an alert as a table of the workflow kernel (`core.workflow`, ADR 0031).

待分派 → 核查中 (an officer of the alert's department takes it; the 15 working-day clock starts) → one outcome:
不属实, 轻微不予立案, 立案 or 移送 (to another department, 公安 for a crime, the fundraising lead department). The
officers verify and write their finding (`report`, any number of times while verifying); the department's head
decides the outcome on a finding, and approves the one extension of 15 working days.

《市场监督管理行政处罚程序规定》第十八条: a clue is verified and the decision whether to open a case taken within
15 working days of its discovery, extendable by 15 working days with the head's approval; 第二十条 (不予立案 for
minor violations); 第十九条 and 《防范和处置非法集资条例》第二十一条 (移送 to the competent body).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jianguan.core.errors import AccessDenied, DomainError, ValidationFailed
from jianguan.core.roles import Role
from jianguan.core.workflow import Edge, Workflow, acts_for

from .models import AlertStatus as S

OFFICERS = "department_officers"
HEAD = "department_head"
RULES = "《市场监督管理行政处罚程序规定》第十八条"
OUTCOMES = (S.UNFOUNDED, S.MINOR, S.CASE, S.TRANSFERRED)
OPEN = (S.PENDING, S.VERIFYING)

EDGES = (
    Edge(S.PENDING, "verify", S.VERIFYING, OFFICERS, "接收核查", citation=RULES),
    Edge(S.VERIFYING, "report", S.VERIFYING, OFFICERS, "填写核查意见", fields=("finding",)),
    Edge(S.VERIFYING, "extend", S.VERIFYING, HEAD, "批准延长核查期限", guards=("not_extended",),
         citation=RULES, fields=("note",)),
    Edge(S.VERIFYING, "unfounded", S.UNFOUNDED, HEAD, "核查不属实", guards=("reported",), fields=("note",)),
    Edge(S.VERIFYING, "minor", S.MINOR, HEAD, "轻微不予立案", guards=("reported",),
         citation="《市场监督管理行政处罚程序规定》第二十条", fields=("note",)),
    Edge(S.VERIFYING, "open_case", S.CASE, HEAD, "立案", guards=("reported",), citation=RULES, fields=("note",)),
    Edge(S.VERIFYING, "transfer", S.TRANSFERRED, HEAD, "移送", guards=("reported",),
         citation="《市场监督管理行政处罚程序规定》第十九条", fields=("transfer_to", "note")),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int
    extended: bool = False
    finding: str = ""
    today: dt.date | None = None


def _officers(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, Role.OFFICER):
        return None
    return AccessDenied("只有预警承办部门的执法人员可以核查", code="not_alert_department")


def _head(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, Role.HEAD):
        return None
    return AccessDenied("只有预警承办部门的负责人可以批准", code="not_department_head")


def _not_extended(facts: Facts) -> DomainError | None:
    if facts.extended:
        return ValidationFailed("核查期限只能延长一次（15 个工作日）", code="already_extended", field="action")
    return None


def _reported(facts: Facts) -> DomainError | None:
    if not facts.finding.strip():
        return ValidationFailed("请先由核查人员填写核查意见", code="finding_required", field="finding")
    return None


ALERTS = Workflow(EDGES, guards={"not_extended": _not_extended, "reported": _reported},
                  who={OFFICERS: _officers, HEAD: _head}, state_label=lambda s: str(S(s).label))
