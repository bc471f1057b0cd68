"""Draw benchmark (issue "双随机一公开") at bench scale: about 1 M objects, 2,000 inspectors (each covering one
township, as 网格 officers do), 5 % drawn, 2 inspectors per object.

- the draw from the frozen pool (`protocol.run`: counts, object keys, selection, assignment), per million pool
  objects, goal ≤ 1 s;
- the whole draw from the database (`draw_commit`: freeze and hash; `draw_reveal`: select, assign, store the
  draw), goal ≤ 10 s; a draw this large leaves its result rows (one per drawn object, with its inspectors) to a
  background task, timed apart and reported with it;
- the standard-library verifier on the transcript, as a whole process, goal within the same bounds;
- baseline: `ORDER BY RANDOM() LIMIT n` per stratum on the same pool query, in the same run.

Run inside a seeded bench-scale database: `python -m bench.draw_bench measure [ROUNDS]` prints JSON rows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from bench.common import setup

INSPECTORS = 2_000
UNUSABLE = "!"  # no password: these officers never sign in
RATIO = "0.05"


def _inspectors(department, townships: list[str]) -> None:
    from django.db import transaction

    from jianguan.accounts.models import OfficerCredential, RoleGrant, User
    from jianguan.spotchecks.models import Inspector

    if User.objects.filter(username="bench_inspector_0000").exists():  # measured before in this database
        return
    rng = random.Random(2026)
    with transaction.atomic():
        users = User.objects.bulk_create([User(username=f"bench_inspector_{n:04d}", full_name=f"检查员{n:04d}",
                                               department=department, password=UNUSABLE) for n in range(INSPECTORS)])
        RoleGrant.objects.bulk_create([RoleGrant(user=u, role="officer") for u in users])
        OfficerCredential.objects.bulk_create([OfficerCredential(
            user=u, number=f"BENCH{n:06d}", issued_by="bench", valid_from=dt.date(2024, 1, 1),
            valid_to=dt.date(2029, 12, 31), domains=["市场监管"], qualifications=["食品"])
            for n, u in enumerate(users)])
        Inspector.objects.bulk_create([Inspector(user=u, areas=[rng.choice(townships)]) for u in users])


def calibration() -> float:
    """Seconds for 1 M SHA-256 object keys in one process: shared machines change speed within the hour, and this
    figure, taken in the same run, lets rows of different runs be compared."""
    from jianguan.spotchecks import protocol

    ids = [f"91421200MA{n:08d}" for n in range(1_000_000)]
    seed = bytes(32)
    started = time.perf_counter()
    for object_id in ids:
        protocol.object_key(seed, object_id)
    return time.perf_counter() - started


def measure(rounds: int = 3) -> list[dict]:
    setup()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from jianguan.accounts.models import Department, DepartmentKind, Region, RegionLevel, User
    from jianguan.catalog.contracts import random_check_rows
    from jianguan.core.actors import SystemActor
    from jianguan.core.roles import Role
    from jianguan.spotchecks import drawing, plans, pools, protocol, task_setup

    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id=settings.JIANGUAN_LOCALITY)
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP, path__startswith=city.region.path)
                     .values_list("code", flat=True))
    _inspectors(city, townships)
    admin = User.objects.filter(department=city, role_grants__role=Role.DEPARTMENT_ADMIN).first()
    today = timezone.localdate()
    window = (today + dt.timedelta(days=30), today + dt.timedelta(days=90))
    code = random_check_rows(body_id=city.pk, start=window[0], end=window[1])[0]
    plan = plans.plan_create(actor=admin, year=today.year, title="基准测试计划")
    pure, selects, whole, commits, writes, verifies, baseline, pool_size, drawn = [], [], [], [], [], [], [], 0, 0
    for n in range(rounds):
        task = task_setup.task_create(actor=admin, plan_id=plan.pk, name=f"基准测试任务{n}", items=[code],
                                      window_start=window[0], window_end=window[1], strata={"ALL": {"ratio": RATIO}},
                                      max_objects_per_inspector=400)
        task_setup.task_publish(actor=admin, task_id=task.pk)
        moment = timezone.now()
        beacon = {"source": "witness", "witness": "bench",
                  "due": (moment + dt.timedelta(seconds=1)).isoformat(timespec="seconds")}
        started = time.perf_counter()
        draw = drawing.draw_commit(actor=admin, task_id=task.pk, beacon=beacon, now=moment)
        committed = time.perf_counter()
        value = f"{random.Random(n).getrandbits(256):064x}"
        draw = drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=value,
                                   now=moment + dt.timedelta(seconds=2))
        whole.append(time.perf_counter() - started)
        commits.append(committed - started)
        began = time.perf_counter()
        if draw.results_pending:  # the background task's work, done here (no worker runs in this process)
            drawing.draw_results_write(actor=SystemActor("bench"), draw_id=draw.pk)
            writes.append(time.perf_counter() - began)
        pool_size = sum(len(ids) for ids in draw.frozen["pool"].values())
        drawn = sum(len(ids) for ids in draw.result["selected"].values())
        began = time.perf_counter()
        protocol.run(draw.frozen, value)
        pure.append(time.perf_counter() - began)
        began = time.perf_counter()
        protocol.select(bytes.fromhex(draw.seed), draw.frozen["strata"], draw.frozen["pool"])
        selects.append(time.perf_counter() - began)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
            json.dump(drawing.transcript(draw), out, ensure_ascii=False)
        began = time.perf_counter()
        checked = subprocess.run([sys.executable, "-m", "jianguan.spotchecks.verify", out.name], capture_output=True,
                                 text=True)
        verifies.append(time.perf_counter() - began)
        os.unlink(out.name)
        if checked.stdout.strip() != "OK":
            raise SystemExit(f"verifier disagrees: {checked.stdout}")
        query = pools.pool_queryset(task).values_list("uscc", flat=True)
        sql, params = query.query.sql_with_params()
        random_order = "RANDOM()" if connection.vendor in ("sqlite", "postgresql") else "RAND()"
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM ({sql}) p ORDER BY {random_order} LIMIT %s", [*params, drawn])  # noqa: S608
            cursor.fetchall()
        baseline.append(time.perf_counter() - began)
    per_million = statistics.median(selects) / (pool_size / 1_000_000)
    machine = (f"{connection.vendor}, pool {pool_size:,}, {drawn:,} drawn, {INSPECTORS:,} inspectors, 2 per object; "
               f"this machine hashed 1 M object keys in one process in {calibration():.2f} s")
    rows_written = (f"the {drawn:,} result rows and their inspector links, written afterwards by the background "
                    f"task, median {statistics.median(writes):.2f} s" if writes else "result rows written by the "
                    "reveal itself (JIANGUAN_DRAW_INLINE_RESULTS)")
    return [
        {"name": f"draw from the frozen pool, per million objects ({connection.vendor})",
         "figure": round(per_million, 2), "unit": "s", "baseline": "ORDER BY RANDOM() LIMIT n on the pool query",
         "baseline_figure": round(statistics.median(baseline), 2),
         "ratio": round(statistics.median(baseline) / statistics.median(selects), 2), "goal": "<= 1 s per million",
         "met": per_million <= 1,
         "detail": f"{machine}; protocol.select (checks of the pool, keys of every pool object, the n smallest per "
                   f"stratum; {protocol._workers(None)} processes), median of {rounds}; the whole protocol.run (input "
                   f"checks, commitment, selection, assignment): {statistics.median(pure):.2f} s (the baseline "
                   "assigns no inspector and proves nothing)"},
        {"name": f"whole draw from the database: freeze, hash, select, assign ({connection.vendor})",
         "figure": round(statistics.median(whole), 2), "unit": "s",
         "baseline": "ORDER BY RANDOM() LIMIT n on the pool query",
         "baseline_figure": round(statistics.median(baseline), 2),
         "ratio": round(statistics.median(baseline) / statistics.median(whole), 2), "goal": "<= 10 s",
         "met": statistics.median(whole) <= 10,
         "detail": f"{machine}; commit (freeze + hash) median {statistics.median(commits):.2f} s; rounds (each "
                   f"adds its assignments to the next one's rotation exclusions): "
                   f"{', '.join(f'{s:.2f}' for s in whole)}; {rows_written}"},
        {"name": f"verifier on the transcript, whole process ({connection.vendor})",
         "figure": round(statistics.median(verifies), 2), "unit": "s",
         "baseline": "ORDER BY RANDOM() LIMIT n on the pool query",
         "baseline_figure": round(statistics.median(baseline), 2),
         "ratio": round(statistics.median(baseline) / statistics.median(verifies), 2), "goal": "<= 10 s",
         "met": statistics.median(verifies) <= 10,
         "detail": f"{machine}; python -m jianguan.spotchecks.verify (standard library only), median of {rounds}"},
    ]


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"]:
        raise SystemExit("usage: python -m bench.draw_bench measure [ROUNDS]")
    print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 3), ensure_ascii=False))
