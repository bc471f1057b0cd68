"""The burden ledger of one entity (issue 19, ADR 0054/0056): `joint.selectors.entity_ledger` as the page and the API
call it — the year's on-site 行政检查 records and unrecorded spot-check results of the entity, by department, with
its credit class and budget — p95, goal ≤ 20 ms at bench scale, on SQLite and on PostgreSQL.

Baseline in the same run, on the same entities: the same ledger read the plain ORM way — the entity by its code,
its records and results as model instances, each one's department fetched when its name is read, the class from
the classification in force — with the same answer (checked on a sample).

Run inside a seeded database (`jianguan seed --scale bench`, or `python -m bench.ledger_data build N` in minutes):
`python -m bench.ledger_bench measure [ROUNDS]` prints JSON rows (`make bench` runs it in the library step, and
`make bench BENCH_ARGS="--only ledger --entities N"` alone).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from typing import Any

from bench.common import p95, setup

SAMPLE = 300
BASELINE_SAMPLE = 50


def timed(call: Any) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def orm_ledger(uscc: str, year: int) -> tuple[tuple[tuple[Any, tuple[str, ...]], ...], tuple[tuple[str, int], ...]]:
    """The baseline: the ledger's visits and departments' counts read the plain ORM way."""
    from collections import defaultdict

    from jianguan.behaviour.models import Inspection
    from jianguan.credit import contracts as credit
    from jianguan.spotchecks.models import CheckResult
    from jianguan.subjects.models import MarketEntity

    entity = MarketEntity.objects.get(uscc=uscc)
    by_day: dict[Any, set[str]] = defaultdict(set)
    for inspection in Inspection.objects.filter(entity=entity, date__year=year, category="1",
                                                withdrawn_at__isnull=True):
        by_day[inspection.date].add(inspection.department.name)
    for result in CheckResult.objects.filter(entity=entity, checked_on__year=year):
        if not result.inspection_numbers:
            by_day[result.checked_on].add(result.draw.task.lead.name)
    credit.class_letters([entity.pk])
    counts: dict[str, int] = defaultdict(int)
    for names in by_day.values():
        for name in names:
            counts[name] += 1
    return tuple((day, tuple(sorted(by_day[day]))) for day in sorted(by_day)), tuple(sorted(counts.items()))


def measure(rounds: int = 3) -> list[dict[str, Any]]:
    setup()
    from django.db import connection
    from django.utils import timezone

    from jianguan.accounts.models import User
    from jianguan.behaviour.models import Inspection
    from jianguan.core.errors import NotFound
    from jianguan.joint import selectors

    load_before = os.getloadavg()
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
    for code in readable[:BASELINE_SAMPLE]:  # the same answer both ways
        found = selectors.entity_ledger(reader=reader, uscc=code, year=year)[2]
        expected = (tuple((v.day, v.departments) for v in found.visits), found.by_department)
        if orm_ledger(code, year) != expected:
            raise SystemExit(f"the ledger and the ORM baseline differ for {code}")
    naive = [timed(lambda c=code: orm_ledger(c, year)) for _ in range(rounds) for code in readable[:BASELINE_SAMPLE]]
    records = Inspection.objects.filter(entity__isnull=False, category="1").count()
    entities = Inspection.objects.filter(entity__isnull=False, category="1").values("entity_id").distinct().count()
    if not ours:
        raise SystemExit("no visited entity in the city officer's jurisdiction: seed the database first")
    return [{
        "name": f"burden ledger of one entity, bench scale, {connection.vendor}",
        "figure": round(p95(ours), 1), "unit": "ms p95",
        "baseline": "the same ledger the plain ORM way (model instances, each department fetched per row)",
        "baseline_figure": round(p95(naive), 1), "ratio": round(p95(naive) / p95(ours), 1),
        "goal": "p95 <= 20 ms", "met": p95(ours) <= 20,
        "detail": f"{len(readable)} visited entities of the city officer's jurisdiction × {rounds} (about "
                  f"{statistics.mean(visits or [0]):.1f} visits each in {year}); median "
                  f"{statistics.median(ours):.1f} ms; on-site records {records:,} over {entities:,} entities since "
                  f"2024 ({records / max(entities, 1):.1f} each); baseline over {BASELINE_SAMPLE} entities × {rounds}, "
                  "the same answers; load average (1, 5, 15 min) "
                  f"{', '.join(f'{x:.1f}' for x in load_before)} before, "
                  f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} after, on a machine shared with other work",
    }]


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"]:
        raise SystemExit("usage: python -m bench.ledger_bench measure [ROUNDS]")
    print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 3), ensure_ascii=False))
