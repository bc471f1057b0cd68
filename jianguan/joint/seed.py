"""Demo joint supervision: the city's annual 部门联合抽查 plan drafted by the joint-meeting office's officer; tasks
proposed by the 市场监管局, 生态环境局 and 应急管理局 over overlapping entities; the merge proposals found, one
accepted (a joint task, visits saved) and one declined with its reason; a “综合查一次” 餐饮店 joint task of three
departments with today's on-site records of each (one joint visit in the ledger); the plan submitted and approved
by the office's head. Departments that have not claimed a cited row are left out (nothing is made for them)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from jianguan.accounts.models import Department, User
from jianguan.behaviour.contracts import inspection_record
from jianguan.catalog import contracts as catalog
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.subjects.models import MarketEntity

from . import merges, scenarios, services
from .models import JointPlan, JointTask

ROWS = {"scjg": "11000100000003", "yj": "17000100000005", "sthj": "13000100000004", "cgzf": "20000100000001"}


def _row(department: Department, item: str, on: dt.date) -> str | None:
    return catalog.implementation_list(as_of=on, body=department.pk, item=item).values_list(
        "implementation__code", flat=True).first()


def _officer(department: Department, username: str) -> User | None:
    return User.objects.filter(username=username, department=department).first()


def _propose(ctx: SeedContext, plan: JointPlan, who: User, row: str, uscc: list[str], days: int, times: int) -> None:
    start = timezone.localdate() + dt.timedelta(days=days)
    services.task_propose(plan_id=plan.pk, title=f"{who.department.short_name}年度抽查", items=[row], entities=uscc,
                          window_start=start, window_end=start + dt.timedelta(days=30), times_per_year=times,
                          actor=who)


def _joint_visit(ctx: SeedContext, task: JointTask, uscc: list[str]) -> int:
    """Today's on-site records of each participant of the scenario task, on the same entities (one visit each)."""
    today = timezone.localdate()
    made = 0
    for n, participant in enumerate(task.participants.select_related("department")):
        for m, code in enumerate(uscc):
            inspection_record(actor=ctx.actor, department=participant.department,
                              implementation_code=participant.items[0], number=f"{task.number}-{n + 1}-{m + 1}",
                              name="“综合查一次”联合检查", date=today, form="联合检查", category="1",
                              result="未发现问题", inspectors=["检查人员甲", "检查人员乙"], credential_numbers=[],
                              party={"entity_code": code})
            made += 1
    return made


def seed_joint(ctx: SeedContext) -> None:
    if ctx.scale == "test" or JointPlan.objects.exists():
        return
    today = timezone.localdate()
    city = {d.kind: d for d in Department.objects.filter(region_id=settings.JIANGUAN_LOCALITY, kind__in=ROWS)}
    people = {kind: _officer(d, "scjg_officer" if kind == "scjg" else "sthj_officer" if kind == "sthj"
                             else f"{kind}_{d.region_id}_01") for kind, d in city.items()}
    rows = {kind: _row(d, ROWS[kind], today) for kind, d in city.items()}
    office, head = people.get("scjg"), User.objects.filter(username="scjg_head").first()
    if office is None or head is None:
        return
    rng = ctx.rng("joint")
    pool = list(MarketEntity.objects.filter(region__path__startswith=city["scjg"].region.path, status="active")
                .order_by("pk").values_list("uscc", flat=True)[:3000])
    picked = rng.sample(pool, min(len(pool), 120))
    plan = services.plan_create(title=f"{today.year + 1}年度部门联合抽查计划", year=today.year + 1, actor=office)
    for n, kind in enumerate(("scjg", "sthj", "yj")):
        who, row = people.get(kind), rows.get(kind)
        if who is not None and row is not None:
            _propose(ctx, plan, who, row, picked[n * 20:n * 20 + 60], days=10 + 5 * n, times=2 if kind == "scjg" else 1)
    found = merges.merge_proposals_find(plan_id=plan.pk, actor=office)
    for n, proposal in enumerate(found):
        if n == 0:
            merges.merge_transition(proposal_id=proposal.pk, action="accept", values={}, actor=office)
        elif n == 1:
            merges.merge_transition(proposal_id=proposal.pk, action="decline", actor=office,
                                    values={"reason": "该批对象的危险化学品检查须由专业机构陪同，另行安排"})
    joined = [city[k].pk for k in ("scjg", "yj", "cgzf") if k in city and rows.get(k)]
    visited = 0
    if len(joined) >= 2 and scenarios.current().scenarios:
        task = services.task_from_scenario(
            plan_id=plan.pk, scenario="restaurant", departments=joined, lead_id=city["scjg"].pk,
            entities=picked[100:105], window_start=today, window_end=today + dt.timedelta(days=20), actor=office)
        visited = _joint_visit(ctx, task, picked[100:105])
    services.plan_transition(plan_id=plan.pk, action="submit", values={}, actor=office)
    services.plan_transition(plan_id=plan.pk, action="approve", values={"note": "同意"}, actor=head)
    ctx.say(f"  联合抽查：计划 {plan.number}，任务 {plan.tasks.count()} 个，合并建议 {len(found)} 条，"
            f"联合检查记录 {visited} 条")


STEPS = [SeedStep("部门联合抽查", 94, seed_joint)]
