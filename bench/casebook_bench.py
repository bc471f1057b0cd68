"""The case library (ADR 0061) at the scales of issue 21: the search (`casebook.selectors.entry_list`, trigrams)
over 100,000 published entries, and the similar cases (`casebook.selectors.similar`, the count, quartiles and
histogram of the fines read from the index `casebook_similar`) over 1,000,000. Each is timed as the API reads it
(the search: a page of 20 and one more row for `has_next`; similar: the distribution and the ten newest), against a
baseline in the same run: the search without the terms (`icontains` over every entry), the distribution from every
fine read into Python. Both must give the same rows in the same order (the same figures), or the row says so.

`python -m bench.casebook_bench prepare N [--no-terms]` (in a migrated, empty database) inserts N synthetic entries
in bulk, with their terms computed by `casebook.services.terms_of` (unless `--no-terms`: the similar cases do not
read them); `python -m bench.casebook_bench measure search|similar [ROUNDS]` prints the rows as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from bench.common import p95, setup

DEPARTMENTS = 8
CODES = 200  # catalog items; the first are far more frequent (1 / rank)
ARTICLES = ["第一百二十四条第一款第（一）项", "第一百二十六条第一款第（三）项", "第五十七条第一款"]
LAWS = ["《中华人民共和国食品安全法》", "《中华人民共和国广告法》", "《中华人民共和国产品质量法》"]
BANDS = ["从轻", "一般", "从重"]
VIOLATIONS = ["销售过期食品", "未取得许可从事经营", "发布虚假广告", "价格欺诈", "销售不合格产品", "计量器具未检定",
              "未按规定公示信息", "使用不合格特种设备", "侵犯注册商标专用权", "商品标识不规范"]
PLACES = ["咸阳", "秦都", "渭城", "兴平", "礼泉", "乾县", "泾阳", "三原", "彬州", "长武"]
TRADES = ["食品店", "超市", "药房", "餐饮店", "商贸有限公司", "建材经营部", "加油站", "电器商行", "服装店", "诊所"]
PAGE = 20


def _regions() -> tuple[str, list[int]]:
    from jianguan.accounts.models import Department, Region

    region = Region.objects.filter(parent=None).first()
    if region is None:
        region = Region.objects.create(code="610400000000", name="示例市", level=2, gb2260="610400")
    departments = list(Department.objects.filter(region=region).values_list("pk", flat=True)[:DEPARTMENTS])
    for n in range(len(departments), DEPARTMENTS):
        departments.append(Department.objects.create(
            name=f"示例市场监督管理局{n}", short_name=f"示例局{n}", uscc=f"11610400MB{n:08d}", kind="market",
            region=region).pk)
    return region.code, departments


def prepare(total: int, terms: bool = True) -> None:
    setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from jianguan.casebook.models import Copy, Entry, EntryKind, EntryStatus
    from jianguan.casebook.services import terms_of

    rng = random.Random(2026)
    weights = [1 / (i + 1) for i in range(CODES)]
    codes = [f"C{610400 + i:013d}" for i in range(CODES)]
    now = timezone.now()
    start = dt.date(2019, 1, 1)
    with transaction.atomic():
        region, departments = _regions()
        made = 0
        while made < total:
            size = min(10_000, total - made)
            rows = []
            for n, code in zip(range(made, made + size), rng.choices(codes, weights, k=size), strict=True):
                law = rng.randrange(3)
                violation = VIOLATIONS[rng.randrange(len(VIOLATIONS))]
                party = f"{PLACES[rng.randrange(10)]}市某{rng.randrange(1000)}号{TRADES[rng.randrange(10)]}"
                fine = Decimal(rng.randrange(5, 2000) * 100) if rng.random() < 0.9 else None
                rows.append(Entry(
                    kind=EntryKind.CASE, status=EntryStatus.PUBLISHED if n % 20 else EntryStatus.DRAFT,
                    case_number=f"B{n:09d}", department_id=departments[n % DEPARTMENTS], region_id=region,
                    title=f"{party}{violation}案", party=party, violation=violation, catalog_code=code,
                    article=f"{LAWS[law]}{ARTICLES[rng.randrange(3)]}", band=BANDS[rng.randrange(3)],
                    outcome="罚款", fine=fine, decided_on=start + dt.timedelta(days=rng.randrange(2500)),
                    copy=Copy.PUBLISHED, internal_only=False, created_at=now, updated_at=now))
            stored = Entry.objects.bulk_create(rows, batch_size=2000)  # keys come back (RETURNING)
            if terms:
                with connection.cursor() as cursor:
                    cursor.executemany("INSERT INTO casebook_entryterm (term, entry_id) VALUES (%s, %s)",
                                       [(t, e.pk) for e in stored for t in sorted(terms_of(e))])
            made += size
            print(f"{made:,} entries", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def readers() -> list[Any]:
    """A reader of every department of the city, and one of a single department."""
    from jianguan.accounts.models import Department
    from jianguan.core.scoping import Scope

    region, departments = _regions()
    every = frozenset(Department.objects.filter(region_id=region).values_list("pk", flat=True))
    return [SimpleNamespace(scope=Scope(department_ids=ids, region_codes=frozenset({region})))
            for ids in (every, frozenset({departments[0]}))]


SEARCHES = ["销售过期食品", "虚假广告", "秦都市某1", "号药房", "第一百二十四条", "食品安全法", "没有这样的案件", "超市",
            "鬱鬯", "礼泉市某999号加油站"]


def plain_list(reader: Any, q: str) -> Any:
    """The search without the terms (the baseline)."""
    from django.db.models import Q

    from jianguan.casebook.models import Entry, EntryStatus

    rows = Entry.objects.visible_to(reader).filter(status=EntryStatus.PUBLISHED).defer("facts")
    return rows.filter(Q(title__icontains=q) | Q(violation__icontains=q) | Q(article__icontains=q) |
                       Q(party__icontains=q))


def _page(rows: Any) -> list[int]:
    return [e.pk for e in rows.order_by("-decided_on", "-pk")[:PAGE + 1]]


def _timed(call: Any, times: list[float]) -> Any:
    began = time.perf_counter()
    result = call()
    times.append((time.perf_counter() - began) * 1000)
    return result


def measure_search(rounds: int) -> dict[str, Any]:
    from jianguan.casebook import selectors

    times: list[float] = []
    base: list[float] = []
    found, base_found = {}, {}
    for reader in readers():
        for q in SEARCHES:
            _page(selectors.entry_list(reader=reader, q=q))  # warm-up
    for _ in range(rounds):
        for i, reader in enumerate(readers()):
            for q in SEARCHES:
                found[(i, q)] = _timed(lambda r=reader, w=q: _page(selectors.entry_list(reader=r, q=w)), times)
    for i, reader in enumerate(readers()):
        for q in SEARCHES:
            base_found[(i, q)] = _timed(lambda r=reader, w=q: _page(plain_list(r, w)), base)
    return {"times": times, "base": base, "same": found == base_found, "reads": len(SEARCHES) * 2}


def plain_similar(reader: Any, code: str, article: str, band: str) -> tuple[Any, list[int]]:
    """The same figures from every fine read into Python (the baseline)."""
    from jianguan.casebook.models import Entry, EntryStatus
    from jianguan.casebook.selectors import BUCKETS, FEW, Distribution

    violation = Entry.objects.visible_to(reader).filter(catalog_code=code, article=article,
                                                         status=EntryStatus.PUBLISHED)
    rows = list(violation.filter(band=band).values_list("pk", "decided_on", "fine"))
    if not band or len(rows) < FEW:
        rows = list(violation.values_list("pk", "decided_on", "fine"))
    fines = sorted(f for _, _, f in rows if f is not None)
    newest = [pk for pk, _, _ in sorted(rows, key=lambda r: (r[1], r[0]), reverse=True)[:10]]
    count = len(fines)
    if not count:
        return Distribution(0), newest
    low, high = fines[0], fines[-1]
    step = (high - low) / BUCKETS
    buckets = []
    for i in range(BUCKETS if step else 1):
        begin, end = low + step * i, low + step * (i + 1)
        last = i == BUCKETS - 1 or not step
        buckets.append((f"{begin:,.0f}", sum(1 for f in fines if begin <= f and (f <= high if last else f < end))))
    return Distribution(count, low, *(fines[min(count - 1, count * k // 4)] for k in (1, 2, 3)), high,
                       tuple(buckets)), newest


def measure_similar(rounds: int) -> dict[str, Any]:
    from jianguan.casebook import selectors
    from jianguan.casebook.models import Entry

    rng = random.Random(7)
    groups = list(Entry.objects.values_list("catalog_code", "article", "band").distinct())
    groups.sort()
    picked = groups[:6] + rng.sample(groups, 6)  # the most frequent items, and any
    times: list[float] = []
    base: list[float] = []
    found, base_found = {}, {}
    cases = [(r, g) for r in readers() for g in picked]
    for reader, (code, article, band) in cases:
        selectors.similar(reader=reader, catalog_code=code, article=article, band=band)  # warm-up
    for _ in range(rounds):
        for n, (reader, (code, article, band)) in enumerate(cases):
            got = _timed(lambda r=reader, c=code, a=article, b=band: selectors.similar(
                reader=r, catalog_code=c, article=a, band=b), times)
            found[n] = (got.distribution, [e.pk for e in got.entries])
    for n, (reader, (code, article, band)) in enumerate(cases):
        base_found[n] = _timed(lambda r=reader, c=code, a=article, b=band: plain_similar(r, c, a, b), base)
    return {"times": times, "base": base, "same": found == base_found, "reads": len(cases)}


def measure(kind: str, rounds: int) -> list[dict[str, Any]]:
    setup()
    from django.db import connection

    from jianguan.casebook.models import Entry

    total = Entry.objects.count()
    got = measure_search(rounds) if kind == "search" else measure_similar(rounds)
    figure, base_figure = p95(got["times"]), p95(got["base"])
    label, baseline, goal = (
        ("case library search", "icontains over every entry (no trigrams)", "p95 <= 50 ms at 100,000 cases")
        if kind == "search" else
        ("similar cases with the distribution of fines", "every fine of the violation read into Python",
         "p95 <= 50 ms at 1,000,000 cases"))
    scale = 100_000 if kind == "search" else 1_000_000
    return [{"name": f"{label} p95, {total:,} entries, {connection.vendor}", "figure": round(figure, 1),
             "unit": "ms", "baseline": baseline, "baseline_figure": round(base_figure, 1),
             "ratio": round(base_figure / max(figure, 0.01), 1), "goal": goal,
             "met": figure <= 50 and got["same"] and total >= scale,
             "detail": f"{got['reads']} reads (2 readers) x {rounds} rounds, median "
                       f"{statistics.median(got['times']):.1f} ms, slowest {max(got['times']):.1f} ms; "
                       f"same rows and order as the baseline: {'yes' if got['same'] else 'NO'}"}]


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"]:
        prepare(int(sys.argv[2]), terms="--no-terms" not in sys.argv)
    elif sys.argv[1:2] == ["measure"] and sys.argv[2:3] in (["search"], ["similar"]):
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3), ensure_ascii=False,
                         default=str))
    else:
        raise SystemExit("usage: python -m bench.casebook_bench prepare N [--no-terms] | measure search|similar [R]")
