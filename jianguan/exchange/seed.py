"""Demo exchange: the city 市场监管局's 行政许可 system reports three recent 双公示 行政许可 through the intake (the
records are kept and become disclosure items of the 许可机关, ADR 0062): two food-business licences of registered
entities and one of a natural person (his ID number masked on publication). The disclosure step that follows
publishes the newest (`disclosure.seed`).

And a joint task dispatched by the province (联合监管任务, status 分发) received through the exchange's intake from
the province's system, as the simulator sends one (ADR 0056): the same call, the same checks, the same hand-over to
joint, which makes it a joint task of the city's and 咸安区's 市场监管局 (the departments' feedback: joint's seed).
The demo's simulator is started after the seed, so the batch is recorded here through the intake path."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.utils import timezone

from jianguan.accounts.contracts import api_client_create
from jianguan.accounts.models import ApiClient, ApiScope, Department, DepartmentKind, User
from jianguan.catalog import contracts as catalog
from jianguan.core.codes import ric_check_char
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.subjects.models import MarketEntity

from . import intake
from .models import KeptRecord

SENDER = "scjg_officer"


def _licence(n: int, department: Department, day: dt.date, party: dict[str, str], content: str) -> dict[str, object]:
    name, uscc = department.name, department.uscc
    return {"record_id": f"XK-DEMO-{n}", **party, "decision_doc_name": "食品经营许可决定书",
            "decision_doc_number": f"咸市监食许〔{day.year}〕{n}号", "licence_category": "普通",
            "certificate_name": "食品经营许可证", "licence_number": f"JY1421200{day:%Y}{n:05d}", "content": content,
            "decided_on": day.isoformat(), "valid_from": day.isoformat(),
            "valid_to": day.replace(year=day.year + 5).isoformat(), "authority": name, "authority_code": uscc,
            "status": "1", "source_unit": name, "source_unit_code": uscc}


def _parties() -> list[dict[str, str]]:
    found = [{"party_name": e.name, "party_category": "organisation", "party_code_1": e.uscc,
              "legal_representative": e.legal_representative}
             for e in MarketEntity.objects.filter(region__code__startswith="4212", uscc__startswith="91")
             .order_by("pk")[:2]]
    first = "42120219850312005"
    return [*found, {"party_name": "陈晓", "party_category": "person", "id_type": "身份证",
                     "id_number": first + ric_check_char(first)}]


def seed_exchange(ctx: SeedContext) -> None:
    sender = User.objects.filter(username=SENDER).select_related("department").first()
    if ctx.scale == "test" or sender is None or KeptRecord.objects.filter(standard="disclosure_licence").exists():
        return
    today = timezone.localdate()
    contents = ["预包装食品销售（含冷藏冷冻食品）", "热食类食品制售；经营者联系电话 13907151234",
                "小餐饮：热食类食品制售（经营者陈晓，住址咸宁市咸安区温泉路18号2栋301室）"]
    records = [_licence(n + 1, sender.department, today - dt.timedelta(days=2 + 3 * n), party, contents[n])
               for n, party in enumerate(_parties())]
    outcome = intake.exchange_receive(actor=sender, standard="disclosure_licence",
                                      body=json.dumps(records, ensure_ascii=False).encode())
    ctx.say(f"  交换接收：双公示行政许可 {outcome.accepted} 条（成为执法公示事项）")


PROVINCE = "省级“互联网+监管”平台（联合监管任务）"


def _common_item(departments: list[Department]) -> str | None:
    """A catalog 子项 every department has claimed a row of, in force today."""
    today = timezone.localdate()
    claimed = [set(catalog.implementation_list(as_of=today, body=d.pk).values_list("implementation__item__code",
                                                                                    flat=True))
               for d in departments]
    common = sorted(set.intersection(*claimed)) if claimed else []
    return common[0] if common else None


def seed_dispatch(ctx: SeedContext) -> None:
    if ctx.scale == "test" or KeptRecord.objects.filter(standard="joint_task").exists():
        return
    rows = Department.objects.select_related("region").filter(kind=DepartmentKind.SCJG)
    city, county = rows.filter(region_id=settings.JIANGUAN_LOCALITY).first(), rows.filter(
        region__parent_id=settings.JIANGUAN_LOCALITY).order_by("region_id").first()
    if city is None or county is None:
        return
    item = _common_item([city, county])
    if item is None:
        return
    client = ApiClient.objects.filter(name=PROVINCE).first() or api_client_create(
        actor=ctx.actor, name=PROVINCE, department=city, scopes=[ApiScope.EXCHANGE_WRITE])
    objects = list(MarketEntity.objects.filter(region__path__startswith=county.region.path, status="active")
                   .order_by("pk").values_list("uscc", flat=True)[:4])
    today = timezone.localdate()
    task = {"task_no": f"HB-LH-{today:%Y%m%d}-001", "task_name": "全省食品安全“双随机”联合抽查（省级部署）",
            "task_start_time": f"{today.isoformat()} 09:00:00", "status": "分发",
            "initiate_unit_no": "11420000MB1234567X", "initiate_unit_name": "湖北省市场监督管理局",
            "initiate_unit_type": "department", "union_dept_nos": [city.uscc, county.uscc],
            "union_dept_names": [city.name, county.name], "supervision_matter_code": item,
            "inspect_content": "进货查验、索证索票、从业人员健康管理", "inspect_claim": "各承办单位完成后逐户反馈",
            "object_codes": objects}
    outcome = intake.exchange_receive(actor=client, standard="joint_task",
                               body=json.dumps([task], ensure_ascii=False).encode("utf-8"))
    ctx.say(f"  省级部署的联合任务 {task['task_no']}：接收 {outcome.accepted} 条，退回 {len(outcome.rejected)} 条")


STEPS = [SeedStep("交换接收的行政许可", 91, seed_exchange), SeedStep("省级部署的联合任务", 95, seed_dispatch)]
