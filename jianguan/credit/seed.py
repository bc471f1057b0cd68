"""Demo credit records: list entries, court records, publicity of the seeded penalties and licences, 抽检."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.accounts.models import Department, Region
from jianguan.audit.contracts import record
from jianguan.core.bulk import bulk_insert
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.subjects.contracts import entity_rows
from jianguan.subjects.models import EntityStatus, Licence, MarketEntity

from .models import CreditKind, CreditRecord

# kind → (share of entities, source, title choices, authority)
LISTS = {
    CreditKind.ABNORMAL: (0.05, "国家企业信用信息公示系统",
                          ["未按规定报送年度报告", "通过登记的住所或者经营场所无法联系", "未按规定公示即时信息"],
                          "市场监督管理局"),
    CreditKind.SERIOUS: (0.003, "国家企业信用信息公示系统",
                         ["被列入经营异常名录届满3年仍未履行相关义务", "提交虚假材料取得市场主体登记"],
                         "市场监督管理局"),
    CreditKind.DISHONEST_DEBTOR: (0.01, "全国法院失信被执行人名单", ["有履行能力而拒不履行生效法律文书确定义务"],
                                  "人民法院"),
    CreditKind.JUDGMENT: (0.03, "中国裁判文书网", ["买卖合同纠纷", "劳动争议", "民间借贷纠纷", "租赁合同纠纷"],
                          "人民法院"),
    CreditKind.SAMPLING: (0.1, "食品安全抽检监测信息系统", ["食品安全监督抽检合格", "食品安全监督抽检不合格"],
                          "市场监督管理局"),
}


def seed_credit(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return
    rng = ctx.rng("credit")
    today = timezone.localdate()
    now = timezone.now()
    entities = entity_rows(ctx)
    names = dict(Region.objects.values_list("code", "name"))
    city = names.get(settings.JIANGUAN_LOCALITY, "")
    locality = Region.objects.filter(code=settings.JIANGUAN_LOCALITY).select_related("parent").first()
    province = locality.parent.name.removesuffix("省") if locality and locality.parent else ""
    publicity = f"信用中国（{province}{city.removesuffix('市')}）"
    rows: list[tuple[object, ...]] = []
    for kind, (share, source, titles, authority) in LISTS.items():
        for entity_id, _, _, _, region, county, _, _, established, status in entities:
            if rng.random() >= share or (kind != CreditKind.JUDGMENT and status != EntityStatus.ACTIVE
                                         and kind != CreditKind.ABNORMAL):
                continue
            day = min(today, max(established, dt.date(2020, 1, 1)) + dt.timedelta(days=rng.randint(0, 2000)))
            ends = day + dt.timedelta(days=3 * 365) if kind == CreditKind.ABNORMAL and rng.random() < 0.5 else None
            rows.append((kind, entity_id, region, source, f"{kind[:2].upper()}{len(rows):09d}", day,
                         rng.choice(titles), f"{city}{names.get(county, '')}{authority}", "",
                         ends if ends and ends <= today else None, now, now))
    departments = dict(Department.objects.values_list("pk", "name"))
    for entity_id, region, day, number, result, department_id in ctx.shared.get("penalties", []):
        rows.append((CreditKind.PENALTY_PUBLICITY, entity_id, region, publicity, number, day, result,
                     departments[department_id], "", None, now, now))
    licences = Licence.objects.values_list("entity_id", "entity__region_id", "valid_from", "number", "licence_type",
                                           "issued_by")
    for entity_id, region, day, number, licence_type, issued_by in licences.iterator(chunk_size=20_000):
        if day <= today:
            rows.append((CreditKind.LICENCE_PUBLICITY, entity_id, region, publicity, number, day,
                         f"准予{licence_type}", issued_by, "", None, now, now))
    with transaction.atomic():
        inserted = bulk_insert(CreditRecord, ("kind", "entity_id", "region_id", "source", "source_ref", "date", "title",
                                              "authority", "detail", "ends_on", "created_at", "updated_at"),
                               ctx.progress(rows, desc="信用记录"))
        record(actor=ctx.actor, verb="credit.records_seeded", data={"count": inserted})
    ctx.say(f"  信用记录 {inserted:,} 条")


def seed_risk_classes(ctx: SeedContext) -> None:
    """信用风险分类 of the entities in business, derived from their credit records (not drawn at random), worst first:
    D — on the 严重违法失信名单 or 失信被执行人 now; C — in the 经营异常名录 now, or a penalty published in the last
    three years; B — any other adverse record (an earlier listing or penalty, a judgment, a failed sampling);
    A — none. The spot checks' strata are these classes. (The test scale has no credit records and keeps the classes
    its entities were generated with.)"""
    if ctx.scale == "test":
        return
    today = timezone.localdate()
    in_force = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    adverse = ~Q(kind=CreditKind.LICENCE_PUBLICITY)
    rules = [("B", adverse),
             ("C", (Q(kind=CreditKind.ABNORMAL) & in_force)
              | Q(kind=CreditKind.PENALTY_PUBLICITY, date__gte=today - dt.timedelta(days=3 * 365))),
             ("D", Q(kind__in=[CreditKind.SERIOUS, CreditKind.DISHONEST_DEBTOR]) & in_force)]
    active = MarketEntity.objects.filter(status=EntityStatus.ACTIVE)
    with transaction.atomic():
        counts = {"A": active.update(risk_class="A")}
        for risk, rule in rules:  # each class overrides the milder one before it
            counts[risk] = active.filter(pk__in=CreditRecord.objects.filter(rule).values("entity_id")).update(
                risk_class=risk)
        record(actor=ctx.actor, verb="credit.risk_classes_derived", data=counts)
    ctx.say("  信用风险分类：" + "，".join(f"{k} {v:,}" for k, v in counts.items()))


STEPS = [SeedStep("信用记录", 80, seed_credit), SeedStep("信用风险分类", 81, seed_risk_classes)]
