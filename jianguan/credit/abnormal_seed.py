"""Demo entries of the platform's own 经营异常名录, taken step by step through the services by the city
市场监督管理局's officer and head (the personas): listings for each ground, one awaiting approval and one past its
10 working-day clock, one listed more than 3 years ago (due for a proposal to the 严重违法失信名单), one removal
applied for, and one removed after its annual report was filed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.core.roles import Role
from jianguan.core.seeding import SeedContext
from jianguan.subjects.models import EntityStatus, MarketEntity

from . import abnormal
from .models import AbnormalEntry, AbnormalReason, AbnormalRepair

R = AbnormalReason
# (ground, days ago the ground arose, days ago decided (None: not yet), steps after the decision)
PLAN: list[tuple[str, int, int | None, tuple[str, ...]]] = [
    (R.ANNUAL_REPORT, 160, 150, ()),
    (R.UNREACHABLE, 75, 68, ()),
    (R.FALSE_INFORMATION, 40, 35, ()),
    (R.DISCLOSURE, 3 * 365 + 40, 3 * 365 + 30, ()),
    (R.ANNUAL_REPORT, 3 * 365 + 160, 3 * 365 + 150, ()),
    (R.UNREACHABLE, 90, 84, ("apply_removal",)),
    (R.ANNUAL_REPORT, 200, 190, ("apply_removal", "remove")),
    (R.DISCLOSURE, 4, None, ()),
    (R.UNREACHABLE, 40, None, ()),
]
FACTS = {
    R.ANNUAL_REPORT: "未在规定期限内报送上一年度年度报告并公示",
    R.DISCLOSURE: "股东认缴出资信息形成后未在20个工作日内公示，经书面责令后仍未在期限内公示",
    R.FALSE_INFORMATION: "年度报告公示的从业人数、资产总额与核查情况不符，隐瞒真实情况",
    R.UNREACHABLE: "执法人员两次到登记的住所实地核查，无法取得联系",
}


def _steps(entry: AbnormalEntry, decided: dt.date, steps: tuple[str, ...], officer: User, head: User) -> None:
    reason = AbnormalReason(entry.reason)
    values: dict[str, Any] = {"repair": {R.ANNUAL_REPORT: AbnormalRepair.REPORT_FILED,
                                         R.UNREACHABLE: AbnormalRepair.ADDRESS_REACHABLE}.get(reason, ""),
                              "repair_facts": "当事人已履行相关义务并提交移出申请及证明材料",
                              "applied_on": decided + dt.timedelta(days=60),
                              "removed_on": decided + dt.timedelta(days=63)}
    for action in steps:
        actor = officer if action == "apply_removal" else head
        abnormal.abnormal_transition(entry_id=entry.pk, action=action, values=values, actor=actor)


def demo_officer_and_head() -> tuple[User, User] | None:
    """The demo's officer of the city 市场监督管理局 (`scjg_officer`) and the head of that very department, who
    approves what the officer proposes in the credit seed steps; None when either is missing."""
    officer = User.objects.filter(username="scjg_officer").select_related("department").first()
    head = None if officer is None else User.objects.filter(
        department_id=officer.department_id, is_active=True, role_grants__role=Role.HEAD).order_by("pk").first()
    return None if officer is None or head is None else (officer, head)


def seed_abnormal(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return
    pair = demo_officer_and_head()
    if pair is None:
        ctx.say("  经营异常名录：没有本级市场监督管理局的执法人员和负责人，未生成")
        return
    officer, head = pair
    today = timezone.localdate()
    oldest = today - dt.timedelta(days=max(found for _, found, _, _ in PLAN))
    pool = list(MarketEntity.objects.visible_to(officer).filter(status=EntityStatus.ACTIVE, established_on__lt=oldest)
                .order_by("pk").values_list("uscc", flat=True)[:2000])
    chosen = ctx.rng("abnormal").sample(pool, k=min(len(pool), len(PLAN)))
    with transaction.atomic():
        for uscc, (reason, found_ago, decided_ago, steps) in zip(chosen, PLAN, strict=False):
            entry = abnormal.abnormal_propose(actor=officer, uscc=uscc, reason=reason, facts=FACTS[R(reason)],
                                              found_on=today - dt.timedelta(days=found_ago))
            if decided_ago is None:
                continue
            decided = today - dt.timedelta(days=decided_ago)
            abnormal.abnormal_transition(entry_id=entry.pk, action="approve", values={"note": "同意列入"}, actor=head)
            abnormal.abnormal_transition(entry_id=entry.pk, action="decide", values={"decided_on": decided},
                                         actor=officer)
            _steps(entry, decided, steps, officer, head)
    ctx.say(f"  经营异常名录 {min(len(chosen), len(PLAN))} 条")
