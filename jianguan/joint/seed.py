"""Demo joint supervision: the city's annual 部门联合抽查 plan drafted by the joint-meeting office's officer; tasks
proposed by the 市场监管局, 生态环境局 and 应急管理局 over overlapping entities; the merge proposals found, one
accepted (a joint task, visits saved) and one declined with its reason; a “综合查一次” joint task of the scenario
most departments have claimed, with today's joint visit to one entity (one 现场检查笔录 signed by every officer present,
a 行政检查 record per department, the results recognised, a problem handed over as a clue; one joint visit in the
ledger); the plan submitted and approved by the office's head. Departments that have not claimed a cited row are
left out (nothing is made for them). After the exchange's seed has received a task dispatched from above,
each of its departments checks and feeds back."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from jianguan.accounts import contracts as accounts
from jianguan.accounts.models import Department, User
from jianguan.behaviour.contracts import inspection_record
from jianguan.catalog import contracts as catalog
from jianguan.core.registry import SeedStep
from jianguan.core.roles import Role
from jianguan.core.seeding import SeedContext
from jianguan.subjects.models import MarketEntity

from . import dispatch, merges, scenarios, services, visits
from .models import JointPlan, JointTask, JointVisit

ROWS = {"scjg": "11000100000003", "yj": "17000100000005", "sthj": "13000100000004"}
WINDOW = 30


def _in_force(department: Department, code: str, days: tuple[dt.date, ...]) -> bool:
    try:
        for day in days:
            catalog.require_in_force(body_id=department.pk, implementation_code=code, on=day)
    except catalog.OutsideTheList:
        return False
    return True


def _row(department: Department, item: str, start: dt.date, end: dt.date) -> str | None:
    """The department's claim of `item` if the guard accepts it over the window, else another of its rows in the
    随机抽查事项清单 (the demo's list changes during the year: a 子项 may be suspended)."""
    claimed = list(catalog.implementation_list(as_of=start, body=department.pk, item=item).values_list(
        "implementation__code", flat=True)[:1])
    for code in claimed + catalog.random_check_rows(body_id=department.pk, start=start, end=end):
        if _in_force(department, code, (start, end)):
            return code
    return None


def _officer(department: Department, username: str) -> User | None:
    return User.objects.filter(username=username, department=department).first()


def _propose(plan: JointPlan, who: User, item: str, uscc: list[str], days: int, times: int) -> bool:
    start = timezone.localdate() + dt.timedelta(days=days)
    end = start + dt.timedelta(days=WINDOW)
    row = _row(who.department, item, start, end)
    if row is None:
        return False
    services.task_propose(plan_id=plan.pk, title=f"{who.department.short_name}年度抽查", items=[row], entities=uscc,
                          window_start=start, window_end=end, times_per_year=times, actor=who)
    return True


def _joined(scenario: scenarios.Scenario, today: dt.date, end: dt.date) -> list[Department]:
    """The city departments of the scenario's lines that have claimed one of its rows in force over the window."""
    departments = {d.kind: d for d in Department.objects.filter(region_id=settings.JIANGUAN_LOCALITY,
                                                                  kind__in=scenario.lines)}
    return [departments[row.line] for row in scenario.rows if row.line in departments and any(
        _in_force(departments[row.line], code, (today, end)) for code in catalog.implementation_list(
            as_of=today, body=departments[row.line].pk).filter(
            implementation__item__code__in=row.catalog).values_list("implementation__code", flat=True))]


def _scenario_task(plan: JointPlan, office: User, uscc: list[str]) -> JointTask | None:
    """A joint task of the scenario with the most city departments (at least two) whose lines have claimed its rows
    in force over the visit's window (today and the 20 days after)."""
    today = timezone.localdate()
    end = today + dt.timedelta(days=20)
    best = max(((s, _joined(s, today, end)) for s in scenarios.current().scenarios), key=lambda p: len(p[1]))
    scenario, joined = best
    if len(joined) < 2:
        return None
    return services.task_from_scenario(
        plan_id=plan.pk, scenario=scenario.key, departments=[d.pk for d in joined], lead_id=joined[0].pk,
        entities=uscc, window_start=today, window_end=end, actor=office)


def _joint_visit(task: JointTask, uscc: str) -> JointVisit | None:
    """Today's joint visit of the scenario task to one entity: an officer on duty of each participant, each
    department's results of its own items (one problem), a problem on the last department's item handed over as
    its clue by the lead's officer, and the 现场检查笔录."""
    today = timezone.localdate()
    parts = list(task.participants.select_related("department").order_by("pk"))
    people = [accounts.officers_on_duty(department=p.department, day=today).first() for p in parts]
    if any(who is None for who in people):
        return None
    officers = [who for who in people if who is not None]
    visit = visits.visit_open(task_id=task.pk, uscc=uscc, visited_on=today, place="经营场所（联合检查现场）",
                              officers=[u.username for u in officers], actor=officers[0])
    for n, (part, who) in enumerate(zip(parts, officers, strict=True)):
        visits.visit_results_enter(visit_id=visit.pk, actor=who, results=[
            {"item": code, "outcome": "problem" if n == 1 else "passed",
             "note": "现场发现问题，已当场告知当事人限期整改" if n == 1 else ""} for code in part.items])
    visits.visit_hand_over(visit_id=visit.pk, item=parts[-1].items[0], actor=officers[0],
                           summary="现场检查中发现该事项疑似存在违法行为（详见现场检查笔录），请依法核查处理")
    return visits.visit_close(visit_id=visit.pk, actor=officers[0])


def seed_joint(ctx: SeedContext) -> None:
    if ctx.scale == "test" or JointPlan.objects.exists():
        return
    today = timezone.localdate()
    city = {d.kind: d for d in Department.objects.filter(region_id=settings.JIANGUAN_LOCALITY, kind__in=ROWS)}
    people = {kind: _officer(d, "scjg_officer" if kind == "scjg" else "sthj_officer" if kind == "sthj"
                             else f"{kind}_{d.region_id}_01") for kind, d in city.items()}
    office, head = people.get("scjg"), User.objects.filter(username="scjg_head").first()
    if office is None or head is None:
        return
    rng = ctx.rng("joint")
    pool = list(MarketEntity.objects.filter(region__path__startswith=city["scjg"].region.path, status="active")
                .order_by("pk").values_list("uscc", flat=True)[:3000])
    picked = rng.sample(pool, min(len(pool), 120))
    plan = services.plan_create(title=f"{today.year + 1}年度部门联合抽查计划", year=today.year + 1, actor=office)
    for n, kind in enumerate(ROWS):
        who = people.get(kind)
        if who is not None:
            _propose(plan, who, ROWS[kind], picked[n * 20:n * 20 + 60], days=10 + 5 * n,
                     times=2 if kind == "scjg" else 1)
    found = merges.merge_proposals_find(plan_id=plan.pk, actor=office)
    for n, proposal in enumerate(found[:2]):
        if n == 0:
            merges.merge_transition(proposal_id=proposal.pk, action="accept", values={}, actor=office)
        else:
            merges.merge_transition(proposal_id=proposal.pk, action="decline", actor=office,
                                    values={"reason": "该批对象的危险化学品检查须由专业机构陪同，另行安排"})
    task = _scenario_task(plan, office, picked[100:105])
    visit = None if task is None else _joint_visit(task, picked[100])
    services.plan_transition(plan_id=plan.pk, action="submit", values={}, actor=office)
    services.plan_transition(plan_id=plan.pk, action="approve", values={"note": "同意"}, actor=head)
    ctx.say(f"  联合抽查：计划 {plan.number}，任务 {plan.tasks.count()} 个，合并建议 {len(found)} 条，"
            f"“综合查一次”{task.title if task else '无'}，联合检查 {visit.number if visit else '无'}")


def seed_feedback(ctx: SeedContext) -> None:
    """Each department of a task dispatched from above (exchange's seed) checks its first object today and feeds
    back its record; the exchange's next collection queues the feedback for the province."""
    today = timezone.localdate()
    for task in JointTask.objects.filter(dispatch__isnull=False).order_by("pk"):
        for participant in task.participants.filter(feedback_at__isnull=True).select_related("department"):
            officer = User.objects.filter(department=participant.department, is_active=True,
                                          role_grants__role=Role.OFFICER).order_by("pk").first()
            planned = task.objects_planned.filter(department=participant.department).select_related("entity").first()
            if officer is None or planned is None:
                continue
            number = f"{task.number}-{participant.department_id}"
            inspection_record(actor=ctx.actor, department=participant.department,
                              implementation_code=participant.items[0], number=number, name="省级部署联合抽查",
                              date=today, form="联合检查", category="1", result="未发现问题",
                              inspectors=["检查人员甲", "检查人员乙"], credential_numbers=[],
                              party={"entity_code": planned.entity.uscc})
            dispatch.dispatch_feedback(task_id=task.pk, feedback="已按要求完成检查，未发现问题", inspections=[number],
                                       actor=officer)
            ctx.say(f"  {participant.department.name}反馈上级部署的联合任务 {task.number}")


STEPS = [SeedStep("部门联合抽查", 94, seed_joint), SeedStep("上级部署联合任务的反馈", 96, seed_feedback)]
