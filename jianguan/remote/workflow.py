"""Disposing of an alarm as a table of the workflow kernel (`core.workflow`, ADR 0031).

待处置 → 提醒/告诫 the entity (`notify`), a 非现场检查 recorded as a 行政检查 of the 非现场 category citing the
readings with their hashes (`remote_check`), an on-site inspection assigned to officers (`onsite`), a case clue
from the remote check (`clue`), or — by the department's head — a false alarm (`dismiss`). Officers of the point's
department act; an alarm that clears keeps its disposal, a new episode starts again at 待处置.

Remote methods first, visits where the data point: the 2024 national guidance on 涉企行政检查 asks for 非现场
methods before on-site visits [unconfirmed: document number]; a clue found by a check is registered under
《市场监督管理行政处罚程序规定》第十八条.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.errors import AccessDenied, DomainError, InvalidTransition
from jianguan.core.roles import Role
from jianguan.core.workflow import Edge, Workflow, acts_for, fanned

from .models import DisposalStatus as S

OFFICERS = "department_officers"
HEAD = "department_head"
GUIDANCE = "涉企行政检查规范要求（非现场检查优先）"
CLUE_RULE = "《市场监督管理行政处罚程序规定》第十八条"

EDGES = (
    Edge(S.PENDING, "notify", S.NOTIFIED, OFFICERS, "提醒告诫", guards=("open",), fields=("notice", "note")),
    *fanned((S.PENDING, S.NOTIFIED), "remote_check", S.CHECKED, OFFICERS, "非现场检查", guards=("evidence",),
            citation=GUIDANCE, fields=("result", "colleague", "note")),
    *fanned((S.PENDING, S.NOTIFIED, S.CHECKED), "onsite", S.ONSITE, OFFICERS, "转现场检查",
            fields=("officers", "note")),
    Edge(S.CHECKED, "clue", S.CLUE, OFFICERS, "转案件线索", citation=CLUE_RULE, fields=("note",)),
    *fanned((S.PENDING, S.NOTIFIED), "dismiss", S.DISMISSED, HEAD, "认定误报", fields=("note",)),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int
    level: int
    evidence: int


def _officers(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, Role.OFFICER):
        return None
    return AccessDenied("只有监测点所属部门的执法人员可以处置告警", code="not_point_department")


def _head(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, Role.HEAD):
        return None
    return AccessDenied("只有监测点所属部门的负责人可以认定误报", code="not_department_head")


def _open(facts: Facts) -> DomainError | None:
    if facts.level == 0:
        return InvalidTransition("告警已消除，无需提醒告诫", code="alarm_cleared")
    return None


def _evidence(facts: Facts) -> DomainError | None:
    if not facts.evidence:
        return InvalidTransition("该告警没有可引用的监测数据，不能作为非现场检查的证据", code="evidence_missing")
    return None


DISPOSAL = Workflow(EDGES, guards={"open": _open, "evidence": _evidence}, who={OFFICERS: _officers, HEAD: _head},
                    state_label=lambda s: str(S(s).label))
