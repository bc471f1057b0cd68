"""Demo 双随机一公开: this year's plan of the city 市场监管局 (filed and published), a task per finished or running
batch with its draw (a witness beacon), results entered by the drawn inspectors and published, one draw voided with
a second approver and drawn again, and a joint task with another city department."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.catalog.contracts import random_check_rows
from jianguan.core.registry import SeedStep
from jianguan.core.roles import Role
from jianguan.core.seeding import SeedContext

from . import check_results, drawing, plans, policy, task_setup
from .models import CheckResult

COUNTS = {"demo": {"A": 3, "B": 14, "C": 14, "D": 10}, "city": {"A": 4, "B": 16, "C": 16, "D": 10},
          "bench": {"A": 4, "B": 16, "C": 16, "D": 10}}
CLEAN = [(["1"], 93), (["F"], 7)]
PROBLEMS = [(["E"], 45), (["A", "3"], 25), (["B"], 15), (["6"], 15)]
PROBLEM_SHARE = {"A": 0.08, "AC": 0.06, "B": 0.16, "C": 0.32, "D": 0.55, "ALL": 0.2}
"""The demo's known truth: the share of checks finding a problem by the class at the draw (the classes' validation
report, ADR 0042, shows them again with their intervals)."""
WITNESS = "市纪委监委派驻纪检监察组"


def _person(department: Department, role: str) -> User | None:
    return User.objects.filter(department=department, role_grants__role=role, is_active=True).order_by("pk").first()


def _draw(ctx: SeedContext, task, actor: User, moment: dt.datetime):
    """Commit with a witness beacon due a minute later, and draw with the witness's value at that minute."""
    due = moment + dt.timedelta(minutes=1)
    draw = drawing.draw_commit(actor=actor, task_id=task.pk, now=moment, beacon={
        "source": "witness", "witness": WITNESS, "due": timezone.localtime(due).isoformat(timespec="seconds")})
    value = f"{ctx.rng(f'beacon-{draw.number}').getrandbits(256):064x}"
    return drawing.draw_reveal(actor=actor, draw_id=draw.pk, beacon_value=value, now=due)


def _enter_results(ctx: SeedContext, draw, today: dt.date, share: float) -> int:
    rng = ctx.rng(f"results-{draw.number}")
    task = draw.task
    entered = 0
    checks = CheckResult.objects.filter(draw=draw).select_related("entity").prefetch_related("inspectors")
    for check in checks.order_by("pk"):
        inspectors = list(check.inspectors.all())
        first, last = max(task.window_start, check.entity.established_on), min(task.window_end, today)
        if not inspectors or rng.random() > share or first > last:  # none checked before it was established
            continue
        day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
        found = rng.random() < PROBLEM_SHARE.get(check.stratum, 0.2)
        codes, weights = zip(*(PROBLEMS if found else CLEAN), strict=True)
        outcome = rng.choices(codes, weights=weights)[0]
        check_results.result_enter(actor=inspectors[0], result_id=check.pk, codes=outcome, checked_on=day,
                                   problems="现场检查发现的问题已记录" if found else "",
                                   evidence="现场检查笔录、照片", follow_up="责令限期整改" if found else "")
        entered += 1
    return entered


def seed_spotchecks(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return  # tests build their tasks through the services
    today = timezone.localdate()
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id=settings.JIANGUAN_LOCALITY)
    admin, leader = _person(city, Role.DEPARTMENT_ADMIN), _person(city, Role.HEAD)
    start_of_year = dt.date(today.year, 1, 1)
    if not admin or not random_check_rows(body_id=city.pk, start=start_of_year, end=start_of_year):
        return
    plan = plans.plan_create(actor=admin, year=today.year, title=f"{today.year}年度{city.name}双随机抽查工作计划",
                             content="按信用风险分类确定抽查比例，分三批实施，"
                                        "每批检查结束后 20 个工作日内公示结果。")
    plans.plan_file(actor=admin, plan_id=plan.pk)
    plans.plan_publish(actor=admin, plan_id=plan.pk)
    batches = [(dt.date(today.year, 3, 1), dt.date(today.year, 4, 30)), (dt.date(today.year, 6, 1),
               dt.date(today.year, 7, 31)), (dt.date(today.year, 9, 1), dt.date(today.year, 10, 31))]
    counts = COUNTS[ctx.scale]
    drawn, entered = 0, 0
    for number, (start, end) in enumerate(batches, 1):
        batch_items = random_check_rows(body_id=city.pk, start=start, end=end)
        if start > today or not batch_items:
            continue
        task = task_setup.task_create(
            actor=admin, plan_id=plan.pk, name=f"{today.year}年第{number}批市场监管领域双随机抽查",
            items=batch_items[:3],
            window_start=start, window_end=end, strata={k: {"count": v} for k, v in counts.items()},
            max_objects_per_inspector=60)
        task_setup.task_publish(actor=admin, task_id=task.pk)
        moment = timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=3), dt.time(9)))
        draw = _draw(ctx, task, admin, moment)
        if number == 2 and leader:  # a void, approved by a second person, then a new commitment
            drawing.draw_void_request(actor=admin, draw_id=draw.pk,
                                      reason="抽查对象名录未包含当月新设立主体，申请作废重新抽取")
            drawing.draw_void_approve(actor=leader, draw_id=draw.pk)
            draw = _draw(ctx, task, admin, moment + dt.timedelta(hours=2))
        drawn += 1
        entered += _enter_results(ctx, draw, today, 0.9 if end < today else 0.4)
        if end < today and number == 1:
            check_results.results_publish(actor=admin, task_id=task.pk)
    start = max(start_of_year, today - dt.timedelta(days=60))
    partner = _joint_partner(city, start, start + dt.timedelta(days=45))
    own = random_check_rows(body_id=city.pk, start=start, end=start + dt.timedelta(days=45))
    if partner and own:
        department, partner_items = partner
        task = task_setup.task_create(
            actor=admin, plan_id=plan.pk, name=f"{today.year}年市场监管与{department.short_name}联合双随机抽查",
            items=[own[0], partner_items[0]], departments=[department.pk], window_start=start,
            window_end=start + dt.timedelta(days=45), strata={"ALL": {"count": 6}}, inspectors_per_department=1,
            max_objects_per_inspector=10)
        task_setup.task_publish(actor=admin, task_id=task.pk)
        _draw(ctx, task, admin, timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=2), dt.time(9))))
        drawn += 1
    _next_policy(today)
    ctx.say(f"  双随机：抽取 {drawn} 次，录入结果 {entered} 户")


def _next_policy(today: dt.date) -> None:
    """Next year's version of the supervision policy, set by the data administrator: D checked more."""
    data_admin = User.objects.filter(role_grants__role=Role.DATA_ADMIN, is_active=True).order_by("pk").first()
    if data_admin is None:
        return
    rules = {name: dict(rule) for name, rule in policy.DEFAULT_RULES.items()}
    rules["D"] = {**rules["D"], "ratio": "0.25", "per_year": "4"}
    policy.policy_create(actor=data_admin, effective_from=dt.date(today.year + 1, 1, 1), rules=rules,
                         control_share=policy.DEFAULT_CONTROL_SHARE, lookback_days=policy.DEFAULT_LOOKBACK_DAYS,
                         note=f"{today.year + 1}年度试行：D 类抽查比例提高至 25%")


def _joint_partner(city: Department, on: dt.date, until: dt.date) -> tuple[Department, list[str]] | None:
    for department in Department.objects.filter(region_id=city.region_id).exclude(pk=city.pk).order_by("pk"):
        codes = random_check_rows(body_id=department.pk, start=on, end=until)
        if codes and department.users.filter(credentials__isnull=False).exists():
            return department, codes
    return None


STEPS = [SeedStep("双随机一公开", 90, seed_spotchecks)]
