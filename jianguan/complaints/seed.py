"""Demo complaints and reports about the entities, assigned as the routing rules say, at every stage."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Region
from jianguan.audit.contracts import record
from jianguan.core.bulk import bulk_insert
from jianguan.core.calendar import add_working_days
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.subjects.contracts import entity_rows

from . import routing
from .models import Category, Complaint, ComplaintKind, ComplaintStatus
from .services import ACCEPT_WORKING_DAYS, MEDIATION_WORKING_DAYS, REPORT_WORKING_DAYS

PER_ENTITY = {"test": 0.0, "demo": 0.3, "city": 0.3, "bench": 0.3}
CATEGORIES = [(Category.FOOD, 30), (Category.PRICE, 15), (Category.QUALITY, 10), (Category.CONSUMER, 15),
              (Category.DRUG, 5), (Category.ADVERTISING, 5), (Category.ENVIRONMENT, 6), (Category.SAFETY, 4),
              (Category.CITY, 5), (Category.OTHER, 5)]
STATUSES = [(ComplaintStatus.CONCLUDED, 70), (ComplaintStatus.ACCEPTED, 10), (ComplaintStatus.RECEIVED, 10),
            (ComplaintStatus.NOT_ACCEPTED, 5), (ComplaintStatus.CONVERTED, 5)]
CONTENT = {Category.FOOD: "购买的食品疑似过期变质", Category.PRICE: "商品未明码标价，结账多收费",
           Category.QUALITY: "购买的电器使用一周即损坏", Category.CONSUMER: "预付卡商家拒绝退款",
           Category.DRUG: "药店销售处方药不凭处方", Category.ADVERTISING: "宣传单使用绝对化用语",
           Category.ENVIRONMENT: "夜间排放刺鼻废气", Category.SAFETY: "仓库堆放易燃物品",
           Category.CITY: "占道经营影响通行", Category.OTHER: "经营行为不规范"}


def seed_complaints(ctx: SeedContext) -> None:
    share = PER_ENTITY[ctx.scale]
    if not share:
        return
    rng = ctx.rng("complaints")
    regions = Region.objects.in_bulk()
    today = timezone.localdate()
    now = timezone.now()
    categories, weights = zip(*CATEGORIES, strict=True)
    statuses, status_weights = zip(*STATUSES, strict=True)

    @cache
    def department(county: str, category: str) -> int:
        return routing.assign(regions[county], category).pk

    @cache
    def due(day: dt.date, working_days: int) -> dt.date:
        return add_working_days(day, working_days)

    rows = []
    counters: dict[dt.date, int] = {}
    for entity_id, _, name, _, region, county, address, *_ in entity_rows(ctx):
        if rng.random() >= share:
            continue
        category = rng.choices(categories, weights=weights)[0]
        kind = ComplaintKind.REPORT if rng.random() < 0.3 else ComplaintKind.COMPLAINT
        day = today - dt.timedelta(days=rng.randint(0, 700))
        received = dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)), tzinfo=dt.UTC)
        counters[day] = counters.get(day, 0) + 1
        status = rng.choices(statuses, weights=status_weights)[0]
        if day > today - dt.timedelta(days=20):
            status = ComplaintStatus.RECEIVED
        if kind == ComplaintKind.REPORT and status == ComplaintStatus.NOT_ACCEPTED:
            status = ComplaintStatus.CONCLUDED
        accept_due = due(day, ACCEPT_WORKING_DAYS) if kind == ComplaintKind.COMPLAINT else None
        decided = received + dt.timedelta(days=rng.randint(1, 6)) if status != ComplaintStatus.RECEIVED else None
        handle_due = (due(day, REPORT_WORKING_DAYS) if kind == ComplaintKind.REPORT else
                      due(decided.date(), MEDIATION_WORKING_DAYS) if decided and status != ComplaintStatus.NOT_ACCEPTED
                      else None)
        concluded = decided + dt.timedelta(days=rng.randint(3, 40)) if decided and status in (
            ComplaintStatus.CONCLUDED, ComplaintStatus.CONVERTED, ComplaintStatus.NOT_ACCEPTED) else None
        rows.append((f"TS{day:%Y%m%d}{counters[day]:05d}", kind, rng.choice(["portal", "hotline", "hotline", "phone"]),
                     "", received, "", "", False, entity_id, name, address, region, category, CONTENT[category],
                     department(county, category), status, accept_due, decided,
                     "不属于本部门职责范围" if status == ComplaintStatus.NOT_ACCEPTED else "", handle_due,
                     "经调解双方达成一致" if status == ComplaintStatus.CONCLUDED else "", concluded, None, "", now,
                     now))
    with transaction.atomic():
        inserted = bulk_insert(Complaint, (
            "number", "kind", "channel", "external_ref", "received_at", "complainant_name", "complainant_phone",
            "real_name", "entity_id", "subject_name", "subject_address", "region_id", "category", "content",
            "department_id", "status", "accept_due", "decided_at", "decision_note", "handle_due", "outcome",
            "concluded_at", "imported_id", "content_hash", "created_at", "updated_at"),
            ctx.progress(rows, desc="投诉举报"))
        record(actor=ctx.actor, verb="complaints.seeded", data={"count": inserted})
    ctx.say(f"  投诉举报 {inserted:,} 件")


STEPS = [SeedStep("投诉举报", 75, seed_complaints)]
