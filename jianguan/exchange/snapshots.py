"""Daily quality snapshots: each department's scores on the SAMR seven dimensions (behaviour-records.md §7) for each
standard, over the records it sent in the last `JIANGUAN_QUALITY_WINDOW_DAYS` days [config, default 30].

The scores are `quality.scoring.score` over the window's verdicts, rebuilt from the per-call tallies
(`ExchangeCall.tally`: records, records with an issue of each dimension, records timed and on time), so a snapshot
needs no record to be checked again. A snapshot of a day replaces that day's rows (the task and the command may
both run).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor

from . import standards
from .models import CallStatus, ExchangeCall, QualitySnapshot
from .quality import engine, reference, scoring
from .standards.rules import DIMENSIONS, Issue


def window_days() -> int:
    return getattr(settings, "JIANGUAN_QUALITY_WINDOW_DAYS", 30)


def _verdicts(standard: Any, entry: dict[str, Any]) -> engine.Verdicts:
    """Verdicts with the same counts as `entry`: n records, hit[d] of them with an issue of dimension d."""
    n = entry["records"]
    hits = entry["dimensions"]
    found = engine.Verdicts()
    for index in range(n):
        errors = tuple(Issue("", "tally", "", "tally", dimension) for dimension, count in hits.items()
                       if index < count)
        found.append(reference.Verdict(index, "", not errors, errors))
    found.standard, found.refs_checked = standard, True
    found.timed, found.on_time = entry["timed"], entry["on_time"]
    return found


def overall(scores: dict[str, float | None]) -> float:
    """The mean of the measurable dimensions (0 when none is)."""
    measured = [value for value in scores.values() if value is not None]
    return round(sum(measured) / len(measured), 2) if measured else 0.0


def scores_for(*, day: dt.date) -> list[dict[str, Any]]:
    """(department, standard, records, scores, overall) over the window ending on `day`."""
    start = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=window_days() - 1), dt.time()))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    sums: dict[tuple[int, str], dict[str, Any]] = {}
    calls = ExchangeCall.objects.filter(received_at__gte=start, received_at__lt=end).exclude(
        status__in=(CallStatus.REFUSED, CallStatus.RECEIVED, CallStatus.FAILED)).values_list("standard", "tally")
    for standard, tally in calls.iterator(chunk_size=2000):
        for department, entry in (tally or {}).items():
            total = sums.setdefault((int(department), standard),
                                    {"records": 0, "dimensions": {}, "timed": 0, "on_time": 0})
            total["records"] += entry.get("records", 0)
            total["timed"] += entry.get("timed", 0)
            total["on_time"] += entry.get("on_time", 0)
            for dimension, count in entry.get("dimensions", {}).items():
                if dimension in DIMENSIONS:
                    total["dimensions"][dimension] = total["dimensions"].get(dimension, 0) + count
    rows = []
    for (department, name), entry in sorted(sums.items()):
        if not entry["records"]:
            continue
        standard = standards.get(name)
        scores = scoring.score(standard, _verdicts(standard, entry))
        rows.append({"department_id": department, "standard": name, "records": entry["records"], "scores": scores,
                     "overall": overall(scores)})
    return rows


def snapshot_take(*, actor: Actor, day: dt.date | None = None) -> dict[str, Any]:
    """Store the scores of `day` (default today), replacing that day's rows."""
    day = day or timezone.localdate()
    rows = scores_for(day=day)
    regions = dict(Department.objects.filter(pk__in={r["department_id"] for r in rows}).values_list(
        "pk", "region_id"))
    with transaction.atomic():
        QualitySnapshot.objects.filter(day=day).delete()
        QualitySnapshot.objects.bulk_create([
            QualitySnapshot(day=day, department_id=r["department_id"], region_id=regions[r["department_id"]],
                            standard=r["standard"], records=r["records"], scores=r["scores"], overall=r["overall"])
            for r in rows if r["department_id"] in regions])
        record(actor=actor, verb="exchange.quality_snapshot_taken", target=("exchange.qualitysnapshot", day, day),
               data={"day": day, "rows": len(rows), "window_days": window_days()})
    return {"day": day.isoformat(), "rows": len(rows)}
