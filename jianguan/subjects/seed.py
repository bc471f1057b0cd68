"""Demo market entities: valid codes, plausible names and addresses by county and township, industries, dates,
status and credit-risk classes. Deterministic for a given seed; fast enough for 300 k entities in well under a
minute (generation in Python, insertion by COPY or executemany)."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from importlib.resources import files
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker.providers.person.zh_CN import Provider as PersonProvider

from jianguan.accounts.models import Region, RegionKind, RegionLevel
from jianguan.audit.contracts import record
from jianguan.core.bulk import bulk_insert
from jianguan.core.codes import USCC_ALPHABET, org_code_check_char, uscc_check_char
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext

from . import search
from .models import EntityStatus, EntityType, FormerName, Industry, Licence, MarketEntity, RegistrationEvent

BRAND_CHARS = "鑫达华盛恒泰通源隆兴佳福瑞宏丰润康安金天和顺昌荣海博诚信鼎嘉新明远永旺利富德宝益中联众合晟祥创卓越"
TRADE_WORDS = {
    "A": ["农业发展", "生态农业", "种养殖", "农业科技"], "B": ["矿业", "建材"],
    "C": ["食品", "制药", "建材", "机械制造", "茶业"], "D": ["能源"], "E": ["建筑工程", "建设工程"],
    "F": ["商贸", "贸易", "医药", "百货", "超市"], "G": ["物流", "运输"], "H": ["餐饮管理", "酒店管理", "餐饮服务"],
    "K": ["房地产开发", "物业服务"], "L": ["旅行社"], "Q": ["医院"], "R": ["文化娱乐"],
}
# Shop names of 个体工商户 by their GB/T 4754 class.
SHOP_WORDS = {"5211": ["百货店", "便利店"], "5212": ["超市"], "5221": ["粮油店"], "5224": ["生鲜店", "肉铺"],
              "5251": ["药店", "大药房"], "5252": ["中药店"], "5254": ["医疗器械店"], "6210": ["餐馆", "饭店"],
              "6220": ["快餐店"], "6231": ["茶馆"], "6241": ["外卖店"], "6291": ["小吃店", "面馆"], "5431": ["货运部"],
              "9011": ["歌厅"], "9013": ["网吧"]}
ENTERPRISE_TYPES = [("有限责任公司（自然人投资或控股）", 55), ("有限责任公司（自然人独资）", 20),
                    ("有限责任公司（非自然人投资或控股的法人独资）", 6), ("其他股份有限公司（非上市）", 3),
                    ("个人独资企业", 8), ("普通合伙企业", 2), ("有限合伙企业", 2), ("有限责任公司（国有独资）", 2),
                    ("集体所有制", 1), ("有限责任公司（台港澳法人独资）", 1)]
# The end of an enterprise's name by its type (有限责任公司 of every kind ends in 有限公司).
NAME_SUFFIX = {"其他股份有限公司（非上市）": "股份有限公司", "个人独资企业": "企业", "集体所有制": "企业",
               "普通合伙企业": "（普通合伙）", "有限合伙企业": "（有限合伙）"}
ROADS = ["银泉大道", "温泉路", "金桂路", "贺胜路", "长安大道", "青龙路", "淦河大道", "永安大道", "人民大道", "书台街",
         "旗鼓大道", "双鹤路", "茶花路", "沿河大道", "建设路", "解放路", "新华路", "胜利路", "友谊路", "工业大道"]
STATUS_WEIGHTS = [(EntityStatus.ACTIVE, 88), (EntityStatus.CANCELLED, 8), (EntityStatus.REVOKED, 3),
                  (EntityStatus.MOVED_OUT, 1)]
RISK_WEIGHTS = [("A", 30), ("B", 52), ("C", 14), ("D", 4)]
TYPE_WEIGHTS = [(EntityType.INDIVIDUAL, 68), (EntityType.ENTERPRISE, 30), (EntityType.COOPERATIVE, 2)]
TYPE_CODE = {EntityType.ENTERPRISE: "1", EntityType.INDIVIDUAL: "2", EntityType.COOPERATIVE: "3"}

COLUMNS = ("uscc", "name", "entity_type", "enterprise_type", "legal_representative", "registered_address",
           "region_id", "industry_id", "established_on", "registered_capital", "status", "risk_class",
           "created_at", "updated_at")


def industry_rows() -> list[dict[str, str]]:
    with (files("jianguan.subjects") / "data" / "industries.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_industries(ctx: SeedContext) -> None:
    rows = industry_rows()
    Industry.objects.bulk_create([Industry(code=r["code"], section=r["section"], name=r["name"]) for r in rows])
    record(actor=ctx.actor, verb="subjects.industries_loaded", data={"count": len(rows), "edition": "GB/T 4754-2017"})


def _base31(n: int, width: int) -> str:
    chars = []
    for _ in range(width):
        n, digit = divmod(n, 31)
        chars.append(USCC_ALPHABET[digit])
    return "".join(reversed(chars))


def _places(city: Region) -> list[tuple[Region, list[Region], int]]:
    """County-level units with their townships and a weight (townships count as a proxy for size)."""
    places = []
    for county in city.children.order_by("code"):
        townships = list(county.children.filter(level=RegionLevel.TOWNSHIP).order_by("code")) or [county]
        administrative = [t for t in townships if t.kind != RegionKind.OTHER_UNIT] or townships
        weight = 2 * len(administrative) if county.kind == RegionKind.FUNCTIONAL_ZONE else len(administrative) + 2
        places.append((county, townships, weight))
    return places


def generate(ctx: SeedContext, count: int) -> Iterator[tuple[Any, ...]]:
    """Rows of `COLUMNS`. Reads the database first and then only computes, so that the rows can be streamed
    into a COPY on the same connection."""
    rng = ctx.rng("entities")
    city = Region.objects.get(code=settings.JIANGUAN_LOCALITY)
    province = city.parent.name if city.parent else ""
    places = _places(city)
    place_weights = [w for _, _, w in places]
    industries = industry_rows()
    individual_industries = [r for r in industries if r["code"] in SHOP_WORDS]
    individual_weights = [int(r["weight"]) for r in individual_industries]
    industry_weights = [int(r["weight"]) for r in industries]
    surnames = list(PersonProvider.last_names)
    surname_weights = list(PersonProvider.last_names.values())
    given = list(PersonProvider.first_names)
    types, type_weights = zip(*TYPE_WEIGHTS, strict=True)
    statuses, status_weights = zip(*STATUS_WEIGHTS, strict=True)
    risks, risk_weights = zip(*RISK_WEIGHTS, strict=True)
    kinds, kind_weights = zip(*ENTERPRISE_TYPES, strict=True)
    start, span = dt.date(1995, 1, 1).toordinal(), dt.date(2026, 6, 30).toordinal() - dt.date(1995, 1, 1).toordinal()
    now = timezone.now()
    choices, randint, random = rng.choices, rng.randint, rng.random
    # Cumulative weights once, not at every draw (the same draws: `choices` accumulates `weights` the same way).
    (place_cum, type_cum, surname_cum, individual_cum, industry_cum, kind_cum, status_cum, risk_cum) = (
        list(itertools.accumulate(w)) for w in (place_weights, type_weights, surname_weights, individual_weights,
                                                industry_weights, kind_weights, status_weights, risk_weights))

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(count):
            county, townships, _ = choices(places, cum_weights=place_cum)[0]
            township = townships[randint(0, len(townships) - 1)]
            entity_type = choices(types, cum_weights=type_cum)[0]
            surname = choices(surnames, cum_weights=surname_cum)[0]
            person = surname + given[randint(0, len(given) - 1)]
            place = county.name
            if entity_type == EntityType.INDIVIDUAL:
                industry = choices(individual_industries, cum_weights=individual_cum)[0]
                shop = SHOP_WORDS[industry["code"]]
                town = township.name if township is not county else ""
                name = f"{place}{town}{surname}记{shop[randint(0, len(shop) - 1)]}"
                kind, capital = "个体工商户", None
            elif entity_type == EntityType.COOPERATIVE:
                industry = next(r for r in industries if r["section"] == "A")
                brand = BRAND_CHARS[randint(0, len(BRAND_CHARS) - 1)] + BRAND_CHARS[randint(0, len(BRAND_CHARS) - 1)]
                name = f"{place}{brand}{industry['name'].removesuffix('种植')}种植专业合作社"
                kind, capital = "农民专业合作社", Decimal(randint(10, 500))
            else:
                industry = choices(industries, cum_weights=industry_cum)[0]
                brand = BRAND_CHARS[randint(0, len(BRAND_CHARS) - 1)] + BRAND_CHARS[randint(0, len(BRAND_CHARS) - 1)]
                words = TRADE_WORDS.get(industry["section"], ["实业"])
                kind = choices(kinds, cum_weights=kind_cum)[0]
                trade = words[randint(0, len(words) - 1)]
                name = f"{place.removesuffix('区').removesuffix('县')}{brand}{trade}{NAME_SUFFIX.get(kind, '有限公司')}"
                capital = Decimal(int(10 ** (1 + random() * 3.2))).quantize(Decimal("0.01"))
            org_body = "MA4" + _base31(i, 5)
            first17 = "9" + TYPE_CODE[entity_type] + county.gb2260 + org_body + org_code_check_char(org_body)
            uscc = first17 + uscc_check_char(first17)
            status = choices(statuses, cum_weights=status_cum)[0]
            risk = choices(risks, cum_weights=risk_cum)[0] if status == EntityStatus.ACTIVE else ""
            established = dt.date.fromordinal(start + int(span * (random() ** 0.6)))
            address = f"{province}{city.name}{county.name}{township.name if township is not county else ''}" \
                      f"{ROADS[randint(0, len(ROADS) - 1)]}{randint(1, 999)}号"
            yield (uscc, name, entity_type, kind, person, address, township.code, industry["code"], established,
                   capital, status, risk, now, now)

    return rows()


def seed_entities(ctx: SeedContext) -> None:
    count = ctx.sizes["entities"]
    with transaction.atomic():
        inserted = bulk_insert(MarketEntity, COLUMNS, ctx.progress(generate(ctx, count), total=count, desc="市场主体"))
        record(actor=ctx.actor, verb="subjects.entities_seeded",
               data={"count": inserted, "scale": ctx.scale, "seed": ctx.seed})
    ctx.say(f"  市场主体 {inserted:,} 户")




def entity_rows(ctx: SeedContext) -> list[tuple[Any, ...]]:
    """Every entity as (id, uscc, name, type, region, county, address, industry, established, status), once per
    seed run: the libraries' seeds draw their parties from it."""
    if "entities" not in ctx.shared:
        counties = dict(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("code", "parent_id"))
        rows = MarketEntity.objects.order_by("id").values_list(
            "id", "uscc", "name", "entity_type", "region_id", "registered_address", "industry_id", "established_on",
            "status")
        ctx.shared["entities"] = [(i, u, n, t, r, counties.get(r, r), a, ind, e, s)
                                  for i, u, n, t, r, a, ind, e, s in rows.iterator(chunk_size=20_000)]
    entities: list[tuple[Any, ...]] = ctx.shared["entities"]
    return entities


LICENCE_TYPES = {"6210": "食品经营许可证", "6220": "食品经营许可证", "6291": "食品经营许可证", "6231": "食品经营许可证",
                 "6241": "食品经营许可证", "5212": "食品经营许可证", "5221": "食品经营许可证", "5224": "食品经营许可证",
                 "5251": "药品经营许可证", "5252": "药品经营许可证", "5254": "第二类医疗器械经营备案凭证",
                 "1431": "食品生产许可证", "1311": "食品生产许可证", "1512": "食品生产许可证", "1530": "食品生产许可证",
                 "2720": "药品生产许可证", "5265": "成品油零售经营批准证书", "9013": "网络文化经营许可证",
                 "9011": "娱乐经营许可证", "5431": "道路运输经营许可证", "6110": "卫生许可证"}
LICENCE_PREFIX = {"食品经营许可证": "JY1", "食品生产许可证": "SC1", "药品经营许可证": "鄂CB", "药品生产许可证": "鄂",
                  "第二类医疗器械经营备案凭证": "鄂咸食药监械经营备", "成品油零售经营批准证书": "油零售证书第",
                  "网络文化经营许可证": "鄂网文", "娱乐经营许可证": "娱经字", "道路运输经营许可证": "鄂交运管许可咸字",
                  "卫生许可证": "鄂卫公证字"}


def seed_registration(ctx: SeedContext) -> None:
    """登记事项 for every entity, and licences where its industry needs one."""
    rng = ctx.rng("registration")
    authorities = {r.code: f"{r.name}市场监督管理局" for r in Region.objects.filter(level__lte=RegionLevel.COUNTY)}
    places = {r.code: r.name.removesuffix("区").removesuffix("县") for r in Region.objects.filter(
        level=RegionLevel.COUNTY)}
    today = timezone.localdate()
    events, licences, former = [], [], []
    for entity_id, _, name, entity_type, _, county, _, industry, established, status in ctx.progress(
            entity_rows(ctx), desc="登记与许可"):
        authority = authorities.get(county, "")
        events.append((entity_id, "established", established, "设立登记", authority))
        if entity_type == EntityType.ENTERPRISE and rng.random() < 0.03:
            renamed = established + dt.timedelta(days=rng.randint(200, 4000))
            if renamed < today:
                brand = "".join(rng.sample(BRAND_CHARS, 2))
                old = f"{places.get(county, '')}{brand}{rng.choice(['商贸', '实业', '贸易'])}有限公司"
                former.append((entity_id, old, renamed - dt.timedelta(days=1)))
                events.append((entity_id, "renamed", renamed, f"名称由“{old}”变更为“{name}”", authority))
        if rng.random() < 0.2:
            changed = established + dt.timedelta(days=rng.randint(30, 3000))
            if changed < today:
                what = rng.choice(["经营范围变更", "住所变更", "法定代表人变更"])
                events.append((entity_id, "changed", changed, what, authority))
        if status != EntityStatus.ACTIVE:
            ended = max(established, today - dt.timedelta(days=rng.randint(30, 1500)))
            kind = {"cancelled": "cancelled", "revoked": "revoked", "moved_out": "moved_out"}[status]
            events.append((entity_id, kind, ended, "", authority))
        licence_type = LICENCE_TYPES.get(industry)
        if licence_type:
            start = max(established, dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2000)))
            licences.append((entity_id, licence_type, f"{LICENCE_PREFIX[licence_type]}{county[:6]}{entity_id:08d}",
                             "", authority or "市场监督管理局", start, start + dt.timedelta(days=5 * 365)))
    with transaction.atomic():
        bulk_insert(RegistrationEvent, ("entity_id", "kind", "date", "detail", "authority"), events)
        bulk_insert(Licence, ("entity_id", "licence_type", "number", "scope", "issued_by", "valid_from", "valid_to"),
                    licences)
        bulk_insert(FormerName, ("entity_id", "name", "used_until"), former)
        record(actor=ctx.actor, verb="subjects.registration_seeded",
               data={"events": len(events), "licences": len(licences), "former_names": len(former)})
    ctx.say(f"  登记事项 {len(events):,} 条，许可证 {len(licences):,} 张，曾用名 {len(former):,} 个")


def seed_search_index(ctx: SeedContext) -> None:
    """The entity search index, built once over everything seeded (one sorted bulk write)."""
    postings = search.rebuild()
    record(actor=ctx.actor, verb="subjects.search_index_built", data={"postings": postings})
    ctx.say(f"  检索索引 {postings:,} 条")


STEPS = [
    SeedStep("行业分类", 40, seed_industries),
    SeedStep("市场主体", 50, seed_entities),
    SeedStep("登记与许可", 55, seed_registration),
    SeedStep("检索索引", 58, seed_search_index),
]
