"""A disclosure item as a table of the workflow kernel (`core.workflow`, ADR 0031; ADR 0047).

待公示 → 待审核 (prepared by an officer of the deciding department) → 已公示 (released by that department's
信息发布审核人 or 负责人, never the preparer) → 已撤回 / 已届满 / 提前终止; 待公示 or 待审核 → 不予公示 (a reviewer's
ruling, with the rule and a reason). Publishing what nobody has reviewed is refused naming the rule (`not_reviewed`); a
withdrawal or a ruling without a reason is refused (`reason_required`).

谁执法谁公示 (国办发〔2018〕118号); review before release (《政府信息公开条例》第十七条: 发布前依法审查); withdrawal
(《行政处罚法》第四十八条). Before release the department's people adjust the masks of the published copy (add one,
or remove one the rules made), each with a reason (`redacting.py`). A published licence whose received record was
updated (its copy made again, ADR 0062) is confirmed by a reviewer (复核更新内容).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, DomainError, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Workflow, acts_for, fanned, loops, not_in_order

from .models import ItemStatus as S
from .rules import GUIDANCE, REVIEWER_RULES, WITHDRAW_BASIS

OFFICERS = "department_officers"
REVIEWERS = "department_reviewers"
SYSTEM = "system"
PEOPLE = "department_people"
REVIEW_RULE = "《政府信息公开条例》第十七条"

EDGES = (
    Edge(S.PENDING, "prepare", S.PREPARED, OFFICERS, "提交审核", citation=GUIDANCE,
         fields=("note", "restriction_ends_on")),
    Edge(S.PREPARED, "publish", S.PUBLISHED, REVIEWERS, "审核通过并公示", citation=f"{GUIDANCE}；{REVIEW_RULE}",
         fields=("note",)),
    Edge(S.PREPARED, "return", S.PENDING, REVIEWERS, "退回修改", guards=("reason_given",), fields=("reason",)),
    *loops([S.PENDING, S.PREPARED], "mask", PEOPLE, "调整隐去", guards=("reason_given",),
           fields=("mask_field", "mask_text", "mask_kind", "unmask", "reason")),
    *fanned([S.PENDING, S.PREPARED], "withhold", S.WITHHELD, REVIEWERS, "不予公示",
            guards=("reason_given", "reviewer_rule"), fields=("rule", "reason")),
    Edge(S.PUBLISHED, "withdraw", S.WITHDRAWN, REVIEWERS, "撤回公示", guards=("reason_given",),
         citation=WITHDRAW_BASIS, fields=("reason", "changed_on")),
    Edge(S.PUBLISHED, "confirm", S.PUBLISHED, REVIEWERS, "复核更新内容", citation=REVIEW_RULE, fields=("note",)),
    Edge(S.PUBLISHED, "expire", S.EXPIRED, SYSTEM, "公示期满", citation="市场监管总局令第45号第十四条"),
    Edge(S.PUBLISHED, "end_early", S.ENDED, SYSTEM, "信用修复提前停止公示", citation="国市监信规〔2021〕3号"),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int
    preparer_id: int | None = None
    reason: str = ""
    rule: str = ""


def _officers(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, Role.OFFICER):
        return None
    return AccessDenied("只有作出决定的部门的执法人员可以提交公示审核", code="not_deciding_department")


def _reviewers(edge: Edge, facts: Facts) -> DomainError | None:
    if not acts_for(facts.actor, facts.department_id, Role.PUBLISHER, Role.HEAD):
        return AccessDenied("只有作出决定的部门的信息发布审核人或负责人可以审核公示", code="not_department_publisher")
    if same_person(facts.preparer_id, facts.actor):
        return AccessDenied("经办人与审核人不得为同一人", code="same_person")
    return None


def _people(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, Role.OFFICER, Role.PUBLISHER, Role.HEAD):
        return None
    return AccessDenied("只有作出决定的部门的人员可以调整隐去内容", code="not_deciding_department")


def _system(edge: Edge, facts: Facts) -> DomainError | None:
    if isinstance(facts.actor, SystemActor):
        return None
    return AccessDenied("该步骤由系统按期限或信用修复结果办理", code="system_only")


def _reason_given(facts: Facts) -> DomainError | None:
    if facts.reason.strip():
        return None
    return ValidationFailed("请填写“原因”：撤回、退回或不予公示须说明理由（《行政处罚法》第四十八条）",
                            code="reason_required", field="reason")


def _reviewer_rule(facts: Facts) -> DomainError | None:
    if facts.rule in REVIEWER_RULES:
        return None
    labels = "、".join(str(r.label) for r in REVIEWER_RULES)
    return ValidationFailed(f"“不予公示情形”应为{labels}之一", code="choice_invalid", field="rule")


def _out_of_order(workflow: Workflow, facts: Any, action: str) -> DomainError:
    """Publishing an item nobody has reviewed names the rule; the rest as the kernel says."""
    if action == "publish" and facts.state == S.PENDING:
        return InvalidTransition(f"未经信息发布审核人审核不得公示：请先提交审核（{REVIEW_RULE}：发布前依法审查）",
                                 code="not_reviewed", extra={"status": facts.state,
                                                             "allowed": [e.action for e in workflow.allowed(facts)]})
    return not_in_order(workflow, facts, action)


ITEMS = Workflow(EDGES, guards={"reason_given": _reason_given, "reviewer_rule": _reviewer_rule},
                 who={OFFICERS: _officers, REVIEWERS: _reviewers, SYSTEM: _system, PEOPLE: _people},
                 state_label=lambda s: str(S(s).label), out_of_order=_out_of_order)
