"""Catalog benchmarks (issue "One list"): keyword search over 100 k 子项 (p95, goal ≤ 50 ms) against a plain
`LIKE '%word%'` query, and the whole list in force on a date at 100 k 子项 (goal ≤ 1 s) against reading every
version and choosing in Python.

Run inside a prepared database: `python -m bench.catalog_bench prepare` fills it (synthetic items with real law
names, 10 % with a second version), `python -m bench.catalog_bench measure` prints JSON rows.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time

from bench.common import setup

ITEMS = 100_000
OBJECTS = ("食品生产企业 食品销售者 餐饮服务提供者 药品经营企业 医疗器械经营企业 化妆品经营者 "
           "特种设备使用单位 加油站 危险化学品经营单位 建筑施工企业 房地产开发企业 物业服务企业 旅行社 娱乐场所 "
           "网吧 医疗机构 农药经营者 兽药经营者 种子经营者 道路运输经营者 机动车维修经营者 驾驶员培训机构 "
           "排污单位 尾矿库 非煤矿山 烟花爆竹经营单位 计量器具使用者 广告经营者 电子商务经营者 价格违法行为人").split()
ACTIONS = "监督检查 日常检查 专项检查 抽样检验 行政处罚 查封扣押 责令整改 现场核查 资质检查 安全检查".split()
QUERIES = ["食品", "药", "检查", "加油站", "特种设备 安全", "餐饮服务", "网吧", "排污", "旅行社 检查",
           "医疗器械经营", "化妆品", "房地产", "食品安全法", "尾矿", "价格"]


def prepare() -> None:
    setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from jianguan.catalog import search
    from jianguan.catalog.models import CatalogItem, CatalogVersion, Law, LegalReference, SearchTerm
    from jianguan.core.bulk import bulk_insert

    rng = random.Random(2026)
    laws = [(key, f"中华人民共和国{key}") for key in ("食品安全法", "药品管理法", "特种设备安全法", "安全生产法",
                                                   "环境保护法", "广告法", "旅游法", "价格法")]
    now = timezone.now()
    with transaction.atomic():
        law_rows = {key: Law.objects.create(key=key, title=title) for key, title in laws}
        mains = [CatalogItem(code=f"99{m:04d}00000000", line="scjg") for m in range(1000)]
        CatalogItem.objects.bulk_create(mains, batch_size=2000)
        main_ids = list(CatalogItem.objects.filter(code__startswith="99").values_list("pk", flat=True))
        item_rows = ((f"98{i // 100:04d}{i:08d}", rng.choice(main_ids), "scjg", now) for i in range(ITEMS))
        bulk_insert(CatalogItem, ("code", "parent_id", "line", "created_at"), item_rows)
        items = list(CatalogItem.objects.filter(code__startswith="98").values_list("pk", "code"))
        codes = dict(items)
        start = dt.date(2024, 1, 1)
        version_rows, later = [], []
        for pk, _code in items:
            name = f"对{rng.choice(OBJECTS)}的{rng.choice(ACTIONS)}"
            second = rng.random() < 0.1
            version_rows.append((pk, codes[pk], True, 1, "20240101000000", "in_use", start, None,
                                 dt.date(2025, 7, 1) if second else None, now, name, "check", name[1:-5], "", "",
                                 "", "[3, 4]"))
            if second:
                later.append((pk, codes[pk], True, 2, "20250701000000", "in_use", dt.date(2025, 7, 1), None, None,
                              now, name + "（调整）", "check", name[1:-5], "", "", "", "[3, 4]"))
        columns = ("item_id", "code", "is_sub_item", "version", "version_id", "status", "effective_from",
                   "cancel_on", "superseded_on", "published_at", "name", "action_type", "supervised_object",
                   "supervision_method", "supervision_process", "supervision_result", "levels")
        bulk_insert(CatalogVersion, columns, version_rows + later)
        versions = list(CatalogVersion.objects.filter(item__code__startswith="98").values_list(
            "pk", "name", "supervised_object"))
        validities = {pk: (effective, superseded, cancel) for pk, effective, superseded, cancel in
                      CatalogVersion.objects.filter(item__code__startswith="98").values_list(
                          "pk", "effective_from", "superseded_on", "cancel_on")}
        basis, terms = [], []
        for pk, name, supervised in versions:
            key, title = rng.choice(laws)
            basis.append((pk, law_rows[key].pk, f"第{rng.randint(10, 130)}条", "", "", 0))
            validity = validities[pk]
            terms.extend((term, pk, True, "in_use", *validity) for term in search.version_terms(name, [title],
                                                                                              supervised))
        bulk_insert(LegalReference, ("version_id", "law_id", "article", "clause", "text", "position"), basis)
        bulk_insert(SearchTerm, ("term", "version_id", "is_sub_item", "status", "effective_from", "superseded_on",
                                 "cancel_on"), terms)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as `jianguan seed` does after a bulk load: the planner needs the statistics
    print(f"prepared {len(items)} items, {len(versions)} versions, {len(terms)} terms", file=sys.stderr)


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def measure(rounds: int = 5) -> list[dict]:
    setup()
    from django.db.models import Q

    from jianguan.catalog import selectors
    from jianguan.catalog.models import CatalogVersion

    day = dt.date(2025, 8, 1)

    def ours(query: str):
        versions = selectors.item_list(as_of=day, q=query)
        return versions.count(), list(versions[:50])

    def like(query: str):
        text = Q()
        for word in query.split():
            text &= (Q(name__contains=word) | Q(supervised_object__contains=word)
                     | Q(basis__law__title__contains=word))
        versions = (CatalogVersion.objects.in_force(day).filter(item__parent__isnull=False).filter(text).distinct()
                    .select_related("item", "item__parent").prefetch_related("basis__law").order_by("item__code"))
        return versions.count(), list(versions[:50])

    for query in QUERIES:  # warm the caches, and check that every query finds something
        assert ours(query)[0] > 0 and like(query)[0] > 0, query
    search_ours, search_like = [], []
    for _ in range(rounds):
        for query in QUERIES:
            for bucket, function in ((search_ours, ours), (search_like, like)):
                began = time.perf_counter()
                function(query)
                bucket.append((time.perf_counter() - began) * 1000)

    def as_of_ours():
        return selectors.list_as_of(day)

    def as_of_naive():
        chosen = {}
        for version in CatalogVersion.objects.filter(item__parent__isnull=False).select_related("item").order_by(
                "item_id", "version"):
            if version.effective_from <= day and (version.superseded_on is None or version.superseded_on > day) \
                    and version.status == "in_use":
                chosen[version.item_id] = (version.item.code, version.name, version.version)
        return sorted(chosen.values())

    assert [row[0] for row in as_of_ours()] == [row[0] for row in as_of_naive()]
    whole_ours, whole_naive = [], []
    for _ in range(rounds):
        for bucket, function in ((whole_ours, as_of_ours), (whole_naive, as_of_naive)):
            began = time.perf_counter()
            count = len(function())
            bucket.append(time.perf_counter() - began)
    return [
        {"name": f"catalog keyword search, {ITEMS // 1000} k 子项 (count + first page)",
         "figure": round(_p95(search_ours), 1), "unit": "ms p95",
         "detail": f"{len(QUERIES)} queries × {rounds} rounds; median {statistics.median(search_ours):.1f} ms",
         "baseline": "LIKE '%word%' on name, object and law title", "baseline_figure": round(_p95(search_like), 1),
         "ratio": round(_p95(search_like) / _p95(search_ours), 2), "goal": "p95 <= 50 ms",
         "met": _p95(search_ours) <= 50, "lower_is_better": True},
        {"name": f"catalog as of a date, whole list of {count:,} 子项",
         "figure": round(statistics.median(whole_ours), 3), "unit": "s", "detail": f"median of {rounds} runs",
         "baseline": "all versions read, chosen in Python",
         "baseline_figure": round(statistics.median(whole_naive), 3),
         "ratio": round(statistics.median(whole_naive) / statistics.median(whole_ours), 2), "goal": "<= 1 s",
         "met": statistics.median(whole_ours) <= 1, "lower_is_better": True},
    ]


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        prepare()
    else:
        print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 5), ensure_ascii=False))
