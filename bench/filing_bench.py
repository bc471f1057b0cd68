"""The 立案审批 request (issue 14, item 12): how long the head's `approve_filing` takes, whose step issues the
立案审批表, idle and with the machine's cores kept busy.

`python -m bench.filing_bench [ROUNDS]` makes a throw-away var directory and SQLite database, migrates and seeds
the demo, and then, per round, registers a clue and proposes filing as the seed's officer and times the head's
`POST /api/v1/enforcement/cases/{id}/transitions` through the whole stack (Django's test client: middleware,
API, service, commit). The task backend is the one production uses (the database queue, no worker running while
timing), so the figure is the request alone; the rendering the queue then does is timed apart (the rendered
row's `seconds`, ADR 0030). Run against a checkout from before ADR 0030 (`PYTHONPATH=that/checkout`) it gives
the figures from before, the document rendered in the request. Prints one JSON object.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time


def _spin(stop) -> None:
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def _environment(var: str) -> None:
    os.environ.update({"JIANGUAN_VAR_DIR": var, "JIANGUAN_DATABASE_URL": f"sqlite:///{var}/bench.sqlite3",
                       "JIANGUAN_TASKS_BACKEND": "database", "JIANGUAN_SECRET_KEY": "bench-only",
                       "JIANGUAN_FAST_PASSWORD_HASHING": "true", "JIANGUAN_REQUIRE_SECOND_FACTOR": "false",
                       "JIANGUAN_SSL_REDIRECT": "false", "JIANGUAN_ALLOWED_HOSTS": "testserver",
                       "DJANGO_SETTINGS_MODULE": "jianguan.config.settings"})
    os.makedirs(os.path.join(var, "static"), exist_ok=True)


def _round(n: int, base, client) -> float:
    from jianguan.enforcement import registration, transitions
    from jianguan.enforcement.models import Case

    officer = base.assignments.get(lead=True).user
    case = registration.case_register(actor=officer, department=base.department, party={"uscc": base.entity.uscc},
                                  summary="群众举报该店销售过期食品", source="report", source_ref=f"BENCH-{n}",
                                  received_on=base.received_on)
    transitions.case_transition(actor=officer, case_id=case.pk, action="propose_filing", data={
        "officers": [o.user.username for o in base.assignments.all()], "cause": base.cause,
        "catalog_code": base.catalog_code, "implementation_code": base.implementation_code})
    started = time.perf_counter()
    response = client.post(f"/api/v1/enforcement/cases/{case.pk}/transitions",
                           {"action": "approve_filing", "data": {"opinion": "同意立案"}},
                           content_type="application/json")
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.content[:300]
    assert Case.objects.get(pk=case.pk).status == "investigating"
    return seconds


def measure(rounds: int) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from jianguan.accounts.models import User
    from jianguan.accounts.services import token_issue
    from jianguan.enforcement.models import Case

    call_command("migrate", verbosity=0)
    # The complaints step is left out: it fails on an empty content hash at the time of writing, and cases need
    # none of its rows.
    call_command("seed", "--scale", "demo", "--no-progress", "--skip", "投诉举报", stdout=io.StringIO())
    base = Case.objects.filter(catalog_code__gt="", status="investigating", entity__isnull=False).select_related(
        "department", "entity").order_by("pk").first()
    head = User.objects.get(username="scjg_head")
    client = Client(headers={"Authorization": f"Bearer {token_issue(user=head)[0]}"})
    _round(0, base, client)  # warm-up: templates, fonts, connections
    idle = [_round(n, base, client) for n in range(1, rounds + 1)]
    stop = multiprocessing.Event()
    hogs = [multiprocessing.Process(target=_spin, args=(stop,)) for _ in range(os.cpu_count() or 2)]
    for hog in hogs:
        hog.start()
    try:
        loaded = [_round(n, base, client) for n in range(rounds + 1, 2 * rounds + 1)]
    finally:
        stop.set()
        for hog in hogs:
            hog.join()
    return {"rounds": rounds, "idle_median_s": round(statistics.median(idle), 3),
            "idle_max_s": round(max(idle), 3), "loaded_median_s": round(statistics.median(loaded), 3),
            "loaded_max_s": round(max(loaded), 3), "busy_processes": len(hogs), **_rendering()}


def _rendering() -> dict:
    """What the background rendering takes, when this checkout renders in the background (else nothing)."""
    from django.apps import apps

    if "rendereddocument" not in apps.all_models["documents"]:
        return {"rendered_in": "request"}
    from django.core.management import call_command
    from django.db.models import Max

    from jianguan.documents.models import RenderedDocument

    before = RenderedDocument.objects.aggregate(last=Max("pk"))["last"] or 0
    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    seconds = [float(s) for s in RenderedDocument.objects.filter(pk__gt=before).values_list("seconds", flat=True)]
    return {"rendered_in": "background", "worker_batch_s": round(time.perf_counter() - started, 3),
            "render_median_s": round(statistics.median(seconds), 3) if seconds else None}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="jianguan-filing-bench-") as var:
        _environment(var)
        import django

        django.setup()
        print(json.dumps(measure(rounds), ensure_ascii=False))


if __name__ == "__main__":
    main()
