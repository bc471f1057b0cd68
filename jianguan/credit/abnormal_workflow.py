"""An entry of the 经营异常名录 as a table of the workflow kernel (`core.workflow`, ADR 0031; ADR 0043).

待负责人审批 → 已批准待作出决定 (or 不予列入) → 已列入 → 已申请移出待决定 → 已移出 (or back to 已列入).

Who acts: the 执法人员 of the market-supervision department that registers the entity propose a listing, decide it
once approved (the 列入决定书, published) and record an application for removal; that department's 负责人 approves
or rejects the listing and decides the removal (the 移出决定书) — never the person who proposed the step
(`same_person`, 403), whatever roles they hold.

《企业经营异常名录管理暂行办法》: 第三条 (the registering department manages its entities' entries), 第四条 (the four
grounds, no other), 第五条 (the listing decision, published), 第六条至第九条 (decided within 10 working days of the
ground), 第十条 (the removal decision, published), 第十一条至第十四条 (removal on the repair that fits the ground,
decided within 5 working days of the application); 《企业信息公示暂行条例》第十七条.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jianguan.core.errors import AccessDenied, DomainError, ValidationFailed
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Workflow, acts_for

from .models import AbnormalReason, AbnormalRepair
from .models import AbnormalStatus as S

OFFICERS = "department_officers"
HEAD = "department_head"
RULES = "《企业经营异常名录管理暂行办法》"

# The repair that removes an entry listed on each ground (暂行办法 第十一条至第十四条).
REPAIR_FOR = {
    AbnormalReason.ANNUAL_REPORT: AbnormalRepair.REPORT_FILED,
    AbnormalReason.DISCLOSURE: AbnormalRepair.INFORMATION_PUBLISHED,
    AbnormalReason.FALSE_INFORMATION: AbnormalRepair.INFORMATION_CORRECTED,
    AbnormalReason.UNREACHABLE: AbnormalRepair.ADDRESS_REACHABLE,
}
# The article of each ground: listing (第四条 item, clock article) and removal.
ARTICLES = {
    AbnormalReason.ANNUAL_REPORT: ("第四条第（一）项、第六条", "第十条、第十一条"),
    AbnormalReason.DISCLOSURE: ("第四条第（二）项、第七条", "第十条、第十二条"),
    AbnormalReason.FALSE_INFORMATION: ("第四条第（三）项、第八条", "第十条、第十三条"),
    AbnormalReason.UNREACHABLE: ("第四条第（四）项、第九条", "第十条、第十四条"),
}
IN_LIST = (S.LISTED, S.REMOVAL_APPLIED)

EDGES = (
    Edge(S.PROPOSED, "approve", S.APPROVED, HEAD, "批准列入", citation=f"{RULES}第五条", fields=("note",)),
    Edge(S.PROPOSED, "reject", S.REJECTED, HEAD, "不予列入", fields=("note",)),
    Edge(S.APPROVED, "decide", S.LISTED, OFFICERS, "作出列入决定并公示", document="abnormal_listing_decision",
         citation=f"{RULES}第五条", fields=("decided_on", "published_on")),
    Edge(S.LISTED, "apply_removal", S.REMOVAL_APPLIED, OFFICERS, "登记移出申请", guards=("repair_fits",),
         citation=f"{RULES}第十一条至第十四条", fields=("repair", "repair_facts", "applied_on")),
    Edge(S.REMOVAL_APPLIED, "remove", S.REMOVED, HEAD, "作出移出决定并公示", document="abnormal_removal_decision",
         citation=f"{RULES}第十条", fields=("removed_on",)),
    Edge(S.REMOVAL_APPLIED, "refuse_removal", S.LISTED, HEAD, "不予移出", fields=("note",)),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int
    proposer_id: int | None = None  # of the step awaiting approval: the listing, or the removal
    reason: str = ""
    repair: str = ""


def _officers(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, Role.OFFICER):
        return None
    return AccessDenied("只有作出列入决定的市场监督管理部门的执法人员可以办理", code="not_listing_department")


def _head(edge: Edge, facts: Facts) -> DomainError | None:
    if not acts_for(facts.actor, facts.department_id, Role.HEAD):
        return AccessDenied("只有作出列入决定的市场监督管理部门的负责人可以审批", code="not_department_head")
    if same_person(facts.proposer_id, facts.actor):
        return AccessDenied("提出人与批准人不得为同一人", code="same_person")
    return None


def repair_refusal(reason: str, repair: str) -> DomainError | None:
    """None when `repair` is the one that removes an entry listed for `reason` (暂行办法 第十一条至第十四条)."""
    if repair not in AbnormalRepair.values:
        return ValidationFailed(f"“移出事由”应为{'、'.join(str(r.label) for r in AbnormalRepair)}之一",
                                code="choice_invalid", field="repair")
    wanted = REPAIR_FOR[AbnormalReason(reason)]
    if repair != wanted:
        listed_for = AbnormalReason(reason).label
        return ValidationFailed(f"“移出事由”与列入事由不符：因“{listed_for}”列入的，应为“{wanted.label}”",
                                code="repair_mismatch", field="repair")
    return None


def _repair_fits(facts: Facts) -> DomainError | None:
    return repair_refusal(facts.reason, facts.repair)


ENTRIES = Workflow(EDGES, guards={"repair_fits": _repair_fits}, who={OFFICERS: _officers, HEAD: _head},
                   state_label=lambda s: str(S(s).label))
