"""Enforcement: penalty cases (行政处罚案件) from the clue (案件线索) to the archived file.

A `Clue` is the registration of a 案件来源 (complaint, report, inspection, transfer …); every clue is the first stage
of a `Case`, which then runs the stages of enforcement.md §2 (立案, 调查取证, 法制审核, 集体讨论, 告知, 听证, 决定,
送达, 执行, 结案, 归档) by the transition table in `workflow.py`. Every step appends a `CaseEvent` to the case's
own hash chain (全过程记录, 国办发〔2018〕118号): events are only appended, a correction is a new event naming the
one it supersedes, and the database refuses UPDATE of events (migration 0003).

Dates are calendar dates of law; clocks (`deadlines.py`) count working days where the law says so
(行政处罚法 第八十五条).

The models live in `case` (the clue, the case, its officers and events) and `records` (what the steps keep);
this package is the app's door for them.
"""

from __future__ import annotations

from .case import (
    BEHAVIOUR_CASE_SOURCE,
    BEHAVIOUR_INSPECTION_FORM,
    BEHAVIOUR_PROCEDURE,
    PENALTY_KIND_LABELS,
    Case,
    CaseEvent,
    CaseOfficer,
    CaseStatus,
    Clue,
    ClueSource,
    ClueStatus,
    Mitigation,
    Outcome,
    PartyKind,
    Procedure,
)
from .records import (
    AlertState,
    Approval,
    CaseFile,
    DeadlineAlert,
    Evidence,
    EvidenceKind,
    Extension,
    ExtensionKind,
    Hearing,
    Payment,
    Preservation,
    Service,
    ServiceMethod,
    Suspension,
    SuspensionKind,
)

__all__ = [
    "BEHAVIOUR_CASE_SOURCE",
    "BEHAVIOUR_INSPECTION_FORM",
    "BEHAVIOUR_PROCEDURE",
    "PENALTY_KIND_LABELS",
    "AlertState",
    "Approval",
    "Case",
    "CaseEvent",
    "CaseFile",
    "CaseOfficer",
    "CaseStatus",
    "Clue",
    "ClueSource",
    "ClueStatus",
    "DeadlineAlert",
    "Evidence",
    "EvidenceKind",
    "Extension",
    "ExtensionKind",
    "Hearing",
    "Mitigation",
    "Outcome",
    "PartyKind",
    "Payment",
    "Preservation",
    "Procedure",
    "Service",
    "ServiceMethod",
    "Suspension",
    "SuspensionKind",
]
