"""Case-list benchmark (issue "Enforcement full chain"): an officer's case list and case search with 1 M cases in
the database, p95, goal ≤ 100 ms; baseline: the same reads with the case tables' secondary indexes dropped.

Each read is what the list page and `GET /api/v1/enforcement/cases` run: the count and the first page of 20 of
`enforcement.selectors.case_list` for the officer, either their own cases (`mine`), their department's, a stage,
or a search (case or decision number, party code, words of the party's name, the cause).

`python -m bench.case_bench prepare N` fills a database that has the demo seed with N cases spread over the
departments with officers (two officers each); `python -m bench.case_bench measure [ROUNDS]` prints JSON rows.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time

from bench.common import p95, setup
from bench.loading import secondary_indexes

PAGE = 20
OFFICERS = 12  # officers sampled for the reads
CAUSES = ["销售过期食品", "未取得许可从事经营", "虚假宣传", "价格欺诈", "无照经营", "销售不合格产品", "计量器具未检定",
          "未按规定公示信息", "使用不合格特种设备", "侵犯注册商标专用权", "食品经营场所卫生不合格", "商品标识不规范"]


def prepare(total: int) -> None:
    setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from jianguan.accounts.models import OfficerCredential
    from jianguan.enforcement.models import Case, CaseOfficer, CaseStatus, ClueSource, PartyKind, Procedure
    from jianguan.subjects.models import MarketEntity

    rng = random.Random(2026)
    credentials = list(OfficerCredential.objects.filter(revoked_at=None).select_related("user__department"))
    by_department: dict[int, list[OfficerCredential]] = {}
    for credential in credentials:
        by_department.setdefault(credential.user.department_id, []).append(credential)
    departments = {d: c for d, c in by_department.items() if len(c) >= 2}
    region_of = {c.user.department_id: c.user.department.region_id for c in credentials}
    entities = list(MarketEntity.objects.values_list("pk", "uscc", "name", "region_id")[:50_000])
    statuses = [s for s in CaseStatus.values]
    now = timezone.now()
    start = dt.date(2021, 1, 1)
    batch = 5_000
    made = 0
    department_ids = sorted(departments)
    while made < total:
        size = min(batch, total - made)
        cases = []
        for n in range(made, made + size):
            department = department_ids[n % len(department_ids)]
            entity = rng.choice(entities)
            received = start + dt.timedelta(days=rng.randrange(2150))
            status = rng.choice(statuses)
            cases.append(Case(
                number=f"BENCH{received.year}{n:08d}", department_id=department, region_id=region_of[department],
                procedure=Procedure.ORDINARY, status=status, source=ClueSource.INSPECTION, source_ref=f"B{n}",
                cause=rng.choice(CAUSES), summary="", entity_id=entity[0], party_name=entity[2],
                party_code=entity[1], party_kind=PartyKind.ORGANISATION, received_on=received,
                check_due=received + dt.timedelta(days=21), created_at=now, updated_at=now,
                decision_number=f"咸市监处罚〔{received.year}〕{n}号" if status in ("decided", "served", "closed",
                                                                                 "archived") else ""))
        with transaction.atomic():
            created = Case.objects.bulk_create(cases, batch_size=1000)  # keys come back (RETURNING)
            links = []
            for case in created:
                pair = rng.sample(departments[case.department_id], 2)
                links += [CaseOfficer(case_id=case.pk, user_id=c.user_id, credential_id=c.pk, lead=i == 0,
                                      assigned_on=case.received_on) for i, c in enumerate(pair)]
            CaseOfficer.objects.bulk_create(links, batch_size=2000)
        made += size
        print(f"{made:,} cases", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _reads(rng: random.Random) -> list[tuple[str, object, dict]]:
    """(kind, officer, filters) for the sampled officers: own list, department list, a stage, and searches."""
    from jianguan.accounts.models import User
    from jianguan.enforcement.models import Case, CaseOfficer

    officer_ids = list(CaseOfficer.objects.values_list("user_id", flat=True).distinct()[:500])
    officers = list(User.objects.filter(pk__in=rng.sample(officer_ids, min(OFFICERS, len(officer_ids)))))
    reads = []
    for officer in officers:
        own = list(Case.objects.filter(assignments__user=officer).values_list(
            "number", "decision_number", "party_code", "party_name", "cause")[:200])
        sample = rng.sample(own, min(3, len(own)))
        reads += [("list", officer, {"mine": True}), ("list", officer, {}),
                  ("list", officer, {"status": "investigating"})]
        for number, decision, code, name, cause in sample:
            reads += [("search", officer, {"q": number}), ("search", officer, {"q": code}),
                      ("search", officer, {"q": name[2:6]}), ("search", officer, {"q": cause})]
            if decision:
                reads.append(("search", officer, {"q": decision}))
    return reads


def _run(reads) -> dict[str, list[float]]:
    from jianguan.enforcement import selectors

    times: dict[str, list[float]] = {"list": [], "search": []}
    for kind, officer, filters in reads:
        started = time.perf_counter()
        cases = selectors.case_list(reader=officer, **filters)
        cases.count()
        list(cases[:PAGE])
        times[kind].append((time.perf_counter() - started) * 1000)
    return times


def measure(rounds: int = 3) -> list[dict]:
    setup()
    from django.db import connection, transaction

    from jianguan.enforcement.models import Case, CaseOfficer

    total = Case.objects.count()
    rng = random.Random(7)
    reads = _reads(rng)
    _run(reads[: len(reads) // 4])  # warm the caches
    measured: dict[str, list[float]] = {"list": [], "search": []}
    for _ in range(rounds):
        for kind, values in _run(reads).items():
            measured[kind] += values
    baseline: dict[str, list[float]] = {"list": [], "search": []}
    baseline_reads = rng.sample(reads, min(len(reads), 20))
    with transaction.atomic():  # the indexes come back with the rollback
        with connection.cursor() as cursor:
            for model in (Case, CaseOfficer):
                for name, _ in secondary_indexes(cursor, connection.vendor, model._meta.db_table):
                    cursor.execute(f'DROP INDEX "{name}"')
        for kind, values in _run(baseline_reads).items():
            baseline[kind] += values
        transaction.set_rollback(True)
    rows = []
    for kind, label in (("list", "an officer's case list (own, department, one stage)"),
                        ("search", "case search (number, decision number, party code, party name, cause)")):
        values, base = measured[kind], baseline[kind] or [float("nan")]
        figure, base_figure = p95(values), p95(base)
        rows.append({
            "name": f"{label}, {total:,} cases, {connection.vendor}", "figure": round(figure, 1), "unit": "ms p95",
            "baseline": "same reads with the case tables' secondary indexes dropped",
            "baseline_figure": round(base_figure, 1), "ratio": round(base_figure / figure, 1),
            "goal": "p95 <= 100 ms", "met": figure <= 100,
            "detail": f"{len(values)} reads ({len(values) // rounds} × {rounds}), count + first page of {PAGE}; "
                      f"median {statistics.median(values):.1f} ms, slowest {max(values):.1f} ms; "
                      f"baseline over {len(base)} reads"})
    return rows


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(int(sys.argv[2]))
    else:
        print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 3), ensure_ascii=False))
