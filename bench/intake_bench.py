"""Intake benchmark: records per second through `POST /api/v1/exchange/inspection/records`, end to end over HTTP,
and the server's memory as the run goes on.

    python -m bench.intake_bench --records 100000 --batch 10000 [--database URL] [--keep]

Starts the platform as `make bench` does for its HTTP rows (granian, one worker, one thread, `bench.settings`) on a
fresh database (a temporary SQLite file unless `--database` names another, which must be empty), seeds the test
organisation and a small published catalog (a 子项 claimed by the city's 市场监管局), registers a system with
`exchange:write`, then sends N valid 行政检查 records in calls of `--batch` records, one after another on one
keep-alive connection. Bodies are built before the clock starts. Reported: records/s over the whole run (first
request sent to last answer received), the median call, and the resident memory of the server's worker process
(current and peak) after 25, 50 and 100 % of the records: a flat line means memory does not grow with the total.
Also the worker's CPU time (records per CPU second: less sensitive to other load on the machine) and the load
average. Goal: at least 5,000 records/s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.run import environment, machine, manage, served

ROOT = Path(__file__).resolve().parent.parent
GOAL = 5_000

SETUP = '''
import datetime as dt, json
from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, User
from jianguan.catalog import change_requests, publishing
from jianguan.catalog.models import ChangeKind, Implementation, Law
from jianguan.subjects.models import MarketEntity

START = dt.date(2025, 1, 1)
MAIN, ITEM = "11000000000100", "11000000000101"
data_admin = User.objects.get(username="dataadmin")
reviewer = User.objects.get(username="admin")
reviewer.role_grants.get_or_create(role="data_admin")
reviewer = User.objects.get(pk=reviewer.pk)
city = Department.objects.get(kind="scjg", region_id="421200")
city_admin = User.objects.filter(department=city, role_grants__role="department_admin").first()
Law.objects.get_or_create(key="食品安全法", defaults={"title": "中华人民共和国食品安全法", "kind": "法律"})


def publish(*changes):
    for change in changes:
        change_requests.change_review(actor=reviewer, change_id=change.pk, approve=True)
    publishing.publication_publish(actor=data_admin, title="bench", change_ids=[c.pk for c in changes])


publish(change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_ADD, payload={
    "code": MAIN, "line": "scjg", "name": "食品安全监督检查", "effective_from": START}))
publish(change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_ADD, payload={
    "code": ITEM, "parent": MAIN, "effective_from": START, "name": "对食品生产者的监督检查", "action_type": "check",
    "supervised_object": "食品生产者", "supervision_method": "现场检查", "levels": [3, 4],
    "basis": [{"law": "食品安全法", "article": "第一百一十条", "clause": "", "text": "监督检查"}]}))
publish(change_requests.change_submit(actor=city_admin, kind=ChangeKind.CLAIM, payload={
    "item": ITEM, "effective_from": START, "fields": {"check_category": "现场检查", "check_method": "现场检查",
                                                     "in_random_checks": False, "check_ratio": "5%",
                                                     "check_frequency": "每年1次", "content_routine": "生产环境"}}))
client = accounts.api_client_create(actor=reviewer, name="intake-bench", department=city,
                                    scopes=["exchange:write"])
print(json.dumps({
    "key": accounts.api_key_issue(actor=reviewer, client=client), "department": [city.uscc, city.name],
    "implementation": Implementation.objects.get(item__code=ITEM, body=city).code, "item": ITEM,
    "entities": list(MarketEntity.objects.order_by("uscc").values_list("uscc", "name", "region_id")[:200])}))
'''


def records(setup: dict, start: int, count: int) -> list[dict]:
    uscc, name = setup["department"]
    entities = setup["entities"]
    found = []
    for n in range(start, start + count):
        entity_uscc, entity_name, _ = entities[n % len(entities)]
        found.append({
            "record_id": f"BENCH-{n:09d}", "department_name": name, "department_code": uscc, "object_type": "entity",
            "object_name": entity_name, "party_name": entity_name,
            "party_nature": "individual" if entity_uscc.startswith("92") else "organisation",
            "party_id_type": "001", "party_code": entity_uscc, "region_code": "421202",
            "catalog_code": setup["item"], "implementation_code": setup["implementation"],
            "name": "食品生产日常检查", "number": f"JC-B-{n:09d}", "form": "日常检查", "category": "1",
            "method": "现场检查", "result": "1", "date": "2025-06-03", "inspectors": ["张伟", "李强"],
            "credential_numbers": ["4212000000001", "4212000000002"], "reported_at": "2025-06-06 10:00:00",
            "reported_by": "王明"})
    return found


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.append(current)
        try:
            pending += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            continue
    return found


def worker(pid: int) -> int:
    """The process under `pid` that holds the most memory: granian's worker, where the application runs."""
    sizes = {}
    for current in _tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        sizes[current] = int(fields.get("VmRSS", "0 kB").split()[0])
    return max(sizes, key=sizes.get)


def memory(pid: int) -> dict[str, int]:
    """{"rss": kB, "peak": kB} of a process (VmRSS, VmHWM)."""
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {"rss": int(fields["VmRSS"].split()[0]), "peak": int(fields["VmHWM"].split()[0])}


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(total: int, batch: int, database: str | None, keep: bool) -> dict:
    var = Path(tempfile.mkdtemp(prefix="jianguan-intake-bench-"))
    env = {**environment(var, "bench.settings"), "JIANGUAN_PROXY_SSL_HEADER": "X-Forwarded-Proto"}  # as behind TLS
    if database:
        env["JIANGUAN_DATABASE_URL"] = database
    manage(env, "migrate")
    manage(env, "seed", "--scale", "test", "--no-progress")
    setup = json.loads(manage(env, "shell", "--no-imports", "-c", SETUP).stdout.strip().splitlines()[-1])
    try:
        with served(env) as (port, server):
            bodies = [json.dumps(records(setup, start, min(batch, total - start)), ensure_ascii=False).encode()
                      for start in range(0, total, batch)]
            marks = {max(1, round(len(bodies) * share)): label for share, label in ((0.25, "25%"), (0.5, "50%"),
                                                                                 (1.0, "100%"))}
            app = worker(server.pid)
            before, cpu_before = memory(app), cpu_seconds(app)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            headers = {"Content-Type": "application/json", "X-API-Key": setup["key"], "X-Forwarded-Proto": "https"}
            calls, rss, accepted = [], {}, 0
            started = time.perf_counter()
            for number, body in enumerate(bodies, start=1):
                sent = time.perf_counter()
                connection.request("POST", "/api/v1/exchange/inspection/records", body=body, headers=headers)
                response = connection.getresponse()
                answer = json.loads(response.read())
                calls.append(time.perf_counter() - sent)
                if response.status != 200 or answer["rejected"]:
                    raise SystemExit(f"call {number}: {response.status} {str(answer)[:2000]}")
                accepted += answer["accepted"]
                if number in marks:
                    rss[marks[number]] = memory(app)
            seconds = time.perf_counter() - started
            cpu = cpu_seconds(app) - cpu_before
            load = os.getloadavg()[0]
            connection.close()
    finally:
        if not keep:
            shutil.rmtree(var, ignore_errors=True)
    rate = accepted / seconds
    return {
        "name": "exchange intake, records/s over HTTP (POST /api/v1/exchange/inspection/records)",
        "figure": round(rate), "unit": "records/s", "records": accepted, "batch": batch,
        "seconds": round(seconds, 1), "median_call_seconds": round(statistics.median(calls), 2),
        "server_cpu_seconds": round(cpu, 1), "records_per_server_cpu_second": round(accepted / cpu),
        "load_average_1min_at_end": round(load, 2),
        "database": "given" if database else "SQLite (temporary file)",
        "memory_kb": {"before": before, **rss}, "goal": f">= {GOAL:,} records/s", "met": rate >= GOAL,
        "machine": machine(), "kept": str(var) if keep else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000, help="records per call (at most 10,000)")
    parser.add_argument("--database", help="a database URL (empty database) instead of a temporary SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database) afterwards")
    options = parser.parse_args()
    if not 1 <= options.batch <= 10_000:
        parser.error("--batch must be between 1 and 10000")
    os.chdir(ROOT)
    result = run(options.records, options.batch, options.database, options.keep)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
