"""Demo exchange: the city 市场监管局's 行政许可 system reports three recent 双公示 行政许可 through the intake (the
records are kept and become disclosure items of the 许可机关, ADR 0062): two food-business licences of registered
entities and one of a natural person (his ID number masked on publication). The disclosure step that follows
publishes the newest (`disclosure.seed`)."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from jianguan.accounts.models import Department, User
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


STEPS = [SeedStep("交换接收的行政许可", 91, seed_exchange)]
