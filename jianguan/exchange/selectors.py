"""Reads of the exchange, always scoped: the repair queue (an officer sees their own department's, the data
administrator and leaders every department within their jurisdiction), calls, push figures and quality scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from jianguan.accounts.models import ApiClient, User
from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope

from .models import (
    UNACKNOWLEDGED,
    BatchStatus,
    ExchangeCall,
    OutboxRecord,
    OutboxStatus,
    PushBatch,
    QualitySnapshot,
    RepairItem,
    RepairStatus,
)
from .permissions import wide


def repair_visible_list(*, reader: User | ApiClient) -> Any:
    """The repair items `reader` may see: their department's, or all within the jurisdiction for wide readers."""
    items = RepairItem.objects.visible_to(reader)
    return items if wide(reader) else items.filter(department_id=reader.department_id)


def repair_list(*, reader: User | ApiClient, status: str = RepairStatus.OPEN, department_id: int | None = None,
                standard: str = "") -> Any:
    items = repair_visible_list(reader=reader).select_related("department")
    if status:
        items = items.filter(status=status)
    if department_id:
        items = items.filter(department_id=department_id)
    if standard:
        items = items.filter(standard=standard)
    return items.order_by("created_at", "pk")


def repair_get(*, reader: User | ApiClient, item_id: int) -> RepairItem:
    item = RepairItem.objects.select_related("department", "fixed_by", "call", "batch").get_visible(reader,
                                                                                                   pk=item_id)
    if not wide(reader) and item.department_id != reader.department_id:
        raise NotFound()
    return item


def call_get(*, reader: HasScope, call_id: int) -> ExchangeCall:
    return ExchangeCall.objects.select_related("department").get_visible(reader, pk=call_id)


def push_figures(*, reader: HasScope | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """The push's health: backlog (records accepted and not yet acknowledged), the oldest one's age, batches by
    status, and the last 24 hours' batches with their failure rate (failed sends / sends)."""
    now = now or timezone.now()
    outbox = OutboxRecord.objects.visible_to(reader) if reader is not None else OutboxRecord.objects.all()
    unpushed = outbox.filter(status__in=(OutboxStatus.PENDING, OutboxStatus.BATCHED))
    backlog = unpushed.aggregate(n=Count("pk"), oldest=Min("created_at"))
    recent = PushBatch.objects.filter(Q(formed_at__gte=now - dt.timedelta(hours=24))
                                      | Q(sent_at__gte=now - dt.timedelta(hours=24)))
    sums = recent.aggregate(n_batches=Count("pk"), n_sends=Sum("attempts"), n_failures=Sum("failures"),
                            n_failed_batches=Count("pk", filter=Q(failures__gt=0)), n_records=Sum("records"),
                            n_rejected=Sum("rejected"))
    attempts = sums["n_sends"] or 0
    by_status = dict(PushBatch.objects.values_list("status").annotate(n=Count("pk")))
    waiting = PushBatch.objects.filter(status__in=UNACKNOWLEDGED).order_by("pk").first()
    return {
        "backlog": backlog["n"],
        "oldest_unpushed_at": backlog["oldest"],
        "oldest_unpushed_hours": round((now - backlog["oldest"]).total_seconds() / 3600, 1)
        if backlog["oldest"] else None,
        "batches_24h": sums["n_batches"], "records_24h": sums["n_records"] or 0,
        "sends_24h": attempts, "failed_sends_24h": sums["n_failures"] or 0,
        "failed_batches_24h": sums["n_failed_batches"],
        "failure_rate_24h": round(100 * (sums["n_failures"] or 0) / attempts, 1) if attempts else None,
        "receiver_rejected_24h": sums["n_rejected"] or 0,
        "by_status": {status: by_status.get(status, 0) for status in BatchStatus.values},
        "by_status_labels": [(str(label), by_status.get(status, 0)) for status, label in BatchStatus.choices],
        "last_acknowledged_at": PushBatch.objects.filter(status=BatchStatus.ACKNOWLEDGED).aggregate(
            at=Max("acknowledged_at"))["at"],
        "next_batch": waiting,
    }


def queue_brief(*, reader: User | ApiClient, now: dt.datetime | None = None) -> dict[str, Any]:
    """The reader's repair queue in one query: open items, fixed in the last 7 days, the oldest open one's age."""
    now = now or timezone.now()
    found = repair_visible_list(reader=reader).aggregate(
        open=Count("pk", filter=Q(status=RepairStatus.OPEN)),
        fixed_7=Count("pk", filter=Q(status=RepairStatus.FIXED, fixed_at__gte=now - dt.timedelta(days=7))),
        oldest=Min("created_at", filter=Q(status=RepairStatus.OPEN)))
    found["oldest_age_days"] = (now - found["oldest"]).total_seconds() / 86400 if found["oldest"] else None
    return found


def push_brief(*, reader: HasScope, now: dt.datetime | None = None) -> dict[str, Any]:
    """Backlog, its oldest record's age and the last 24 hours' failure rate, in two queries."""
    now = now or timezone.now()
    backlog = OutboxRecord.objects.visible_to(reader).filter(
        status__in=(OutboxStatus.PENDING, OutboxStatus.BATCHED)).aggregate(n=Count("pk"), oldest=Min("created_at"))
    sends = PushBatch.objects.filter(sent_at__gte=now - dt.timedelta(hours=24)).aggregate(
        n_sends=Sum("attempts"), n_failures=Sum("failures"))
    attempts = sends["n_sends"] or 0
    return {"backlog": backlog["n"],
            "oldest_unpushed_hours": (now - backlog["oldest"]).total_seconds() / 3600 if backlog["oldest"] else None,
            "failure_rate_24h": round(100 * (sends["n_failures"] or 0) / attempts, 1) if attempts else None}


def batch_list(*, limit: int = 20) -> list[PushBatch]:
    return list(PushBatch.objects.order_by("-pk")[:limit])


def batch_get(*, reader: HasScope, batch_id: int) -> tuple[PushBatch, Any]:
    """A pushed batch and the records of it `reader` may see (their departments' scope); a batch with none of
    them answers 404 like an absent one."""
    batch = PushBatch.objects.filter(pk=batch_id).first()
    records = OutboxRecord.objects.visible_to(reader).filter(batch_id=batch_id)
    if batch is None or not records.exists():
        raise NotFound()
    return batch, records.select_related("department").order_by("pk")


def batch_problems(*, batch: PushBatch, records: Any) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """{(记录唯一标识, version): the receiver's problems} for `records` of `batch`: from the repair items the receipt
    (or the batch's refusal) filed, else from the stored receipt."""
    keys = {(r.record_id, r.version) for r in records}
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for entry in (batch.receipt or {}).get("rejected", []):
        if isinstance(entry, dict) and (str(entry.get("id")), entry.get("version")) in keys:
            found[str(entry["id"]), entry["version"]] = [e for e in entry.get("errors") or [] if isinstance(e, dict)]
    for record_id, version, errors in RepairItem.objects.filter(
            batch=batch, record_id__in=[k[0] for k in keys]).values_list("record_id", "version", "errors"):
        if (record_id, version) in keys:
            found[record_id, version] = errors
    return found


def quality_ranking(*, reader: HasScope, day: dt.date | None = None) -> tuple[dt.date | None, list[dict[str, Any]]]:
    """The latest snapshot day (or `day`) and each department's scores there, best first: per dimension and
    overall, the mean over its standards weighted by records."""
    snapshots = QualitySnapshot.objects.visible_to(reader)
    day = day or snapshots.aggregate(day=Max("day"))["day"]
    if day is None:
        return None, []
    rows: dict[int, dict[str, Any]] = {}
    for snap in snapshots.filter(day=day).select_related("department"):
        row = rows.setdefault(snap.department_id, {"department": snap.department, "records": 0, "weights": {},
                                                   "sums": {}, "standards": []})
        row["records"] += snap.records
        row["standards"].append(snap.standard)
        for dimension, value in snap.scores.items():
            if value is not None:
                row["sums"][dimension] = row["sums"].get(dimension, 0) + value * snap.records
                row["weights"][dimension] = row["weights"].get(dimension, 0) + snap.records
    ranking = []
    for row in rows.values():
        scores = {d: round(row["sums"][d] / row["weights"][d], 1) for d in row["sums"]}
        measured = list(scores.values())
        ranking.append({"department": row["department"], "records": row["records"], "scores": scores,
                        "overall": round(sum(measured) / len(measured), 1) if measured else 0.0,
                        "standards": sorted(row["standards"])})
    ranking.sort(key=lambda r: (-r["overall"], r["department"].name))
    for place, row in enumerate(ranking, start=1):
        row["rank"] = place
    return day, ranking


def quality_trend(*, reader: HasScope, days: int = 30) -> list[dict[str, Any]]:
    """Per snapshot day of the last `days`: the record-weighted overall score of what `reader` may see."""
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    rows: dict[dt.date, list[float]] = {}
    for day, overall, records in QualitySnapshot.objects.visible_to(reader).filter(day__gte=since).values_list(
            "day", "overall", "records"):
        total = rows.setdefault(day, [0.0, 0])
        total[0] += overall * records
        total[1] += records
    return [{"day": day, "overall": round(s / n, 1) if n else None, "records": n}
            for day, (s, n) in sorted(rows.items())]
