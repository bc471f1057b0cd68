"""Demo penalty cases of the city 市场监管局, made through the services: a clue past its check date, a filing awaiting
the head, a case under investigation with evidence preserved (its 7-working-day clock running), a case notified
and waiting out the party's statement period, a case decided, served, paid, closed and archived, and an
on-the-spot decision waiting to be filed. The department's head (负责人, role head) is the persona `scjg_head`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from jianguan.accounts import contracts as accounts
from jianguan.accounts.contracts import officers_on_duty
from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.behaviour.models import Inspection
from jianguan.catalog.models import CatalogVersion, ImplementationVersion
from jianguan.core.registry import SeedStep
from jianguan.core.roles import Role
from jianguan.core.seeding import SeedContext
from jianguan.risk.models import Alert, AlertStatus

from . import registration, simple, tasks, transitions

HEAD = "scjg_head"
ENDING = {"facts": "当事人在经营场所销售超过保质期的预包装食品 23 袋，货值 276 元",
          "violated": "《食品安全法》第三十四条第十项", "basis": "《食品安全法》第一百二十四条第一款第五项",
          "penalty_kinds": ["01", "02"], "fine": "3000", "circumstances": ["reduce_harm"]}


def _officers(department: Department, day: dt.date) -> list[str]:
    return list(officers_on_duty(department=department, day=day).values_list("username", flat=True)[:2])


def _head(ctx: SeedContext, department: Department) -> User:
    head = User.objects.filter(username=HEAD).first()
    if head is None:
        head = accounts.user_create(actor=ctx.actor, username=HEAD, full_name="何建华", department=department,
                                    password_hash=make_password(settings.JIANGUAN_DEMO_PASSWORD),
                                    roles=[Role.HEAD])
    return User.objects.get(pk=head.pk)


def seed_enforcement(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return  # tests build their cases through the services
    today = timezone.localdate()
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id=settings.JIANGUAN_LOCALITY)
    usernames = _officers(city, today - dt.timedelta(days=120))
    penalties = sorted(CatalogVersion.objects.in_force(today - dt.timedelta(days=120)).filter(
        item__line=DepartmentKind.SCJG, is_sub_item=True, action_type="penalty").values_list("code", flat=True))
    rows = sorted(ImplementationVersion.objects.in_force(today - dt.timedelta(days=120)).filter(
        implementation__body=city).values_list("implementation__code", flat=True))
    entities = [i.entity for i in Inspection.objects.filter(department=city).exclude(entity=None).select_related(
        "entity").order_by("-date")[:6]]
    if len(usernames) < 2 or not penalties or not rows or len(entities) < 6:
        return
    officer, head = User.objects.get(username=usernames[0]), _head(ctx, city)
    # 对生产经营不符合食品安全标准的食品的处罚 (食品安全法 第一百二十四条), the item the facts fall under
    item = next((code for code in penalties if code.endswith("0400000002")), penalties[0])
    filing = {"officers": usernames, "cause": "销售超过保质期的食品", "catalog_code": item,
              "implementation_code": rows[0]}

    def clue(entity, days_ago: int, ref: str):
        return registration.case_register(actor=officer, department=city, party={"uscc": entity.uscc},
                                      summary="群众举报该店销售过期食品", source="report", source_ref=ref,
                                      received_on=today - dt.timedelta(days=days_ago))

    def step(case, action: str, who: User, data: dict | None = None, days_ago: int = 0):
        return transitions.case_transition(actor=who, case_id=case.pk, action=action, data=data or {},
                                        today=today - dt.timedelta(days=days_ago))

    clue(entities[0], 25, f"JB{today:%Y%m%d}001")  # its 15-working-day check is overdue
    proposed = clue(entities[1], 6, f"JB{today:%Y%m%d}002")
    step(proposed, "propose_filing", officer, filing)

    preserved = clue(entities[2], 40, f"JB{today:%Y%m%d}003")
    step(preserved, "propose_filing", officer, filing, 38)
    step(preserved, "approve_filing", head, {"opinion": "同意立案"}, 37)
    step(preserved, "record_onsite", officer, {"place": "经营场所", "findings": "货架上有过期食品 23 袋"}, 6)
    step(preserved, "preserve_request", officer, {"items": [{"name": "过期预包装食品", "quantity": "23"}],
                                                  "reason": "证据可能灭失"}, 6)
    step(preserved, "preserve_approve", head, {"opinion": "同意先行登记保存", "on": str(today - dt.timedelta(6))}, 6)

    notified = clue(entities[3], 70, f"JB{today:%Y%m%d}004")
    step(notified, "propose_filing", officer, filing, 68)
    step(notified, "approve_filing", head, {}, 67)
    step(notified, "record_onsite", officer, {"place": "经营场所", "findings": "货架上有过期食品"}, 60)
    step(notified, "end_investigation", officer, ENDING, 10)
    step(notified, "notify", officer, {}, 2)

    done = clue(entities[4], 120, f"JB{today:%Y%m%d}005")
    step(done, "propose_filing", officer, filing, 118)
    step(done, "approve_filing", head, {}, 117)
    step(done, "record_onsite", officer, {"place": "经营场所", "findings": "货架上有过期食品"}, 110)
    step(done, "end_investigation", officer, ENDING, 80)
    step(done, "notify", officer, {}, 75)
    step(done, "decide", head, {"outcome": "penalty", "mitigation": "lighter"}, 70)
    step(done, "serve", officer, {"method": "direct", "on": str(today - dt.timedelta(69))}, 69)
    step(done, "record_payment", officer, {"amount": "3000", "on": str(today - dt.timedelta(60))}, 60)
    step(done, "propose_closing", officer, {"summary": "罚款已缴清"}, 59)
    step(done, "approve_closing", head, {}, 58)
    step(done, "archive", officer, {}, 50)

    simple.case_simple(actor=officer, party={"uscc": entities[5].uscc}, officers=usernames,
                         facts="经营场所未按规定悬挂营业执照", basis="《市场主体登记管理条例》第四十八条第一款",
                         penalty_kinds=["02"], fine="200", place="经营场所", catalog_code=penalties[0],
                         implementation_code=rows[0], cause="未按规定悬挂营业执照")
    alerts = tasks.refresh(today=today)
    ctx.say(f"  执法办案：演示案件 6 件（线索、立案待审批、调查取证、已告知、已归档、当场处罚待备案），"
            f"期限提醒 {alerts} 项")


def seed_alert_clues(ctx: SeedContext) -> None:
    """The demo's risk alerts decided 立案 (the risk seed's, of the city 市场监管局) carried into case clues by its
    officer `scjg_officer`, as the alert page's 转为案件线索 does."""
    officer = User.objects.get(username="scjg_officer")
    for alert in Alert.objects.filter(status=AlertStatus.CASE, clue_number="").order_by("pk"):
        clue = registration.clue_from_alert(actor=officer, alert_id=alert.pk)
        ctx.say(f"  风险预警转为案件线索：{clue.number}（{alert.subject_name}）")


STEPS = [SeedStep("执法办案", 87, seed_enforcement), SeedStep("风险预警转为案件线索", 91, seed_alert_clues)]
