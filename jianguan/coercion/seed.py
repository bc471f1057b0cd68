"""Demo 行政强制 of the city 市场监管局, made through the services: a 扣押 approved by the head and in force, a
查封 taken on the spot in an emergency and still waiting for the head after 24 hours (it shows as overdue), a
released 冻结, and an execution of a fine that went to court."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from jianguan.accounts.contracts import officers_on_duty
from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.behaviour.models import Inspection
from jianguan.catalog.models import CatalogVersion
from jianguan.core.registry import SeedStep
from jianguan.core.roles import Role
from jianguan.core.seeding import SeedContext

from . import deadlines, executions, measures

GOODS = [{"name": "过期预包装食品（饼干）", "spec": "200g/袋", "quantity": "46", "unit": "袋",
          "condition": "外包装完好"},
         {"name": "散装白酒", "spec": "无标签", "quantity": "3", "unit": "桶", "condition": "已加贴封条"}]


def _officers(department: Department, day: dt.date) -> list[str]:
    return list(officers_on_duty(department=department, day=day).values_list("username", flat=True)[:2])


def seed_coercion(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return  # tests build their measures through the services
    today, now = timezone.localdate(), timezone.now()
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id=settings.JIANGUAN_LOCALITY)
    officers = _officers(city, today)
    leader = User.objects.filter(department=city, role_grants__role=Role.HEAD, is_active=True).order_by("pk").first()
    codes = sorted(CatalogVersion.objects.in_force(today).filter(
        item__line=DepartmentKind.SCJG, is_sub_item=True, action_type="coercion").values_list("code", flat=True))
    inspections = list(Inspection.objects.filter(department=city, date__lt=today - dt.timedelta(days=3)).exclude(
        entity=None).order_by("-date")[:3])
    if len(officers) < 2 or not leader or not codes or len(inspections) < 3:
        return
    actor = User.objects.get(username=officers[0])
    common = {"catalog_code": codes[0], "officers": officers,
              "basis": "《中华人民共和国食品安全法》第一百一十条第四项"}
    seized = measures.measure_request(
        actor=actor, kind="seize", inspection_number=inspections[0].number, items=GOODS, days=30,
        facts="现场检查发现当事人经营超过保质期的食品，涉嫌违反《中华人民共和国食品安全法》第三十四条第十项",
        place="咸宁市市场监督管理局涉案财物保管室", **common)
    measures.measure_approve(actor=leader, measure_id=seized.pk, note="同意扣押")
    measures.measure_implement(actor=actor, measure_id=seized.pk, on=today)

    measures.measure_act_emergency(
        actor=actor, kind="seal_premises", inspection_number=inspections[1].number, days=30,
        acted_at=now - dt.timedelta(hours=deadlines.EMERGENCY_REPORT_HOURS + 6), party_present=False,
        witness="社区网格员 王芳", facts="当事人无证生产加工食品，现场存在严重安全隐患，情况紧急",
        items=[{"name": "食品加工作坊", "spec": "一层约120平方米", "quantity": "1", "unit": "处",
                "condition": "门窗已加贴封条"}], **common)

    frozen = measures.measure_request(
        actor=actor, kind="freeze", inspection_number=inspections[2].number, days=30,
        facts="当事人涉嫌虚假宣传，拟转移违法所得",
        items=[{"name": "基本存款账户", "spec": "中国工商银行咸宁分行 尾号0427", "quantity": "58000", "unit": "元",
                "condition": ""}], **common)
    measures.measure_approve(actor=leader, measure_id=frozen.pk)
    measures.measure_implement(actor=actor, measure_id=frozen.pk, on=today)
    measures.measure_release(actor=actor, measure_id=frozen.pk, reason="当事人已提供等额担保，不再需要冻结")

    served = today - dt.timedelta(days=250)
    execution = executions.execution_create(
        actor=actor, inspection_number=inspections[0].number, catalog_code=codes[0], power="court", mode="late_fee",
        decision_reference=f"{city.short_name}处罚〔{served.year}〕7号", decision_served_on=served,
        obligation="缴纳罚款人民币五千元", principal="5000", payment_due=served + dt.timedelta(days=15))
    executions.execution_demand(actor=actor, execution_id=execution.pk, served_on=today - dt.timedelta(days=20),
                                deadline=today - dt.timedelta(days=10), manner="至指定银行缴纳罚款及加处罚款")
    ctx.say("  行政强制：措施 3 项（其一逾期待补批），强制执行 1 件")


STEPS = [SeedStep("行政强制", 88, seed_coercion)]
