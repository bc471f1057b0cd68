"""The public decision search (`disclosure.public.public_search`, ADR 0052) in a database built by
bench/disclosure_data.py: a mix of the searches the portal and the open-data API send, each timed as the page
reads it (parse, search, the page's rows fetched), against the search as it was before (the plain filter with
`icontains`, and without the list's indexes: dropped in a transaction rolled back afterwards). Both must find the
same rows in the same order for every search of the mix, or the run fails.

`python -m bench.public_search_bench measure ROUNDS` prints the rows as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.common import p95, setup

NEW_INDEXES = ("disclosure_public_order", "disclosure_public_kind", "disclosure_public_department",
               "disclosure_public_region", "disclosure_public_entity")


def baseline(params: dict[str, str]) -> list[Any]:
    """The search as it was: every filter on the items, words by `icontains`, a page at an offset."""
    from django.db.models import Q

    from jianguan.disclosure.models import DisclosureItem
    from jianguan.disclosure.public import parse_query
    from jianguan.disclosure.selectors import PUBLIC, PUBLIC_FIELDS

    query = parse_query(params)
    rows = DisclosureItem.objects.filter(status__in=PUBLIC).select_related("department").only(*PUBLIC_FIELDS)
    for field, value in (("source_kind", query.kind), ("department_id", query.department_id),
                         ("region_id", query.region_id), ("entity__uscc", query.entity),
                         ("published_on__gte", query.since), ("published_on__lte", query.until)):
        if value:
            rows = rows.filter(**{field: value})
    if query.q:
        rows = rows.filter(Q(party_name__icontains=query.q) | Q(decision_number__icontains=query.q))
    start = (query.page - 1) * query.size
    found = list(rows.order_by("-published_on", "-pk")[start:start + query.size + 1])
    return found[:query.size] + (["next"] if len(found) > query.size else [])


def ours(params: dict[str, str]) -> list[Any]:
    from jianguan.disclosure.public import parse_query, public_search

    page = public_search(parse_query(params))
    return page.items + (["next"] if page.has_next else [])


def _fragment(rng: random.Random, number: str) -> str:
    """Part of a decision number as someone would type it: the year and serial, or the serial."""
    year = number.index("〔")
    return number[year:] if rng.random() < 0.5 else number[number.index("〕") + 1:]


def mix(seed: int = 7) -> dict[str, list[dict[str, str]]]:
    """The searches, by kind, drawn from the database (deterministic)."""
    from faker.providers.company.zh_CN import Provider as Company

    from jianguan.disclosure.models import DisclosureItem

    rng = random.Random(seed)
    items = DisclosureItem.objects.order_by("pk")
    last = items.last()
    assert last is not None, "empty database: run bench.disclosure_data build first"
    sample = [items.filter(pk=rng.randint(1, last.pk)).values(
        "department_id", "region_id", "entity__uscc", "decision_number", "source_kind", "published_on").first()
        for _ in range(10)]
    rows = [row for row in sample if row]
    words = [w for w in Company.company_prefixes if 2 <= len(w) <= 4]
    day = last.published_on or dt.date.today()
    spans = [(day - dt.timedelta(days=d + 30), day - dt.timedelta(days=d)) for d in (30, 200, 400, 700)]
    return {
        "no filter": [{}], "page 50": [{"page": "50"}],
        "kind": [{"kind": k} for k in ("penalty", "licence", "inspection", "coercion")],
        "department": [{"department": str(r["department_id"])} for r in rows[:5]],
        "region": [{"region": r["region_id"]} for r in rows[:5]],
        "date range": [{"since": a.isoformat(), "until": b.isoformat()} for a, b in spans],
        "kind + department + dates": [{"kind": r["source_kind"], "department": str(r["department_id"]),
                                       "since": (r["published_on"] - dt.timedelta(days=90)).isoformat(),
                                       "until": r["published_on"].isoformat()} for r in rows[:5]],
        "entity": [{"entity": r["entity__uscc"]} for r in rows[:5]],
        "q word": [{"q": w} for w in rng.sample(words, 8)],
        "q decision number": [{"q": _fragment(rng, r["decision_number"])} for r in rows[:8]],
        "q nothing": [{"q": "无此名称企业"}, {"q": "鬱鬯"}, {"q": "〔2019〕99999号"}],
    }


def timings(search: Callable[[dict[str, str]], list[Any]], searches: dict[str, list[dict[str, str]]],
            rounds: int) -> tuple[dict[str, list[float]], dict[str, list[str]]]:
    """Milliseconds per search kind, and what each search found (numbers in order)."""
    from django.db import connection

    times: dict[str, list[float]] = {kind: [] for kind in searches}
    found: dict[str, list[str]] = {}
    for params in (p for group in searches.values() for p in group):  # warm-up
        search(params)
    connection.queries_log.clear()
    for _ in range(rounds):
        for kind, group in searches.items():
            for params in group:
                began = time.perf_counter()
                rows = search(params)
                times[kind].append((time.perf_counter() - began) * 1000)
                found[json.dumps(params, ensure_ascii=False)] = [getattr(r, "number", r) for r in rows]
    return times, found


def measure(rounds: int) -> list[dict[str, Any]]:
    setup()
    from django.db import connection, transaction

    searches = mix()
    count = sum(len(g) for g in searches.values())
    new, new_found = timings(ours, searches, rounds)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in NEW_INDEXES:
                cursor.execute(f'DROP INDEX "{name}"')
        base, base_found = timings(baseline, searches, 1)
        transaction.set_rollback(True)
    same = new_found == base_found
    flat = [t for group in new.values() for t in group]
    flat_base = [t for group in base.values() for t in group]
    items = connection.cursor().execute("SELECT count(*) FROM disclosure_disclosureitem").fetchone()[0]
    figure, base_figure = p95(flat), p95(flat_base)
    scale = f"{items / 1e6:g} M" if items >= 1_000_000 else f"{items:,}"
    name = f"public decision search p95, {scale} published items, {connection.vendor}"
    detail = (f"{count} searches of {len(searches)} kinds x {rounds} rounds (p95 ms per kind: "
              + ", ".join(f"{k} {p95(v):.1f}" for k, v in new.items())
              + f"); median {statistics.median(flat):.1f} ms; baseline once per search (p95 per kind: "
              + ", ".join(f"{k} {p95(v):.0f}" for k, v in base.items())
              + f"); same rows and order as the baseline for every search: {'yes' if same else 'NO'}")
    return [{"name": name, "figure": round(figure, 1), "unit": "ms", "baseline": "icontains and no list indexes "
             "(the search before)", "baseline_figure": round(base_figure, 1),
             "ratio": round(base_figure / figure, 1), "goal": "p95 <= 50 ms at 1 M",
             "met": figure <= 50 and same and items >= 1_000_000, "detail": detail}]


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"]:
        raise SystemExit("usage: python -m bench.public_search_bench measure [ROUNDS]")
    print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 5), ensure_ascii=False, default=str))
