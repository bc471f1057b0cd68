"""Library benchmarks (issue "Object library … information chain"), at bench scale (1 M entities, about 10 M
records) on SQLite and on PostgreSQL:

- the information chain of one entity (`chain.selectors.chain_get`, as the page and the API call it), p95,
  goal ≤ 30 ms, against the same per-kind queries with the entity indexes of the record tables dropped;
- entity search (count and first page of `subjects.selectors.entity_search`), p95, goal ≤ 100 ms, against a plain
  substring match (`LIKE '%word%'`) on name, former names, legal representative and address.

Run inside a seeded database (`jianguan seed --scale bench`): `python -m bench.library_bench measure` prints JSON.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time

from bench.common import p95, setup

CHAIN_SAMPLE = 300
BASELINE_CHAIN_SAMPLE = 6
SEARCHES = 40


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _entity_indexes(connection) -> list[tuple[str, str, str]]:
    """(table, index, column) of every index led by `entity_id` on the record tables the chain reads."""
    from jianguan.behaviour.models import Coercion, Inspection, OtherAction, Penalty
    from jianguan.complaints.models import Complaint
    from jianguan.credit.models import CreditRecord
    from jianguan.subjects.models import Licence, RegistrationEvent

    found = []
    with connection.cursor() as cursor:
        for model in (Inspection, Penalty, Coercion, OtherAction, Complaint, CreditRecord, Licence,
                      RegistrationEvent):
            table = model._meta.db_table
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                if info["index"] and not info["unique"] and not info["primary_key"] \
                        and info["columns"][:1] == ["entity_id"]:
                    found.append((table, name, info["columns"]))
    return found


def measure(rounds: int = 3) -> list[dict]:
    setup()
    from django.db import connection, transaction
    from django.db.models import Exists, OuterRef, Q

    from jianguan.accounts.models import User
    from jianguan.chain.selectors import chain_get
    from jianguan.subjects import selectors
    from jianguan.subjects.models import FormerName, MarketEntity

    rng = random.Random(2026)
    reader = User.objects.select_related("department__region").get(username="scjg_officer")
    visible = MarketEntity.objects.visible_to(reader)
    total = visible.count()
    ids = [rng.randrange(1, MarketEntity.objects.order_by("-pk").values_list("pk", flat=True).first())
           for _ in range(CHAIN_SAMPLE * 2)]
    codes = list(visible.filter(pk__in=ids).values_list("uscc", flat=True))[:CHAIN_SAMPLE]
    records = sum(len(chain_get(reader=reader, uscc=code).entries) for code in codes[:50]) / 50
    for code in codes[:20]:  # warm the caches
        chain_get(reader=reader, uscc=code)
    ours = [timed(lambda c=code: chain_get(reader=reader, uscc=c)) for code in codes]
    with transaction.atomic():
        dropped = _entity_indexes(connection)
        with connection.cursor() as cursor:
            for _table, name, _columns in dropped:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        naive = [timed(lambda c=code: chain_get(reader=reader, uscc=c)) for code in codes[:BASELINE_CHAIN_SAMPLE]]
        transaction.set_rollback(True)
    rows = [{
        "name": f"information chain of one entity, bench scale ({total:,} entities), {connection.vendor}",
        "figure": round(p95(ours), 1), "unit": "ms p95",
        "baseline": "the same per-kind queries without the entity indexes", "baseline_figure": round(p95(naive), 1),
        "ratio": round(p95(naive) / p95(ours), 1), "goal": "p95 <= 30 ms", "met": p95(ours) <= 30,
        "detail": f"{len(ours)} random entities of the city officer's jurisdiction (about {records:.0f} entries "
                  f"each); median {statistics.median(ours):.1f} ms; baseline over {len(naive)} entities, "
                  f"{len(dropped)} indexes dropped",
    }]

    sample = list(MarketEntity.objects.filter(pk__in=ids[:SEARCHES]).values_list(
        "uscc", "name", "legal_representative", "registered_address"))
    former = list(FormerName.objects.order_by("?").values_list("name", flat=True)[:5])
    queries = []
    for index, (uscc, name, person, address) in enumerate(sample):
        queries.append([name[2:6], person, address[-9:-3], uscc[:10], f"{name[:2]} {name[-4:-2]}"][index % 5])
    queries += [n[2:6] for n in former]

    def ours_search(query: str) -> None:  # as the page and the API: the total (known to the search) and page 1
        found = selectors.entity_search(reader=reader, q=query)
        found.entities.count() if found.count is None else found.count
        list(found.entities[:20])

    def naive_search(query: str) -> None:
        found = visible
        for word in query.split():
            found = found.filter(Q(name__contains=word) | Q(legal_representative__contains=word)
                                 | Q(registered_address__contains=word) | Q(uscc__startswith=word)
                                 | Exists(FormerName.objects.filter(entity=OuterRef("pk"), name__contains=word)))
        found.count()
        list(found.order_by("uscc")[:20])

    for query in queries[:5]:
        ours_search(query)
    timings = [(timed(lambda q=q: ours_search(q)), q) for _ in range(rounds) for q in queries]
    mine = [ms for ms, _ in timings]
    slowest = ", ".join(f"“{q}” {ms:.0f} ms" for ms, q in sorted(timings, reverse=True)[:3])
    plain = [timed(lambda q=q: naive_search(q)) for q in queries[:10]]
    rows.append({
        "name": f"entity search, bench scale ({total:,} entities), {connection.vendor}",
        "figure": round(p95(mine), 1), "unit": "ms p95",
        "baseline": "LIKE '%word%' on name, former names, legal representative, address", "baseline_figure":
            round(p95(plain), 1), "ratio": round(p95(plain) / p95(mine), 1), "goal": "p95 <= 100 ms",
        "met": p95(mine) <= 100,
        "detail": f"{len(queries)} queries (name fragments, legal representatives, address fragments, code "
                  f"prefixes, two words, former names) × {rounds}, total + first page of 20, as the page and the "
                  f"API; median {statistics.median(mine):.1f} ms; slowest: {slowest}; baseline over {len(plain)} "
                  "queries",
    })
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"]:
        raise SystemExit("usage: python -m bench.library_bench measure [ROUNDS]")
    print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 3), ensure_ascii=False))
