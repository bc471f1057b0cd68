"""The change workflow of the one list as a table of the workflow kernel (`core.workflow`, ADR 0031).

submit → review (by the level above or the data administrator) → publish (by the data administrator, in a
`Publication`). The table is plain data; `CHANGES.allowed(facts)` and `CHANGES.check(action, facts)` are pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.accounts.models import User
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.roles import Role
from jianguan.core.workflow import Edge, Workflow

from .models import ChangeKind
from .models import ChangeStatus as S

SUBMITTER, REVIEWER, PUBLISHER = "submitter", "reviewer", "publisher"
# Changes of implementation rows, which the guiding department's administrator may review.
IMPLEMENTATION_KINDS = {ChangeKind.CLAIM, ChangeKind.IMPL_MODIFY, ChangeKind.IMPL_CANCEL, ChangeKind.IMPL_SUSPEND}

EDGES = (
    Edge(S.DRAFT, "submit", S.SUBMITTED, SUBMITTER, "提交审核"),
    Edge(S.DRAFT, "withdraw", S.WITHDRAWN, SUBMITTER, "撤回"),
    Edge(S.SUBMITTED, "withdraw", S.WITHDRAWN, SUBMITTER, "撤回"),
    Edge(S.SUBMITTED, "approve", S.APPROVED, REVIEWER, "审核通过"),
    Edge(S.SUBMITTED, "reject", S.REJECTED, REVIEWER, "退回"),
    Edge(S.REJECTED, "submit", S.SUBMITTED, SUBMITTER, "修改后重新提交"),
    Edge(S.APPROVED, "publish", S.PUBLISHED, PUBLISHER, "发布"),
)


@dataclass(frozen=True)
class Facts:
    """What the table may know of a change and of the person acting on it."""

    state: str
    actor: Any
    kind: str = ""
    submitted_by_id: int | None = None
    department_parent_id: int | None = None


def can_review(actor: User, facts: Facts) -> bool:
    """The data administrator reviews everything; a guiding department's administrator reviews the
    implementation changes of the departments it guides. Nobody reviews their own change."""
    if facts.submitted_by_id == actor.pk:
        return False
    if actor.has_role(Role.DATA_ADMIN):
        return True
    return (facts.kind in IMPLEMENTATION_KINDS and actor.has_role(Role.DEPARTMENT_ADMIN)
            and facts.department_parent_id == actor.department_id)


def refuse_reviewer(edge: Edge | None, facts: Facts) -> AccessDenied | None:
    if can_review(facts.actor, facts):
        return None
    return AccessDenied("无权审核该变更（须由上级部门管理员或数据管理员审核，且不能审核本人提交的变更）",
                        code="cannot_review")


def submitter_refusal(action: str, facts: Facts) -> AccessDenied | None:
    """Only the person who submitted a change withdraws or resubmits it."""
    if facts.submitted_by_id == facts.actor.pk:
        return None
    return AccessDenied(f"只有申请人可以{'撤回' if action == 'withdraw' else '重新提交'}", code="not_submitter")


def refuse_submitter(edge: Edge, facts: Facts) -> AccessDenied | None:
    return submitter_refusal(edge.action, facts)


def refuse_publisher(edge: Edge | None, facts: Facts) -> AccessDenied | None:
    if facts.actor.has_role(Role.DATA_ADMIN):
        return None
    return AccessDenied("只有数据管理员可以发布清单", code="not_data_admin")


def _out_of_order(workflow: Workflow, facts: Facts, action: str) -> InvalidTransition:
    """The refusal naming the actions allowed from the change's status."""
    allowed_actions = sorted(set(workflow.open_actions(facts.state)))
    return InvalidTransition(
        f"当前状态“{S(facts.state).label}”不能执行“{action}”" + (f"，可执行：{'、'.join(allowed_actions)}"
                                                         if allowed_actions else "（已结束）"),
        code="invalid_transition", extra={"status": facts.state, "allowed": allowed_actions})


CHANGES = Workflow(EDGES, who={SUBMITTER: refuse_submitter, REVIEWER: refuse_reviewer, PUBLISHER: refuse_publisher},
                   state_label=lambda s: S(s).label, out_of_order=_out_of_order)
