"""`make bench`: measure, with each figure's baseline in the same run, and write bench/results.json and the
table in BENCHMARKS.md.

Rows:
- seed rate at city scale (300 k entities, SQLite): `jianguan seed --scale city` against the same rows saved
  with the ORM's bulk_create (bench/seed_orm.py); goal: the city scale in 60 s or less.
- requests per second of the public home page and of an authenticated JSON read (`GET /api/v1/subjects/{uscc}`
  with a bearer token) against a bare Django view on the same server (granian, one worker, same middleware);
  goal: at least half the bare view's rate. Load from wrk (Debian package), 1 thread, 8 connections, 10 s,
  three rounds interleaved, the median taken. The server runs one process with one thread, as production runs
  one such process per core (Python threads only contend for the interpreter on this CPU-bound work).

- the draw of a spot-check task at bench scale (bench/draw_bench.py): from the frozen pool, whole from the
  database, and the verifier, against `ORDER BY RANDOM() LIMIT n`;
- the information chain of one entity and entity search at bench scale (1 M entities, about 10 M records), on
  SQLite and on PostgreSQL, against the chain's queries without their indexes and a plain LIKE search
  (bench/library_bench.py); goals: p95 ≤ 30 ms and ≤ 100 ms.

- an officer's case list and case search with 1 M cases (bench/case_bench.py), p95 ≤ 100 ms, against the same
  reads without the case tables' secondary indexes; a 行政处罚决定书 PDF (bench/pdf_bench.py), ≤ 1 s;
- the quality check of 行政检查 records (bench/quality_bench.py), ≥ 100 k records/s on one core and ≥ 3× a
  per-record pydantic model of the same rules; HTTP intake (bench/intake_bench.py), ≥ 5 k records/s with flat
  memory.

- risk early warning (bench/risk_bench.py): 1 M ad and listing lines scanned by the five models and 1 M alerts
  re-scored on both cores, ≤ 60 s, against the same lexicons as a `str.find` loop per word (with the check that
  both find the same hits on text written as listed); one text through `POST /api/v1/risk/scan`, p95 ≤ 20 ms.
- the credit-risk classification of every entity at bench scale (bench/credit_bench.py), SQLite and PostgreSQL,
  ≤ 60 s at 1 M entities, against the same scorecard entity by entity through the ORM on a sample, extrapolated;
  run inside the library row's databases, or alone with `--only credit --entities N` at a chosen scale.

- redaction of 100 k decisions' texts on one core (bench/redaction_bench.py), ≥ 2,000 decisions/s, against every
  rule by `re.finditer` over each field (the engine's reference), with the check that both make the same masks.

- joint supervision (bench/joint_bench.py): merge proposals for a city plan of 200 tasks over 300 k entities,
  ≤ 5 s, against a pairwise comparison of the tasks' object lists (the same proposals from both); the burden
  ledger of one entity (bench/ledger_bench.py, in the library row's databases), p95 ≤ 20 ms, against the same
  ledger read the plain ORM way (the records as model instances, each department fetched per row); alone with
  `--only ledger --entities N` in a database built by bench/ledger_data.py.
- the public decision search (bench/public_search_bench.py) over 1 M published disclosure items built by
  bench/disclosure_data.py, SQLite and PostgreSQL, p95 <= 50 ms, against the search before (icontains, no list
  indexes), with the check that both find the same rows in the same order.

- the knowledge base's search (bench/laws_bench.py) over 50,000 synthetic articles, SQLite and PostgreSQL,
  p95 <= 50 ms, against `icontains` over every article, with the check that both find the same rows in order.
- the case library (bench/casebook_bench.py): its search over 100,000 entries and the similar cases over
  1,000,000, p95 <= 50 ms, against the search without terms and the fines read into Python, same results checked.
- the leaders' dashboard (bench/leaders_bench.py), server time p95 <= 1 s at bench scale, in the library row's
  databases (or alone with `--only leaders --entities N`), against the same page counting its figures per request.
- non-on-site supervision's ingestion (bench/remote_bench.py): readings through the real receivers (HJ 212 over TCP
  and MQTT through Mosquitto, 2,000 points) into the intake, ≥ 10,000 readings/s with flat memory, against one ORM
  save and one rule query per reading; the latency from a reading to its alarm under that load, p95 ≤ 1 s.

Options: --only seed|http|catalog|library|enforcement|exchange|risk|credit|ledger|redaction|joint|public_search|laws|
casebook|remote|leaders, --rounds N, --vendor, --entities N, --items N, --articles N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "BENCHMARKS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
CITY_ENTITIES = 300_000


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return (f"{model}, {os.cpu_count()} cores, {memory} GiB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def environment(var: Path, settings: str = "jianguan.config.settings") -> dict[str, str]:
    return {**os.environ, "JIANGUAN_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": settings,
            "JIANGUAN_SECRET_KEY": "bench-only-secret", "JIANGUAN_DEBUG": "false", "JIANGUAN_LOG_LEVEL": "ERROR"}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jianguan", *args], env=env, check=True, capture_output=True,
                          text=True)


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


# The seed-rate row times the foundation's steps (organisation, people, entities, the catalog); the libraries'
# steps fill millions of records and are timed on their own (bench_library).
LIBRARY_STEPS = ("登记与许可", "检索索引", "监管行为", "投诉举报", "信用记录")


def bench_seed(rounds: int) -> list[dict]:
    ours, baseline = [], []
    skip = [arg for step in LIBRARY_STEPS for arg in ("--skip", step)]
    for _ in range(rounds):
        for bucket, command in ((ours, [sys.executable, "-m", "jianguan", "seed", "--scale", "city", "--no-progress",
                                        *skip]),
                                (baseline, [sys.executable, "-m", "bench.seed_orm", "city", *LIBRARY_STEPS])):
            with tempfile.TemporaryDirectory(prefix="jianguan-bench-") as var:
                env = environment(Path(var))
                manage(env, "migrate")
                bucket.append(timed(command, env))
    seconds, base_seconds = statistics.median(ours), statistics.median(baseline)
    return [{
        "name": "seed rate, city scale (300 k entities + organisation), SQLite",
        "figure": round(CITY_ENTITIES / seconds), "unit": "entities/s",
        "detail": f"median {seconds:.1f} s over {rounds} runs (runs: {', '.join(f'{s:.1f}' for s in ours)})",
        "baseline": "same rows via Django bulk_create (1,000 per statement)",
        "baseline_figure": round(CITY_ENTITIES / base_seconds), "ratio": round(base_seconds / seconds, 2),
        "goal": "city scale in <= 60 s", "met": seconds <= 60,
    }]


def bench_library(rounds: int, vendors: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    """The chain and entity search at bench scale, on SQLite and on a throw-away PostgreSQL cluster: each database
    seeded whole (`jianguan seed --scale bench`, timed), then measured in-process (bench/library_bench.py)."""
    rows = []
    for vendor in vendors:
        with bench_database(vendor) as env:
            manage(env, "migrate")
            seconds = timed([sys.executable, "-m", "jianguan", "seed", "--scale", "bench", "--no-progress"], env)
            measured = []
            # one failing keeps the others' rows
            for module in ("bench.library_bench", "bench.draw_bench", "bench.credit_bench", "bench.ledger_bench",
                           "bench.leaders_bench"):
                done = subprocess.run([sys.executable, "-m", module, "measure", str(rounds)], env=env,
                                      capture_output=True, text=True)
                if done.returncode:
                    print(f"{module} failed on {vendor}:\n{done.stderr[-3000:]}", file=sys.stderr)
                else:
                    measured += json.loads(done.stdout)
        for row in measured:
            row["detail"] += f"; database seeded by `jianguan seed --scale bench` in {seconds:.0f} s"
            rows.append(row)
    return rows


def bench_leaders(entities: int, rounds: int, vendors: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    """The leaders' dashboard alone (bench/leaders_bench.py) in a database seeded at the bench scale's choices with
    `entities` entities; at the full scale the library row measures it in its databases."""
    rows = []
    for vendor in vendors:
        with bench_database(vendor) as env:
            manage(env, "migrate")
            seconds = timed([sys.executable, "-m", "jianguan", "seed", "--scale", "bench", "--entities", str(entities),
                             "--no-progress"], env)
            done = subprocess.run([sys.executable, "-m", "bench.leaders_bench", "measure", str(rounds * 7)], env=env,
                                  capture_output=True, text=True, check=True)
        for row in json.loads(done.stdout):
            row["detail"] += (f"; database seeded by `jianguan seed --scale bench --entities {entities}` in "
                              f"{seconds:.0f} s")
            rows.append(row)
    return rows


def bench_credit(entities: int, vendors: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    """The credit-risk classification alone (bench/credit_bench.py) at a chosen scale: each database built by
    bench/credit_data.py (the seed's steps for what the classification reads, in bulk: N entities and their
    libraries), then one run timed with its ORM baseline. At the full scale the library row runs it too, in the
    database `jianguan seed --scale bench` seeds."""
    rows = []
    for vendor in vendors:
        with bench_database(vendor) as env:
            manage(env, "migrate")
            seconds = timed([sys.executable, "-m", "bench.credit_data", "build", str(entities)], env)
            done = subprocess.run([sys.executable, "-m", "bench.credit_bench", "measure"], env=env,
                                  capture_output=True, text=True, check=True)
        for row in json.loads(done.stdout):
            row["detail"] += f"; database built by `python -m bench.credit_data build {entities}` in {seconds:.0f} s"
            rows.append(row)
    return rows


def bench_ledger(entities: int, rounds: int, vendors: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    """The burden ledger of one entity (bench/ledger_bench.py) in a database of `entities` entities and their
    inspections built by bench/ledger_data.py (minutes, where `jianguan seed --scale bench` takes the better part
    of an hour); a full run also measures it inside the library row's databases."""
    rows = []
    for vendor in vendors:
        with bench_database(vendor) as env:
            manage(env, "migrate")
            seconds = timed([sys.executable, "-m", "bench.ledger_data", "build", str(entities)], env)
            done = subprocess.run([sys.executable, "-m", "bench.ledger_bench", "measure", str(rounds)],
                                  env=env, capture_output=True, text=True, check=True)
        for row in json.loads(done.stdout):
            row["detail"] += f"; database built by `python -m bench.ledger_data build {entities}` in {seconds:.0f} s"
            rows.append(row)
    return rows


def bench_public_search(items: int, rounds: int, vendors: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    """The public decision search (bench/public_search_bench.py) in a database of `items` published items built by
    bench/disclosure_data.py, on each database, against the search before (icontains, no list indexes)."""
    rows = []
    for vendor in vendors:
        with bench_database(vendor) as env:
            manage(env, "migrate")
            seconds = timed([sys.executable, "-m", "bench.disclosure_data", "build", str(items)], env)
            done = subprocess.run([sys.executable, "-m", "bench.public_search_bench", "measure", str(rounds)],
                                  env=env, capture_output=True, text=True, check=True)
        for row in json.loads(done.stdout):
            row["detail"] += f"; database built by `python -m bench.disclosure_data build {items}` in {seconds:.0f} s"
            rows.append(row)
    return rows


def bench_laws(articles: int, rounds: int, vendors: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    """The knowledge base's search (bench/laws_bench.py) over `articles` synthetic articles, on each database."""
    rows = []
    for vendor in vendors:
        with bench_database(vendor) as env:
            manage(env, "migrate")
            seconds = timed([sys.executable, "-m", "bench.laws_bench", "prepare", str(articles)], env)
            done = subprocess.run([sys.executable, "-m", "bench.laws_bench", "measure", str(rounds)],
                                  env=env, capture_output=True, text=True, check=True)
        for row in json.loads(done.stdout):
            row["detail"] += f"; database built by `python -m bench.laws_bench prepare {articles}` in {seconds:.0f} s"
            rows.append(row)
    return rows


def bench_catalog(rounds: int) -> list[dict]:
    """Catalog search and as-of reads over 100 k synthetic 子项 (bench/catalog_bench.py), in a fresh database."""
    with tempfile.TemporaryDirectory(prefix="jianguan-bench-") as var:
        env = environment(Path(var))
        manage(env, "migrate")
        subprocess.run([sys.executable, "-m", "bench.catalog_bench", "prepare"], env=env, check=True,
                       capture_output=True)
        out = subprocess.run([sys.executable, "-m", "bench.catalog_bench", "measure", str(rounds)], env=env,
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def bench_enforcement(rounds: int, cases: int = 1_000_000) -> list[dict]:
    """Case list and search over `cases` cases in a demo-seeded SQLite database, and the decision PDF."""
    with tempfile.TemporaryDirectory(prefix="jianguan-bench-") as var:
        env = environment(Path(var))
        manage(env, "migrate")
        manage(env, "seed", "--scale", "demo", "--no-progress")
        seconds = timed([sys.executable, "-m", "bench.case_bench", "prepare", str(cases)], env)
        rows = json.loads(subprocess.run([sys.executable, "-m", "bench.case_bench", "measure", str(rounds)], env=env,
                                         check=True, capture_output=True, text=True).stdout)
        for row in rows:
            row["detail"] += f"; {cases:,} cases inserted in {seconds:.0f} s"
        rows += json.loads(subprocess.run([sys.executable, "-m", "bench.pdf_bench"], env=env, check=True,
                                          capture_output=True, text=True).stdout)
    return rows


def bench_exchange(rounds: int) -> list[dict]:
    """The quality engine against a per-record pydantic model (median of `rounds` runs of 200 k records), and
    HTTP intake of 100 k records."""
    runs = [json.loads(subprocess.run([sys.executable, "-m", "bench.quality_bench", "--records", "200000",
                                       "--seed", str(n + 1)], check=True, capture_output=True, text=True).stdout)
            for n in range(rounds)]
    middle = sorted(runs, key=lambda run: run["engine_rps"])[len(runs) // 2]
    rows = [{"name": "quality check of 行政检查 records, one core", "figure": middle["engine_rps"],
             "unit": "records/s", "baseline": "per-record pydantic model of the same rules",
             "baseline_figure": middle["pydantic_rps"], "ratio": middle["ratio"],
             "goal": ">= 100,000 records/s and >= 3 x the model", "met": middle["engine_rps"] >= 100_000
             and middle["ratio"] >= 3,
             "detail": f"median of {rounds} runs of {middle['records']:,} records ({middle['invalid']:,} invalid), "
                       f"CPU time of the process; engine and model agree on every record; runs: "
                       + ", ".join(f"{r['engine_rps']:,}/{r['pydantic_rps']:,}" for r in runs)}]
    intake = json.loads(subprocess.run([sys.executable, "-m", "bench.intake_bench", "--records", "100000"],
                                       check=True, capture_output=True, text=True).stdout)
    rows.append(intake_row(intake))
    return rows


def bench_risk(rounds: int) -> list[dict]:
    """The risk scan and re-scoring at bench scale, its baseline and one text over HTTP (bench/risk_bench.py)."""
    done = subprocess.run([sys.executable, "-m", "bench.risk_bench", "--rounds", str(rounds)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)["rows"]


def bench_redaction(rounds: int) -> list[dict]:
    """Redaction of 100 k decisions' texts against the plain reference (bench/redaction_bench.py)."""
    done = subprocess.run([sys.executable, "-m", "bench.redaction_bench", "--decisions", "100000", "--rounds",
                           str(rounds)], check=True, capture_output=True, text=True)
    return [json.loads(done.stdout)]


def bench_joint(rounds: int) -> list[dict]:
    """Merge proposals of a city plan against the pairwise comparison (bench/joint_bench.py)."""
    done = subprocess.run([sys.executable, "-m", "bench.joint_bench", "--rounds", str(rounds)], check=True,
                          capture_output=True, text=True)
    return [json.loads(done.stdout)]


def intake_row(run: dict) -> dict:
    """The intake benchmark's result as a table row: rate, and the worker's memory as the run went on."""
    memory = run["memory_kb"]
    return {"name": run["name"], "figure": run["figure"], "unit": run["unit"], "goal": run["goal"], "met": run["met"],
            "detail": f"{run['records']:,} records in calls of {run['batch']:,} over one keep-alive connection, "
                      f"{run['seconds']} s, median call {run['median_call_seconds']} s, "
                      f"{run['records_per_server_cpu_second']:,} records per server CPU second; "
                      f"{run['database']}; worker memory (RSS) before "
                      f"{memory['before']['rss'] // 1024} MB, after 25/50/100 %: "
                      + "/".join(f"{memory[m]['rss'] // 1024}" for m in ("25%", "50%", "100%")) + " MB"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def bench_database(vendor: str) -> Iterator[dict[str, str]]:
    """The environment of a fresh database of `vendor` (SQLite in a temporary directory, or a throw-away
    PostgreSQL cluster tuned for bulk work), removed when the block ends."""
    from tests import pgcluster

    with tempfile.TemporaryDirectory(prefix="jianguan-bench-") as var:
        env = environment(Path(var))
        stop = None
        if vendor == "postgresql":
            url, stop = pgcluster.start("shared_buffers=1GB", "work_mem=64MB", "max_wal_size=8GB")
            env["JIANGUAN_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/postgres"
        try:
            yield env
        finally:
            if stop:
                stop()


@contextmanager
def served(env: dict[str, str]) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """The platform under granian (one worker, one thread) with `env` on a free port, once its health check
    answers: (port, server process); stopped when the block ends."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", "1", "--blocking-threads", "1",
                               "--log-level", "error", "jianguan.config.wsgi:application"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def wrk(url: str, headers: dict[str, str]) -> float:
    args = ["wrk", "-t1", "-c8", "-d10s", url]
    for key, value in headers.items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} failed responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def bench_http(rounds: int) -> list[dict]:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: run `scripts/system-packages wrk` (make bench does)")
    with tempfile.TemporaryDirectory(prefix="jianguan-bench-") as var:
        env = environment(Path(var), "bench.settings")
        manage(env, "migrate")
        manage(env, "seed", "--scale", "demo", "--no-progress")
        manage(env, "collectstatic", "--noinput")
        probe = ("from jianguan.accounts.models import User; from jianguan.accounts.services import token_issue;"
                 "from jianguan.subjects.models import MarketEntity; u = User.objects.get(username='scjg_officer');"
                 "from jianguan.disclosure.selectors import public_item_list;"
                 "print(token_issue(user=u)[0], MarketEntity.objects.visible_to(u).order_by('uscc')[100].uscc,"
                 "public_item_list()[0].number)")
        token, uscc, number = manage(env, "shell", "--no-imports", "-c", probe).stdout.split()[-3:]
        with served(env) as (port, _server):
            base = f"http://127.0.0.1:{port}"
            targets = {"bare": (base + "/bench/bare", {}), "public": (base + "/public/", {}),
                       "decisions": (base + "/public/disclosure/", {}),
                       "decision": (f"{base}/public/disclosure/{number}/", {}),
                       "api": (f"{base}/api/v1/subjects/{uscc}", {"Authorization": f"Bearer {token}"})}
            for url, headers in targets.values():  # warm up: templates, caches, connections
                wrk(url, headers)
            rates: dict[str, list[float]] = {name: [] for name in targets}
            for _ in range(rounds):
                for name, (url, headers) in targets.items():
                    rates[name].append(wrk(url, headers))
    bare = statistics.median(rates["bare"])
    rows = []
    for name, label in (("public", "public home page GET /public/"),
                        ("decisions", "published decisions GET /public/disclosure/ (cached page)"),
                        ("decision", "one published decision GET /public/disclosure/{number}/ (cached page)"),
                        ("api", "authenticated JSON read GET /api/v1/subjects/{uscc} (bearer token)")):
        # Each round measures the bare view and then the page: the ratio is taken round by round (paired),
        # so that the machine's speed drifting between rounds does not move it.
        ratios = [r / b for r, b in zip(rates[name], rates["bare"], strict=True)]
        ratio = statistics.median(ratios)
        rows.append({
            "name": f"requests/s, {label}", "figure": round(statistics.median(rates[name])), "unit": "req/s",
            "detail": f"median of {rounds} rounds, ratio per round (wrk -t1 -c8 -d10s; rounds: "
                      f"{', '.join(f'{r:.0f}/{b:.0f}' for r, b in zip(rates[name], rates['bare'], strict=True))})",
            "baseline": "bare Django view, same server and middleware", "baseline_figure": round(bare),
            "ratio": round(ratio, 2), "goal": ">= 0.5 x bare view", "met": ratio >= 0.5,
        })
    return rows


def bench_remote() -> list[dict]:
    """Non-on-site supervision's ingestion and alarm latency (bench/remote_bench.py), in its own database."""
    done = subprocess.run([sys.executable, "-m", "bench.remote_bench", "measure"], capture_output=True, text=True)
    if done.returncode:
        print(f"bench.remote_bench failed:\n{done.stderr[-3000:]}", file=sys.stderr)
        return []
    rows: list[dict] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


def write(rows: list[dict]) -> None:
    existing = {row["name"]: row for row in json.loads(RESULTS.read_text())["rows"]} if RESULTS.exists() else {}
    stamp = {"date": dt.date.today().isoformat(), "machine": machine()}
    for row in rows:
        existing[row["name"]] = {**row, **stamp}
    RESULTS.write_text(json.dumps({"rows": list(existing.values())}, ensure_ascii=False, indent=2) + "\n")
    table = ["| figure | value | baseline (same run) | ratio | goal | met | how | date | machine |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in existing.values():
        baseline = (f"{row['baseline']}: {row['baseline_figure']:,} {row['unit']}" if row.get("baseline") else "—")
        ratio = f"{row['ratio']}×" if row.get("ratio") is not None else "—"
        table.append(f"| {row['name']} | {row['figure']:,} {row['unit']} | {baseline} | {ratio} | {row['goal']} | "
                     f"{'yes' if row['met'] else 'NO'} | {row['detail']} | {row['date']} | {row['machine']} |")
    text = DOC.read_text()
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{chr(10).join(table)}\n{END}{tail}")


def bench_casebook(rounds: int, vendors: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    """The case library (bench/casebook_bench.py): the search over 100,000 entries, similar cases over 1,000,000."""
    rows = []
    for vendor in vendors:
        for kind, count, extra in (("search", 100_000, []), ("similar", 1_000_000, ["--no-terms"])):
            with bench_database(vendor) as env:
                manage(env, "migrate")
                seconds = timed([sys.executable, "-m", "bench.casebook_bench", "prepare", str(count), *extra], env)
                done = subprocess.run([sys.executable, "-m", "bench.casebook_bench", "measure", kind, str(rounds)],
                                      env=env, capture_output=True, text=True, check=True)
            for row in json.loads(done.stdout):
                row["detail"] += f"; {count:,} entries inserted in {seconds:.0f} s"
                rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("seed", "http", "catalog", "library", "enforcement", "exchange", "risk",
                                           "credit", "ledger", "redaction", "joint", "public_search", "laws",
                                           "casebook", "remote", "leaders"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--vendor", choices=("sqlite", "postgresql"), help="library rows on one database only")
    parser.add_argument("--items", type=int, default=1_000_000,
                        help="public_search rows: published disclosure items to build (the goal's scale is 1,000,000)")
    parser.add_argument("--articles", type=int, default=50_000,
                        help="laws rows: synthetic articles to load (the goal's scale is 50,000)")
    parser.add_argument("--entities", type=int, default=1_000_000,
                        help="credit, ledger and leaders rows (--only credit|ledger|leaders): entities to seed (the "
                             "bench scale is 1,000,000)")
    options = parser.parse_args()
    rows = []
    if options.only in (None, "seed"):
        rows += bench_seed(options.rounds)
    if options.only in (None, "http"):
        rows += bench_http(options.rounds)
    if options.only in (None, "catalog"):
        rows += bench_catalog(options.rounds)
    if options.only in (None, "library"):
        rows += bench_library(options.rounds, (options.vendor,) if options.vendor else ("sqlite", "postgresql"))
    if options.only in (None, "enforcement"):
        rows += bench_enforcement(options.rounds)
    if options.only in (None, "exchange"):
        rows += bench_exchange(options.rounds)
    if options.only in (None, "risk"):
        rows += bench_risk(options.rounds)
    if options.only in (None, "redaction"):
        rows += bench_redaction(options.rounds)
    if options.only in (None, "joint"):
        rows += bench_joint(options.rounds)
    if options.only in (None, "public_search"):
        rows += bench_public_search(options.items, options.rounds,
                                    (options.vendor,) if options.vendor else ("sqlite", "postgresql"))
    if options.only in (None, "laws"):
        rows += bench_laws(options.articles, options.rounds,
                           (options.vendor,) if options.vendor else ("sqlite", "postgresql"))
    if options.only in (None, "casebook"):
        rows += bench_casebook(options.rounds, (options.vendor,) if options.vendor else ("sqlite", "postgresql"))
    if options.only in (None, "remote"):
        rows += bench_remote()
    if options.only == "credit":  # a full run measures it inside the library row's databases
        rows += bench_credit(options.entities, (options.vendor,) if options.vendor else ("sqlite", "postgresql"))
    if options.only == "leaders":  # a full run measures it inside the library row's databases
        rows += bench_leaders(options.entities, options.rounds,
                              (options.vendor,) if options.vendor else ("sqlite", "postgresql"))
    if options.only == "ledger":  # likewise
        rows += bench_ledger(options.entities, options.rounds,
                             (options.vendor,) if options.vendor else ("sqlite", "postgresql"))
    write(rows)
    for row in rows:
        print(f"{row['name']}: {row['figure']:,} {row['unit']} vs {row.get('baseline_figure')} ({row.get('ratio')}×)")


if __name__ == "__main__":
    main()
