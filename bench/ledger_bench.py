"""The burden ledger of one entity (issue 19, ADR 0054/0056): `joint.selectors.entity_ledger` as the page and the API
call it — the year's on-site 行政检查 records and unrecorded spot-check results of the entity, by department, with
its credit class and budget — p95, goal ≤ 20 ms at bench scale, on SQLite and on PostgreSQL.

Baseline in the same run, on the same entities: the same ledger with the entity-led indexes of the record tables it
reads (行政检查 and spot-check results) dropped inside a transaction that is rolled back, so that each entity's
records are found by reading the tables rather than by the entity's index.

Run inside a seeded database (`jianguan seed --scale bench`): `python -m bench.ledger_bench measure [ROUNDS]`
prints JSON rows (`make bench` runs it in the library step).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from typing import Any

from bench.common import p95, setup

SAMPLE = 300
BASELINE_SAMPLE = 5


def timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _entity_indexes(connection: Any) -> list[str]:
    """The non-unique indexes led by `entity_id` on the tables the ledger reads."""
    from jianguan.behaviour.models import Inspection
    from jianguan.spotchecks.models import CheckResult

    found = []
    with connection.cursor() as cursor:
        for model in (Inspection, CheckResult):
            for name, info in connection.introspection.get_constraints(cursor, model._meta.db_table).items():
                if info["index"] and not info["unique"] and not info["primary_key"] \
                        and info["columns"][:1] == ["entity_id"]:
                    found.append(name)
    return found


def measure(rounds: int = 3) -> list[dict[str, Any]]:
    setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from jianguan.accounts.models import User
    from jianguan.behaviour.models import Inspection
    from jianguan.core.errors import NotFound
    from jianguan.joint import selectors

    rng = random.Random(2026)
    reader = User.objects.select_related("department__region").get(username="scjg_officer")
    year = timezone.localdate().year
    visited = list(Inspection.objects.filter(entity__isnull=False, category="1").order_by("-pk").values_list(
        "entity__uscc", flat=True)[:SAMPLE * 20])
    codes = list(dict.fromkeys(rng.sample(visited, min(len(visited), SAMPLE * 4))))
    readable: list[str] = []
    for code in codes:
        if len(readable) >= SAMPLE:
            break
        try:  # warms the caches too
            selectors.entity_ledger(reader=reader, uscc=code, year=year)
        except NotFound:  # outside the reader's jurisdiction: left out of the sample
            continue
        readable.append(code)
    ours = [timed(lambda c=code: selectors.entity_ledger(reader=reader, uscc=c, year=year))
            for _ in range(rounds) for code in readable]
    visits = [selectors.entity_ledger(reader=reader, uscc=c, year=year)[2].count for c in readable[:50]]
    with transaction.atomic():
        dropped = _entity_indexes(connection)
        with connection.cursor() as cursor:
            for name in dropped:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        naive = [timed(lambda c=code: selectors.entity_ledger(reader=reader, uscc=c, year=year))
                 for code in readable[:BASELINE_SAMPLE]]
        transaction.set_rollback(True)
    if not ours:
        raise SystemExit("no visited entity in the city officer's jurisdiction: seed the database first")
    return [{
        "name": f"burden ledger of one entity, bench scale, {connection.vendor}",
        "figure": round(p95(ours), 1), "unit": "ms p95",
        "baseline": "the same ledger without the entity indexes of the record tables",
        "baseline_figure": round(p95(naive), 1), "ratio": round(p95(naive) / p95(ours), 1),
        "goal": "p95 <= 20 ms", "met": p95(ours) <= 20,
        "detail": f"{len(readable)} visited entities of the city officer's jurisdiction × {rounds} (about "
                  f"{statistics.mean(visits or [0]):.1f} visits each in {year}); median "
                  f"{statistics.median(ours):.1f} ms; baseline over {len(naive)} entities, {len(dropped)} indexes "
                  "dropped",
    }]


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"]:
        raise SystemExit("usage: python -m bench.ledger_bench measure [ROUNDS]")
    print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 3), ensure_ascii=False))
