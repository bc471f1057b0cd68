"""Demo: a joint task dispatched by the province (联合监管任务, status 分发) received through the exchange's intake
from the province's system, as the simulator sends one (ADR 0056): the same call, the same checks, the same hand-over
to joint, which makes it a joint task of the city's and 咸安区's 市场监管局 (the departments' feedback: joint's
seed). The demo's simulator is started after the seed, so the batch is recorded here through the intake path."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import timezone

from jianguan.accounts.models import ApiClient, ApiScope, Department, DepartmentKind
from jianguan.accounts.services import api_client_create
from jianguan.catalog import contracts as catalog
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.subjects.models import MarketEntity

from .intake import exchange_receive
from .models import KeptRecord

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
    outcome = exchange_receive(actor=client, standard="joint_task",
                               body=json.dumps([task], ensure_ascii=False).encode("utf-8"))
    ctx.say(f"  省级部署的联合任务 {task['task_no']}：接收 {outcome.accepted} 条，退回 {len(outcome.rejected)} 条")


STEPS = [SeedStep("省级部署的联合任务", 95, seed_dispatch)]
