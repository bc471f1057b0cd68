"""The change workflow of the one list as data: statuses, the transitions between them, who may take each.

submit → review (by the level above or the data administrator) → publish (by the data administrator, in a
`Publication`). The table is plain data; `edge()` and `allowed()` are pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from jianguan.core.errors import InvalidTransition

from .models import ChangeStatus as S


@dataclass(frozen=True)
class Edge:
    old: str
    new: str
    action: str
    who: str  # "submitter" | "reviewer" | "publisher"
    label: str


EDGES = (
    Edge(S.DRAFT, S.SUBMITTED, "submit", "submitter", "提交审核"),
    Edge(S.DRAFT, S.WITHDRAWN, "withdraw", "submitter", "撤回"),
    Edge(S.SUBMITTED, S.WITHDRAWN, "withdraw", "submitter", "撤回"),
    Edge(S.SUBMITTED, S.APPROVED, "approve", "reviewer", "审核通过"),
    Edge(S.SUBMITTED, S.REJECTED, "reject", "reviewer", "退回"),
    Edge(S.REJECTED, S.SUBMITTED, "submit", "submitter", "修改后重新提交"),
    Edge(S.APPROVED, S.PUBLISHED, "publish", "publisher", "发布"),
)


def edge(old: str, action: str) -> Edge:
    """The edge for `action` from `old`, or InvalidTransition naming the actions allowed from there."""
    for candidate in EDGES:
        if candidate.old == old and candidate.action == action:
            return candidate
    allowed_actions = sorted({e.action for e in EDGES if e.old == old})
    raise InvalidTransition(
        f"当前状态“{S(old).label}”不能执行“{action}”" + (f"，可执行：{'、'.join(allowed_actions)}" if allowed_actions
                                                     else "（已结束）"),
        code="invalid_transition", extra={"status": old, "allowed": allowed_actions})


def allowed(old: str) -> list[Edge]:
    return [e for e in EDGES if e.old == old]
