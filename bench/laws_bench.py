"""The knowledge base's search (`laws.search.articles`, ADR 0059) over synthetic articles: a mix of the searches
officers type (common words, phrases, 文号, a word no article holds; with and without the level and in-force date
filters), each timed as a page reads it (the page's 21 rows), against the same search without the trigram table
(`plain_articles`: `icontains` over every article's search text). Both must find the same rows in the same order
for every search of the mix, or the run fails.

`python -m bench.laws_bench prepare ARTICLES` (in a migrated, empty database: JIANGUAN_VAR_DIR /
JIANGUAN_DATABASE_URL) loads synthetic laws of 200 articles each in bulk (see `prepare`);
`python -m bench.laws_bench measure ROUNDS` prints the rows as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time
from typing import Any

from bench.common import p95, setup

PER_LAW = 200
SUBJECTS = ["经营者", "生产者", "销售者", "食品经营者", "药品上市许可持有人", "广告主", "医疗器械注册人",
            "特种设备使用单位", "网络交易平台经营者", "市场监督管理部门", "县级以上人民政府", "检验机构"]
ACTS = ["未按规定建立进货查验记录制度", "生产经营不符合食品安全标准的食品", "发布虚假广告", "未取得许可从事经营活动",
        "伪造、变造许可证件", "拒绝、阻碍监督检查", "未按照规定公示信息", "销售过期商品", "使用未经检验的特种设备",
        "未履行报告义务", "超范围经营", "隐匿、转移、销毁证据"]
OUTCOMES = ["责令改正，给予警告", "没收违法所得", "并处五千元以上五万元以下罚款", "责令停产停业", "吊销许可证",
            "处十万元以上二十万元以下罚款", "依法给予处分", "记入信用记录"]
LEVELS = ["law", "administrative", "departmental", "local", "normative"]


def article_text(rng: random.Random) -> str:
    return "".join(f"{rng.choice(SUBJECTS)}{rng.choice(ACTS)}的，由{rng.choice(SUBJECTS)}{rng.choice(OUTCOMES)}；"
                   for _ in range(rng.randint(1, 3)))


def law_document(index: int, rng: random.Random) -> dict[str, Any]:
    start = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 8000))
    articles = [{"number": n, "status": "confirmed", "paragraphs": [{"text": article_text(rng)}]}
                for n in range(1, PER_LAW + 1)]
    return {"slug": f"bench-{index}", "title": f"示例监督管理条例第{index}号", "issuer": f"示例机关{index % 7}",
            "level": LEVELS[index % len(LEVELS)], "versions": [{
                "label": "公布", "number": f"示例令第{index}号", "issued_on": start.isoformat(),
                "effective_from": start.isoformat(), "status": "confirmed", "articles": articles}]}


def prepare(count: int, seed: int = 2026) -> None:
    """Laws of `PER_LAW` articles: each version written by the import service's own writer, the articles' search
    texts and terms computed by the search's functions (`search_text`, `query_grams`) and stored in bulk, and every
    term's count taken once at the end (the import service recounts after each law, slow at 50,000 articles)."""
    setup()
    from collections import Counter

    from django.db import connection, transaction

    from jianguan.core.trigrams import query_grams
    from jianguan.laws import loading, search, services
    from jianguan.laws.models import ArticleTerm, Kind, Law, Provision, TermCount

    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    with transaction.atomic():
        for index in range(max(1, count // PER_LAW)):
            data = loading.law_data(law_document(index, rng))
            law = Law.objects.create(slug=data.slug, title=data.title, short_title=data.short_title,
                                     issuer=data.issuer, level=data.level)
            for version in data.versions:
                services._version_write(law, version)
            articles = list(Provision.objects.filter(version__law=law, kind=Kind.ARTICLE)
                            .select_related("version__law"))
            texts = [(search.search_text(a), a.pk) for a in articles]
            with connection.cursor() as cursor:
                cursor.executemany("UPDATE laws_provision SET search_text = %s WHERE id = %s", texts)
            terms = [ArticleTerm(term=t, article_id=pk) for text, pk in texts for t in sorted(query_grams(text))]
            ArticleTerm.objects.bulk_create(terms, batch_size=2000)
            counts.update(t.term for t in terms)
        TermCount.objects.bulk_create([TermCount(term=t, articles=n) for t, n in sorted(counts.items())],
                                      batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def mix() -> list[dict[str, Any]]:
    return ([{"q": q} for q in ("罚款", "警告", "发布虚假广告", "特种设备", "示例令第17号", "隐匿、转移、销毁证据",
                                "超范围经营的，由", "没有这样的条文", "鬱鬯")]
            + [{"q": "吊销许可证", "level": "administrative"}, {"q": "进货查验", "on": dt.date(2010, 1, 1)},
               {"q": "检验机构", "level": "law", "on": dt.date(2020, 6, 1)}, {"q": ""}])


def timings(search: Any, rounds: int) -> tuple[list[float], dict[str, list[int]]]:
    from jianguan.laws.search import Filters

    times, found = [], {}
    for params in mix():  # warm-up
        list(search(Filters(**params))[:21])
    for _ in range(rounds):
        for params in mix():
            began = time.perf_counter()
            rows = list(search(Filters(**params))[:21])
            times.append((time.perf_counter() - began) * 1000)
            found[repr(params)] = [r.pk for r in rows]
    return times, found


def measure(rounds: int) -> list[dict[str, Any]]:
    setup()
    from django.db import connection

    from jianguan.laws import search
    from jianguan.laws.models import Kind, Provision

    new, new_found = timings(search.articles, rounds)
    base, base_found = timings(search.plain_articles, 1)
    same = new_found == base_found
    articles = Provision.objects.filter(kind=Kind.ARTICLE).count()
    figure, base_figure = p95(new), p95(base)
    return [{"name": f"knowledge base search p95, {articles:,} articles, {connection.vendor}",
             "figure": round(figure, 1), "unit": "ms", "baseline": "icontains over every article (no trigrams)",
             "baseline_figure": round(base_figure, 1), "ratio": round(base_figure / max(figure, 0.01), 1),
             "goal": "p95 <= 50 ms at 50,000 articles", "met": figure <= 50 and same and articles >= 50_000,
             "detail": f"{len(mix())} searches x {rounds} rounds, median {statistics.median(new):.1f} ms; "
                       f"same rows and order as the baseline: {'yes' if same else 'NO'}"}]


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"]:
        prepare(int(sys.argv[2]))
    elif sys.argv[1:2] == ["measure"]:
        print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 5), ensure_ascii=False, default=str))
    else:
        raise SystemExit("usage: python -m bench.laws_bench prepare ARTICLES | measure [ROUNDS]")
