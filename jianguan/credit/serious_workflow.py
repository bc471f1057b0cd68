"""The platform's own 严重违法失信名单 as a table of the workflow kernel (`core.workflow`, ADR 0031; ADR 0044).

拟列入 → 已告知 (the party told the reasons, the basis and its rights, then may state a defence and ask for a
hearing within the period) → 待审批 → 已列入 (the department's head approves and the decision is issued; where the
level above must agree, 待审批 → 待上一级同意 → 已列入) → 已公示 → 已移出 (early on application after one year, or by
the system at the end of the period). The head may refuse (不予列入) and the officer withdraw a proposal before it is
submitted.

SAMR 令第44号《市场监督管理严重违法失信名单管理办法》: entry conditions 第二条 and 第五条至第十条, the factors
第十二条 (article numbers confirmed, disclosure-credit.md §7). The articles of the notice (告知、听证与行政处罚程序一并
实施), the level above's agreement, the measures, early removal after one year and removal at the end are cited by
topic: their numbers are [unconfirmed] in the domain reference, so the table names the rule, not a number.

Who acts (decided here): the officers of the deciding department (谁处罚、谁列入、谁移出) propose, notify, record the
defence and hearing, submit, publish; its head approves, refuses, forwards, records an agreement given off the
platform and removes early — never an entry they proposed themselves; the head of the level above (the department's
`parent`) agrees or disagrees; the system removes entries at the end of the period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, DomainError, ValidationFailed
from jianguan.core.roles import Role, same_person
from jianguan.core.workflow import Edge, Workflow, acts_for, fanned, loops

from .models import SeriousStatus as S

OFFICER = "officer"
APPROVER = "approver"
UPPER = "upper"
SYSTEM = "system"

LAW = "市场监管总局令第44号"
NOTICE = f"{LAW}（列入前告知事由、依据和依法享有的权利；告知、听证与行政处罚程序一并实施）"
MEASURES = f"{LAW}（惩戒措施）"

EDGES = (
    Edge(S.PROPOSED, "notify", S.NOTIFIED, OFFICER, "告知拟列入", citation=NOTICE),
    *loops([S.NOTIFIED], "defend", OFFICER, "记录陈述、申辩", citation=NOTICE, fields=("defence", "hearing_requested")),
    *loops([S.NOTIFIED], "hear", OFFICER, "记录听证情况", guards=("hearing_requested",), citation=NOTICE,
           fields=("hearing_outcome",)),
    Edge(S.NOTIFIED, "submit", S.SUBMITTED, OFFICER, "提请审批", guards=("statement_period_over", "hearing_held"),
         citation=NOTICE),
    *fanned([S.PROPOSED, S.NOTIFIED], "withdraw", S.WITHDRAWN, OFFICER, "撤回", fields=("reason",)),
    Edge(S.SUBMITTED, "approve", S.LISTED, APPROVER, "批准并作出列入决定", guards=("no_upper_needed",),
         document="serious_listing_decision", citation=f"{LAW} 第二条、第十二条"),
    Edge(S.SUBMITTED, "forward", S.UPPER, APPROVER, "批准并报上一级同意", guards=("upper_needed",),
         citation=f"{LAW}（县级、设区的市级部门作出列入决定报经上一级同意）"),
    Edge(S.SUBMITTED, "refuse", S.REFUSED, APPROVER, "不予列入", fields=("reason",)),
    Edge(S.UPPER, "agree", S.LISTED, UPPER, "上一级同意，作出列入决定", guards=("upper_on_platform",),
         document="serious_listing_decision"),
    Edge(S.UPPER, "disagree", S.REFUSED, UPPER, "上一级不同意", guards=("upper_on_platform",), fields=("reason",)),
    Edge(S.UPPER, "record_upper", S.LISTED, APPROVER, "登记上一级同意文件，作出列入决定",
         guards=("upper_off_platform",), document="serious_listing_decision",
         fields=("upper_reference", "upper_on")),
    Edge(S.LISTED, "publish", S.PUBLISHED, OFFICER, "通过企业信用信息公示系统公示", citation=f"{LAW} 第二条"),
    *fanned([S.LISTED, S.PUBLISHED], "remove_early", S.REMOVED, APPROVER, "提前移出（当事人申请）",
            guards=("one_year_served", "removal_conditions"), citation=f"{LAW}（列入满一年申请提前移出）",
            fields=("performed", "harm_removed", "reason")),
    *fanned([S.LISTED, S.PUBLISHED], "expire", S.REMOVED, SYSTEM, "届满移出", guards=("period_over",),
            citation=f"{LAW}（届满移出）"),
)


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Any
    department_id: int
    proposer_id: int | None
    today: dt.date
    upper_department_id: int | None = None  # the level above on the platform (the department's parent)
    upper_needed: bool = False
    statement_due: dt.date | None = None
    hearing_requested: bool = False
    hearing_outcome: str = ""
    listed_on: dt.date | None = None
    ends_on: dt.date | None = None
    performed: bool = False
    harm_removed: bool = False
    heavier_since: int = 0  # heavier penalties the entity received after it was listed


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February, in a year without it, becomes 1 March (a full year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _officer(edge: Edge, facts: Facts) -> DomainError | None:
    if acts_for(facts.actor, facts.department_id, Role.OFFICER, Role.HEAD):
        return None
    return AccessDenied("只有作出决定部门的执法人员可以办理", code="not_department_officer")


def _approver(edge: Edge, facts: Facts) -> DomainError | None:
    if not acts_for(facts.actor, facts.department_id, Role.HEAD):
        return AccessDenied("只有作出决定部门的负责人可以审批", code="not_department_head")
    if same_person(facts.proposer_id, facts.actor):
        return AccessDenied("提出人与批准人不得为同一人", code="same_person")
    return None


def _upper(edge: Edge, facts: Facts) -> DomainError | None:
    if facts.upper_department_id is not None and acts_for(facts.actor, facts.upper_department_id, Role.HEAD):
        return None
    return AccessDenied("只有上一级部门的负责人可以同意或不同意", code="not_upper_head")


def _system(edge: Edge, facts: Facts) -> DomainError | None:
    if isinstance(facts.actor, SystemActor):
        return None
    return AccessDenied("届满移出由系统执行", code="system_only")


def _statement_period_over(facts: Facts) -> DomainError | None:
    if facts.statement_due is not None and facts.today > facts.statement_due:
        return None
    return ValidationFailed(f"陈述、申辩和申请听证的期限（至 {facts.statement_due}）未满，不能提请审批（{NOTICE}）",
                            code="statement_period_open", field="statement_due")


def _hearing_held(facts: Facts) -> DomainError | None:
    if not facts.hearing_requested or facts.hearing_outcome:
        return None
    return ValidationFailed("当事人申请了听证，应先记录听证情况", code="hearing_pending", field="hearing_outcome")


def _hearing_requested(facts: Facts) -> DomainError | None:
    if facts.hearing_requested:
        return None
    return ValidationFailed("当事人未申请听证", code="hearing_not_requested", field="hearing_outcome")


def _no_upper_needed(facts: Facts) -> DomainError | None:
    if not facts.upper_needed:
        return None
    return ValidationFailed("本级部门作出列入决定须报经上一级部门同意，请选择“报上一级同意”",
                            code="upper_approval_required")


def _upper_needed(facts: Facts) -> DomainError | None:
    if facts.upper_needed:
        return None
    return ValidationFailed("本级部门作出列入决定无须上一级同意", code="upper_approval_not_required")


def _upper_on_platform(facts: Facts) -> DomainError | None:
    if facts.upper_department_id is not None:
        return None
    return ValidationFailed("上一级部门不在本平台，请登记其同意文件", code="upper_off_platform")


def _upper_off_platform(facts: Facts) -> DomainError | None:
    if facts.upper_department_id is None:
        return None
    return ValidationFailed("上一级部门在本平台，由其负责人在平台上同意", code="upper_on_platform")


def _one_year_served(facts: Facts) -> DomainError | None:
    """列入满一年 (a year to the calendar day) before an application for early removal; refused the day before."""
    if facts.listed_on is not None and facts.today >= add_years(facts.listed_on, 1):
        return None
    earliest = add_years(facts.listed_on, 1) if facts.listed_on else None
    return ValidationFailed(f"列入严重违法失信名单满一年（{earliest} 起）方可申请提前移出（{LAW}）",
                            code="early_removal_too_soon", field="listed_on")


def _removal_conditions(facts: Facts) -> DomainError | None:
    """The three conditions of early removal: the penalty performed, the harm removed, no new heavier penalty."""
    if not facts.performed:
        return ValidationFailed("当事人尚未履行行政处罚决定规定的义务，不能提前移出", code="penalty_not_performed",
                                field="performed")
    if not facts.harm_removed:
        return ValidationFailed("当事人尚未主动消除危害后果和不良影响，不能提前移出", code="harm_not_removed",
                                field="harm_removed")
    if facts.heavier_since:
        return ValidationFailed(f"当事人列入后又受到较重行政处罚 {facts.heavier_since} 次，不能提前移出",
                                code="new_heavier_penalty", field="penalty")
    return None


def _period_over(facts: Facts) -> DomainError | None:
    if facts.ends_on is not None and facts.today >= facts.ends_on:
        return None
    return ValidationFailed(f"公示期至 {facts.ends_on} 届满，未到移出日期", code="period_not_over", field="ends_on")


ENTRIES = Workflow(
    EDGES,
    guards={"statement_period_over": _statement_period_over, "hearing_held": _hearing_held,
            "hearing_requested": _hearing_requested, "no_upper_needed": _no_upper_needed,
            "upper_needed": _upper_needed, "upper_on_platform": _upper_on_platform,
            "upper_off_platform": _upper_off_platform, "one_year_served": _one_year_served,
            "removal_conditions": _removal_conditions, "period_over": _period_over},
    who={OFFICER: _officer, APPROVER: _approver, UPPER: _upper, SYSTEM: _system},
    state_label=lambda s: str(S(s).label))
