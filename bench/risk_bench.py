"""Risk benchmark (issue 16): 1 M ad and listing lines scanned by the five models and 1 M entities scored again, in
one run on this machine's cores; a keyword loop over the raw text as baseline; one text scanned over HTTP.

    python -m bench.risk_bench [--lines 1000000] [--entities 1000000] [--workers 2] [--sample 5000]
                               [--requests 1000] [--no-http]

Scan: lines from `bench/risk_lines.py` (seeded; half ads and web pages, half listings; 8 % with a claim, 30 % of
those evaded), each checked and judged by every model of its kind (`batch.lines_printed` over `engine.findings`, as
`engine.verdicts`: an ad by `medical_ad` and `fundraising`, a listing by the three listing models) and printed as
`jianguan risk scan --format json` prints (`batch.printed`, byte for byte `batch.shown`), by `--workers` forked
processes (`parallel.chunks`, as `jianguan risk scan --workers`); the parent writes every chunk's bytes to
/dev/null. Re-scoring: 1 M entities, each with the hits an alert stores (0–3 rules of one model, as listed or as a
spelling) and an entity risk from its credit class (A/B 1.0, C 1.2, D 1.5), scored again by `alerts.rescored` (each
rule's strongest hit, then `engine.Model.rescore`, the step `judge` scores by), in the same workers. The goal is for
both together: lines generated and models loaded before the clock.

Baseline (same run, one process, the first `--sample` lines): the same lexicons' words found by `str.find` per word
(`bench/risk_baseline.py`), against the engine's whole judgement of those lines; and the same-hits check on
`--sample` lines written without evasions (and, for the record, with them).

HTTP: `POST /api/v1/risk/scan` with a `risk:write` key, `--requests` lines one after another over one keep-alive
connection to granian (one worker, one thread, `bench.settings`, behind a TLS proxy as in production: the proxy's
`X-Forwarded-Proto` header trusted) on a fresh SQLite database; p95 and median.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import risk_baseline, risk_lines
from bench.common import p95, setup

ROUTES = {"ad": risk_lines.AD_MODELS, "listing": risk_lines.LISTING_MODELS}
CREDIT = ((1.0, 0.85), (1.2, 0.10), (1.5, 0.05))  # entity risk by credit class (A/B, C, D) and its share
SCAN_GOAL, HTTP_GOAL = 60.0, 20.0
WARM_UP = 50  # requests before the measured ones: the first of each model loads it


def _scanned(items: Sequence[tuple[str, dict[str, Any]]]) -> tuple[bytes, Counter[str]]:
    """A chunk of lines judged by the models of their kind, printed as the scan command prints them."""
    from jianguan.risk import batch

    alerts: Counter[str] = Counter()
    out = []
    for kind, line in items:
        alerted = False
        for model, alert, text in batch.lines_printed(ROUTES[kind], line, "json"):
            out.append(text)
            if alert:
                alerts[model] += 1
                alerted = True
        alerts["lines alerting"] += alerted
    out.append(b"")
    return b"\n".join(out), alerts


def _rescored(entities: Sequence[tuple[str, list[dict[str, Any]], float]]) -> tuple[str, Counter[str]]:
    from jianguan.risk import alerts

    bands: Counter[str] = Counter()
    for model, hits, risk in entities:
        bands[alerts.rescored(model, hits, entity_risk=risk)[1] or "none"] += 1
    return "", bands


def entities(count: int, seed: int = 16) -> list[tuple[str, list[dict[str, Any]], float]]:
    """`count` entities: a model, the hits its alert stores (drawn from a pool of stored hits) and an entity risk."""
    from jianguan.risk import engine

    rng = random.Random(seed)
    pools = {}
    for name in engine.MODEL_NAMES:
        chosen = engine.model(name)
        pools[name] = [{"rule": i.id, "article": i.article, "quote": "……", "start": 0, "end": 2, "field": "text",
                        "note": "", "weight": i.weight, "confidence": confidence, "observation": n,
                        "snapshot_hash": "a" * 64}
                       for n, i in enumerate(chosen.indicators) for confidence in (1.0, 0.9)]
    risks, shares = zip(*CREDIT, strict=True)
    found = []
    for _ in range(count):
        name = rng.choice(engine.MODEL_NAMES)
        hits = rng.sample(pools[name], rng.choices((0, 1, 2, 3), (50, 30, 15, 5))[0])
        found.append((name, hits, rng.choices(risks, shares)[0]))
    return found


def timed_run(lines: list[tuple[str, dict[str, Any]]], scored: list[Any], workers: int) -> dict[str, Any]:
    from jianguan.risk import alerts, batch, parallel  # noqa: F401  (imported before the workers fork)

    alerted: Counter[str] = Counter()
    bands: Counter[str] = Counter()
    written = 0
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        for text, counts in parallel.chunks(_scanned, lines, workers=workers):
            written += sink.write(text)
            alerted += counts
        scanned = time.perf_counter() - started
        for _, counts in parallel.chunks(_rescored, scored, workers=workers):
            bands += counts
    total = time.perf_counter() - started
    return {"seconds": total, "scan_seconds": scanned, "rescore_seconds": total - scanned, "alerts": dict(alerted),
            "bands": dict(bands), "bytes_written": written}


def baseline(sample: int, seed: int) -> dict[str, Any]:
    """Engine against the keyword loop on the same lines (one process, CPU time), and the same-hits check."""
    from jianguan.risk import engine

    lines = [(ROUTES[kind], line) for kind, line in risk_lines.generate(sample, seed=seed)]
    started = time.process_time()
    for names, line in lines:
        engine.verdicts(names, line)
    ours = time.process_time() - started
    started = time.process_time()
    risk_baseline.loop_all(lines)
    theirs = time.process_time() - started
    plain = [(ROUTES[kind], line) for kind, line in risk_lines.generate(sample, seed=seed + 1, evaded=False,
                                                                          claims=0.3)]
    evaded = [(ROUTES[kind], line) for kind, line in risk_lines.generate(sample, seed=seed + 1, claims=0.3)]
    return {"engine_lines_per_second": sample / ours, "loop_lines_per_second": sample / theirs,
            "ratio": theirs / ours, "plain": risk_baseline.compared(plain),
            "evaded": risk_baseline.compared(evaded)}


SETUP = '''
import json
from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, User
admin = User.objects.get(username="admin")
city = Department.objects.get(kind="scjg", region_id="421200")
client = accounts.api_client_create(actor=admin, name="risk-bench", department=city, scopes=["risk:write"])
print(json.dumps({"key": accounts.api_key_issue(actor=admin, client=client)}))
'''


def over_http(requests: int, seed: int, rounds: int) -> dict[str, Any]:
    """p95 of `POST /api/v1/risk/scan` over one keep-alive connection to a fresh server, per round; the round of
    the median p95."""
    from bench.run import environment, manage, served

    with tempfile.TemporaryDirectory(prefix="jianguan-risk-bench-") as var:
        env = {**environment(Path(var), "bench.settings"), "JIANGUAN_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
        manage(env, "migrate")
        manage(env, "seed", "--scale", "test", "--no-progress")
        key = json.loads(manage(env, "shell", "--no-imports", "-c", SETUP).stdout.strip().splitlines()[-1])["key"]
        with served(env) as (port, _server):
            runs = [_requests(port, key, requests, seed + number) for number in range(rounds)]
        middle = sorted(runs, key=lambda run: run["p95_ms"])[len(runs) // 2]
        return {**middle, "first_ms": runs[0]["first_ms"], "rounds": [round(run["p95_ms"], 1) for run in runs]}


def _requests(port: int, key: str, count: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    lines = risk_lines.generate(count + WARM_UP, seed=seed)
    models = [*ROUTES["ad"], *ROUTES["listing"]]
    lines[:len(models)] = [("ad" if name in ROUTES["ad"] else "listing", risk_lines.generate(
        2, seed=seed, listings=0.0 if name in ROUTES["ad"] else 1.0)[0][1]) for name in models]
    chosen = [*models, *(rng.choice(ROUTES[kind]) for kind, _ in lines[len(models):])]
    bodies = [json.dumps({"model": name, "item": line}, ensure_ascii=False).encode()
              for name, (_, line) in zip(chosen, lines, strict=True)]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "X-API-Key": key, "X-Forwarded-Proto": "https"}
    times = []
    for number, body in enumerate(bodies):
        sent = time.perf_counter()
        connection.request("POST", "/api/v1/risk/scan", body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        times.append(time.perf_counter() - sent)
        if response.status != 200:
            raise SystemExit(f"request {number}: {response.status} {answer[:2000]!r}")
    connection.close()
    measured = [t * 1000 for t in times[WARM_UP:]]  # the warm-up loads each model once (its first request)
    return {"requests": count, "p95_ms": p95(measured), "median_ms": statistics.median(measured),
            "max_ms": max(measured), "first_ms": max(times[:len(models)]) * 1000}


def rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The run as rows of BENCHMARKS.md's table."""
    run, base = result["run"], result["baseline"]
    plain, evaded = base["plain"], base["evaded"]
    found = (f"same hits on text written as listed: {plain['fields'] - plain['different']:,} of {plain['fields']:,} "
             f"fields equal ({plain['with_hits']:,} with hits, {plain['engine_matches']:,} matches each side); on "
             f"evaded text the engine found {evaded['engine_matches']:,} and the loop {evaded['loop_matches']:,}")
    alerts = run["alerts"]
    listed = [{
        "name": f"risk scan, {result['lines']:,} ad/listing lines by all five models + {result['entities']:,} "
                f"entities re-scored, {result['workers']} processes",
        "figure": round(run["seconds"], 1), "unit": "s",
        "baseline": "the same lexicons as a str.find loop per word over the raw text, lines/s on one core",
        "baseline_figure": round(base["loop_lines_per_second"]), "ratio": round(base["ratio"], 1),
        "goal": f"<= {SCAN_GOAL:.0f} s", "met": run["seconds"] <= SCAN_GOAL and plain["different"] == 0,
        "detail": f"median of {result['rounds']} runs ({', '.join(f'{s} s' for s in result['runs'])}): "
                  f"scan {run['scan_seconds']:.1f} s (verdicts printed as `jianguan risk scan --format json`, "
                  f"{run['bytes_written'] / 1e6:,.0f} MB), re-scoring {run['rescore_seconds']:.1f} s; "
                  f"lines alerting {alerts.get('lines alerting', 0):,} "
                  f"({alerts.get('lines alerting', 0) / result['lines']:.1%}; per model "
                  + ", ".join(f"{m} {alerts.get(m, 0):,}" for m in (*ROUTES['ad'], *ROUTES['listing']))
                  + f"); engine {base['engine_lines_per_second']:,.0f} lines/s on one core over the baseline's "
                  f"{result['sample']:,} lines (the ratio: its lines/s over the loop's); {found}; models loaded in "
                  f"{result['load_seconds']:.1f} s before the clock; load average (1 min) "
                  f"{result['load_average'][0]} before the runs, {result['load_average'][1]} after"}]
    if "http" in result:
        http_run = result["http"]
        listed.append({
            "name": "risk scan of one text over HTTP, POST /api/v1/risk/scan", "figure": round(http_run["p95_ms"], 1),
            "unit": "ms p95", "goal": f"p95 <= {HTTP_GOAL:.0f} ms", "met": http_run["p95_ms"] <= HTTP_GOAL,
            "detail": f"median of {len(http_run['rounds'])} rounds' p95 ({', '.join(map(str, http_run['rounds']))} "
                      f"ms), each {http_run['requests']:,} requests (ads and listings, a model of their kind each) "
                      f"after {WARM_UP} warm-up ones (one per model first), one keep-alive connection, granian one "
                      f"worker, a `risk:write` key; median {http_run['median_ms']:.1f} ms, max "
                      f"{http_run['max_ms']:.1f} ms; the slowest first request of a model (which loads it) "
                      f"{http_run['first_ms']:.0f} ms"})
    return listed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of the scan (the median reported)")
    parser.add_argument("--no-http", action="store_true")
    options = parser.parse_args()
    os.environ.setdefault("JIANGUAN_SECRET_KEY", "bench-only-secret")
    setup()
    from jianguan.risk import engine

    started = time.perf_counter()
    for name in engine.MODEL_NAMES:
        engine.model(name).plan  # noqa: B018  (loaded before the clock and before the workers fork)
    loaded = time.perf_counter() - started
    lines = risk_lines.generate(options.lines, seed=options.seed)
    scored = entities(options.entities, seed=options.seed)
    load = os.getloadavg()[0]
    runs = [timed_run(lines, scored, options.workers) for _ in range(options.rounds)]
    result: dict[str, Any] = {"lines": options.lines, "entities": options.entities, "workers": options.workers,
                              "sample": options.sample, "load_seconds": loaded, "rounds": options.rounds,
                              "load_average": [round(load, 1), round(os.getloadavg()[0], 1)],
                              "runs": [round(run["seconds"], 1) for run in runs],
                              "run": sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]}
    del lines, scored
    result["baseline"] = baseline(options.sample, options.seed)
    if not options.no_http:
        result["http"] = over_http(options.requests, options.seed, options.rounds)
    result["rows"] = rows(result)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
