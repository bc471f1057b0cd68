"""The leaders' dashboard (`/leaders/`, ADR 0066) as the city's leader opens it: the server's time for the whole page
(the request through the middleware, the stored figures summed in scope, the ranking, the template), timed
in-process with Django's test client, against the same page with its figures counted from the apps' records on
each request (`leaders.refresh.count_all`, what a dashboard without kept aggregates does) — the baseline. The
county view (`?county=`) is timed alike.

`python -m bench.leaders_bench measure ROUNDS` in a seeded database (JIANGUAN_VAR_DIR / JIANGUAN_DATABASE_URL)
prints the rows as JSON; the figures are refreshed once first (as the periodic task keeps them)."""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any

from bench.common import p95, setup


def measure(rounds: int) -> list[dict[str, Any]]:
    setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.utils import timezone

    from jianguan.accounts.models import User
    from jianguan.core.actors import SystemActor
    from jianguan.leaders import board, refresh
    from jianguan.subjects.models import MarketEntity

    # the page's static URLs without a collected manifest (the bench database has none; the names are all it reads)
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    began = time.perf_counter()
    refresh.figures_refresh(actor=SystemActor("bench"))
    refreshed = time.perf_counter() - began
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="leader"), backend="django.contrib.auth.backends.ModelBackend")
    county = board.counties(User.objects.get(username="leader"))[0].code
    paths = ["/leaders/", f"/leaders/?county={county}", "/leaders/?screen=1"]

    def page(path: str) -> float:
        start = time.perf_counter()
        response = client.get(path, secure=True)
        assert response.status_code == 200, (path, response.status_code)
        return (time.perf_counter() - start) * 1000

    for path in paths:  # warm-up
        page(path)
    kept = [page(path) for _ in range(rounds) for path in paths]
    counted = []
    for _ in range(max(1, rounds // 5)):
        start = time.perf_counter()
        refresh.count_all(timezone.localdate())
        counted.append((time.perf_counter() - start) * 1000 + page(paths[0]))
    entities = MarketEntity.objects.count()
    figure, base = p95(kept), p95(counted)
    return [{"name": f"leaders' dashboard server time p95, {entities:,} entities, {connection.vendor}",
             "figure": round(figure, 1), "unit": "ms",
             "baseline": "the same page with its figures counted from the records on each request",
             "baseline_figure": round(base, 1), "ratio": round(base / max(figure, 0.01), 1),
             "goal": "first paint <= 1 s at bench scale (server time)",
             "met": figure <= 1000 and entities >= 1_000_000,
             "detail": f"city, one county and the 大屏 view x {rounds} rounds, "
                       f"median {statistics.median(kept):.1f} ms; "
                       f"baseline over {len(counted)} requests; one refresh of the figures {refreshed:.1f} s"}]


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        print(json.dumps(measure(int(sys.argv[2]) if len(sys.argv) > 2 else 20), ensure_ascii=False, default=str))
    else:
        raise SystemExit("usage: python -m bench.leaders_bench measure [ROUNDS]")
