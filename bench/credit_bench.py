"""Credit-risk classification benchmark (issue "Credit supervision", item 1): classify every entity of a seeded
database (`jianguan seed --scale bench`: 1 M entities, about 10 M records; or `--entities N`) on SQLite or
PostgreSQL, goal ≤ 60 s at 1 M with memory bounded.

Timed: a whole run as the command and the task do it (`classification.run_start` + `run_execute`: the grouped
aggregates streamed in chunks of 50,000 entities, scoring, the monotonicity tally, the cut-offs and the copy of
every entity's row). Baseline in the same process: the same scorecard computed entity by entity through the ORM
(`features.entity_values`, a query per library and count, then `classing.score`) on a random sample, extrapolated
to every entity. Memory: the process's peak resident size before and after the run.

Run inside a seeded database: `python -m bench.credit_bench measure [SAMPLE]` prints JSON rows.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import time

from bench.common import setup

SAMPLE = 300


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process and, on PostgreSQL, of its server backend (the machine is shared: wall time
    depends on the others' load, CPU time much less)."""
    from django.db import connection

    spent = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        spent += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return spent


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _ensure_scorecard() -> None:
    """The demo scorecard published by the head of the city 市场监督管理局 (the seed does it; a database seeded
    without the step gets it here, untimed)."""
    from jianguan.accounts.models import User
    from jianguan.core.roles import Role
    from jianguan.credit import classification
    from jianguan.credit.models import Scorecard
    from jianguan.credit.seed import DEMO_SCORECARD

    if Scorecard.objects.exists():
        return
    department = classification.publisher_department_id()
    head = next(u for u in User.objects.filter(department_id=department) if u.has_role(Role.HEAD))
    classification.scorecard_publish(name=DEMO_SCORECARD[0], version=DEMO_SCORECARD[1], actor=head)


def measure(sample_size: int = SAMPLE) -> list[dict]:
    setup()
    from django.db import connection
    from django.utils import timezone

    from jianguan.core.actors import SystemActor
    from jianguan.credit import classification, classing, features
    from jianguan.credit import scorecard as cards
    from jianguan.subjects.models import MarketEntity

    _ensure_scorecard()
    actor = SystemActor("bench:credit")
    total = MarketEntity.objects.count()
    before, load_before = _peak_mib(), _load()
    cpu = _cpu_seconds()
    started = time.perf_counter()
    run = classification.run_start(actor=actor)
    done = classification.run_execute(run_id=run.pk, actor=actor)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    after, load_after = _peak_mib(), _load()

    card = cards.parse(done.scorecard.definition, "bench.json")
    top = MarketEntity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(2026)
    ids = sorted({rng.randrange(1, top + 1) for _ in range(sample_size * 2)})
    ids = list(MarketEntity.objects.filter(pk__in=ids).values_list("pk", flat=True))[:sample_size]
    as_of = timezone.localdate()
    begun = time.perf_counter()
    for pk in ids:
        values, _ = features.entity_values(pk, as_of=as_of)
        classing.score(card, values)
    per_entity = (time.perf_counter() - begun) / max(1, len(ids))
    baseline = per_entity * total
    records = _records()
    return [{
        "name": f"credit-risk classification of every entity, {total:,} entities, {connection.vendor}",
        "figure": round(seconds, 1), "unit": "s",
        "baseline": f"the same scorecard entity by entity through the ORM ({len(ids)} sampled, extrapolated)",
        "baseline_figure": round(baseline, 1), "ratio": round(baseline / seconds, 1),
        "goal": "1 M entities (about 10 M records) in <= 60 s, memory bounded",
        "met": seconds <= 60 and total >= 1_000_000,
        "detail": f"run {done.number}: {done.entities:,} entities over {records:,} records, classes "
                  f"{', '.join(f'{k} {v:,}' for k, v in done.shares.items())}, "
                  f"{len(done.violations)} monotonicity problems; peak RSS {before:.0f} MiB before the run, "
                  f"{after:.0f} MiB after; CPU {cpu:.1f} s (this process"
                  f"{' and its PostgreSQL backend' if connection.vendor == 'postgresql' else ''}); load average "
                  f"(1, 5, 15 min) {load_before} before the run, {load_after} after, on a shared machine; "
                  f"baseline {per_entity * 1000:.1f} ms an entity",
    }]


def _records() -> int:
    from jianguan.behaviour.models import Coercion, Inspection, OtherAction, Penalty
    from jianguan.complaints.models import Complaint
    from jianguan.credit.models import CreditRecord
    from jianguan.subjects.models import Licence, RegistrationEvent

    return sum(m.objects.count() for m in (Inspection, Penalty, Coercion, OtherAction, Complaint, CreditRecord,
                                            Licence, RegistrationEvent))


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"]:
        raise SystemExit("usage: python -m bench.credit_bench measure [SAMPLE]")
    print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else SAMPLE), ensure_ascii=False))
