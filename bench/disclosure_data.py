"""The public decision search's benchmark database: N published disclosure items in minutes (bench only).

The seed's own steps for regions, departments and industries, then 300,000 enterprises with valid 统一社会信用代码
and names of Faker's zh_CN companies (a city, a Faker company prefix and suffix), and N items published over the
last three years, oldest first (as they would have been written): about 20 departments (a few publish most), the
party's county as the region (10 counties), four kinds (penalties and inspections most), decision numbers of the
department, kind, year and a serial (`咸宁市市监罚〔2025〕1234号`), 3 % withdrawn with a reason. Each item's search
terms and the terms' counts are written as `search.terms_sync` writes them (the same `search.item_terms`).

Loaded as `bench.loading` loads (the items' secondary indexes, and on PostgreSQL the terms' key, built again at
the end), then ANALYZE (VACUUM ANALYZE on PostgreSQL).

`python -m bench.disclosure_data build ITEMS [SEED]` in a migrated, empty database (JIANGUAN_VAR_DIR /
JIANGUAN_DATABASE_URL); prints each step's seconds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

from bench.common import setup
from bench.loading import Laps, analyse, loading, main

STEPS = ("区划", "部门", "行业分类")
ENTITIES = 300_000
DEPARTMENTS = 20
KINDS = (("penalty", "市监罚", 40), ("inspection", "市监检", 40), ("licence", "市监许", 15),
         ("coercion", "市监强", 5))
YEARS = 3


def _entities(rng: random.Random, regions: list[str], industry: str) -> Iterator[tuple[Any, ...]]:
    from faker.providers.address.zh_CN import Provider as Address
    from faker.providers.company.zh_CN import Provider as Company

    from jianguan.core.codes import org_code_check_char, uscc_check_char
    from jianguan.subjects.seed import _base31

    now = dt.datetime.now(dt.UTC).isoformat(" ")
    for i in range(ENTITIES):
        name = (rng.choice(Address.cities) + rng.choice(Company.company_prefixes)
                + rng.choice(Company.company_suffixes))
        region = regions[i % len(regions)]
        body = "MA4" + _base31(i, 5)
        first17 = "91" + region[:6] + body + org_code_check_char(body)
        yield (first17 + uscc_check_char(first17), name, "enterprise", "有限责任公司（自然人投资或控股）", "张三",
               f"{name}经营场所", region, industry, "2015-01-01", "100.00", "active", "", now, now)


ITEM_COLUMNS = ("id", "created_at", "updated_at", "number", "record_id", "source_kind", "source_id",
                "source_record_id", "department_id", "region_id", "entity_id", "party_name", "decision_number",
                "decided_on", "fields", "redacted", "masks", "masks_added", "masks_removed", "clock_days",
                "clock_basis", "due_on", "status", "withheld_rule", "withheld_basis", "withheld_reason",
                "published_on", "period_label", "period_ends_on", "withdrawn_on", "withdraw_reason", "end_reason",
                "persons")


def _days(rng: random.Random, count: int, today: dt.date) -> list[dt.date]:
    first = today - dt.timedelta(days=365 * YEARS)
    return sorted(first + dt.timedelta(days=rng.randrange(365 * YEARS)) for _ in range(count))


def _items(rng: random.Random, count: int, departments: list[tuple[int, str]], entities: list[tuple[Any, ...]],
           today: dt.date, terms: list[tuple[int, str, str, str]]) -> Iterator[tuple[Any, ...]]:
    """The item rows, oldest first; (id, day, party name, decision number) of each appended to `terms`."""
    kinds = [(k, w) for k, w, _ in KINDS]
    kind_cum = list(itertools.accumulate(w for *_, w in KINDS))
    department_cum = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(departments))))
    serials: Counter[tuple[int, str, int]] = Counter()
    numbers: Counter[dt.date] = Counter()
    now = dt.datetime.now(dt.UTC).isoformat(" ")
    for pk, day in enumerate(_days(rng, count, today), start=1):
        (kind, word), = rng.choices(kinds, cum_weights=kind_cum)
        (department, short), = rng.choices(departments, cum_weights=department_cum)
        entity_id, name, region = entities[rng.randrange(len(entities))]
        decided = day - dt.timedelta(days=rng.randint(1, 10))
        serials[department, kind, decided.year] += 1
        numbers[day] += 1
        decision = f"{short}{word}〔{decided.year}〕{serials[department, kind, decided.year]}号"
        withdrawn = rng.random() < 0.03
        fields = {"decision_number": decision, "party_name": name, "content": "罚款人民币伍仟元整",
                  "basis": "《中华人民共和国食品安全法》第一百二十四条"}
        text = json.dumps(fields, ensure_ascii=False)
        iso = day.isoformat()
        terms.append((pk, iso, name, decision))
        yield (pk, now, now, f"GS{day:%Y%m%d}{numbers[day]:06d}", str(uuid.UUID(int=rng.getrandbits(128))), kind,
               pk, str(uuid.UUID(int=pk)), department, region, entity_id, name, decision, decided.isoformat(), text,
               text, "[]", "[]", "[]", 7, "《企业信息公示暂行条例》第六条", iso,
               "withdrawn" if withdrawn else "published", "", "", "", iso, "3年",
               (day + dt.timedelta(days=365 * 3)).isoformat(), iso if withdrawn else None,
               "该决定经行政复议被撤销" if withdrawn else "", "", "[]")


def _term_rows(items: list[tuple[int, str, str, str]], counts: Counter[str]) -> Iterator[tuple[str, str, int]]:
    from jianguan.disclosure.search import item_terms

    for pk, day, name, decision in items:
        found = item_terms(name, decision)
        counts.update(found)
        for term in found:
            yield term, day, pk


def build(count: int, seed: int = 2026) -> dict[str, float]:
    """The database of `count` public items; seconds per step."""
    setup()
    from django.db import connection, transaction
    from django.utils import translation

    from jianguan.accounts.models import Department, Region, RegionLevel
    from jianguan.core.bulk import bulk_insert
    from jianguan.core.registry import seed_steps
    from jianguan.core.seeding import SeedContext
    from jianguan.disclosure.models import DisclosureItem, SearchTerm, SearchTermCount
    from jianguan.subjects.models import Industry, MarketEntity
    from jianguan.subjects.seed import COLUMNS

    rng = random.Random(seed)
    laps = Laps()
    context = SeedContext(scale="bench", seed=seed, stdout=sys.stdout, progress_enabled=False, entities=ENTITIES)
    with translation.override(None):
        for step in seed_steps():
            if step.name in STEPS:
                step.run(context)
    laps.lap("区划、部门、行业")
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code").values_list("code", flat=True))
    regions = counties[:10]
    departments = [(d.pk, d.name[:3]) for d in Department.objects.order_by("pk")[:DEPARTMENTS]]
    today = dt.date.today()
    key = ("ALTER TABLE disclosure_searchterm DROP CONSTRAINT disclosure_searchterm_pkey",
           "ALTER TABLE disclosure_searchterm ADD PRIMARY KEY (term, published_on, item_id)")
    with loading([DisclosureItem._meta.db_table], postgresql_only=[key]), transaction.atomic():
        bulk_insert(MarketEntity, COLUMNS, _entities(rng, regions, Industry.objects.order_by("code")[0].code),
                    chunk=50_000)
        entities = list(MarketEntity.objects.values_list("id", "name", "region_id"))
        laps.lap("市场主体")
        terms: list[tuple[int, str, str, str]] = []
        bulk_insert(DisclosureItem, ITEM_COLUMNS, _items(rng, count, departments, entities, today, terms),
                    chunk=50_000)
        laps.lap("公示事项")
        counts: Counter[str] = Counter()
        rows = bulk_insert(SearchTerm, ("term", "published_on", "item_id"), _term_rows(terms, counts), chunk=100_000)
        counts[""] = count
        bulk_insert(SearchTermCount, ("term", "head", "items"), ((t, t[:2], n) for t, n in counts.items()))
        print(f"  检索词 {rows:,} 条，{len(counts):,} 种")
        laps.lap("检索词")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('disclosure_disclosureitem', 'id'), %s)", [count])
    laps.lap("索引重建")
    return analyse(laps)


if __name__ == "__main__":
    main("bench.disclosure_data", "ITEMS", build)
