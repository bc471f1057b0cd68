"""Pushing accepted records upward (catalog.md §7): batches formed and kept before they are sent, re-sent with the
same number until a receipt is stored, receipts checked and their refusals routed to the repair queue.

Exactly once: a batch's number and records are fixed in the database before the first attempt (`batch_form`). A
pusher killed at any point finds it again unacknowledged and sends it again as it is; the receiver answers a batch
number it already holds with its stored receipt and counts nothing twice. Batches are sent in the order they were
formed, and no new batch is formed while an older one waits for its retry, so records arrive in the order received.

Retries back off exponentially (`JIANGUAN_PUSH_RETRY_BASE_SECONDS` doubling up to `JIANGUAN_PUSH_RETRY_MAX_SECONDS`).
A receipt is stored only if it names our batch and source and — when `JIANGUAN_PUSH_RECEIVER_KEY` is set — carries
a valid Ed25519 signature by that key over the canonical JSON of the receipt without `signature`.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, SystemActor

from . import collect, repairs
from .models import (
    UNACKNOWLEDGED,
    BatchStatus,
    Origin,
    OutboxRecord,
    OutboxStatus,
    PushBatch,
    PushSequence,
)
from .sealing import reveal_record

log = logging.getLogger(__name__)
PUSHER = SystemActor("exchange.push")
MAX_BATCH = 10_000  # the receiver refuses larger batches (413)


@dataclass(frozen=True)
class PushConfig:
    url: str
    token: str
    receiver_key: str
    source: str
    batch_size: int
    retry_base: float
    retry_max: float
    timeout: float

    @property
    def batches_url(self) -> str:
        base = self.url.rstrip("/")
        return base if base.endswith("/batches") else base + "/api/batches"


def config(**overrides: Any) -> PushConfig:
    """The push settings [config]; unset ones take their defaults."""
    values = {
        "url": getattr(settings, "JIANGUAN_PUSH_URL", ""),
        "token": getattr(settings, "JIANGUAN_PUSH_TOKEN", ""),
        "receiver_key": getattr(settings, "JIANGUAN_PUSH_RECEIVER_KEY", ""),
        "source": source_code(),
        "batch_size": getattr(settings, "JIANGUAN_PUSH_BATCH_SIZE", 1000),
        "retry_base": getattr(settings, "JIANGUAN_PUSH_RETRY_BASE_SECONDS", 10),
        "retry_max": getattr(settings, "JIANGUAN_PUSH_RETRY_MAX_SECONDS", 3600),
        "timeout": getattr(settings, "JIANGUAN_PUSH_TIMEOUT_SECONDS", 60),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["batch_size"] = max(1, min(int(values["batch_size"]), MAX_BATCH))
    return PushConfig(**values)


def source_code() -> str:
    """Our sender code (`cd_source`): JIANGUAN_EXCHANGE_SOURCE, else the locality's division code."""
    return getattr(settings, "JIANGUAN_EXCHANGE_SOURCE", "") or settings.JIANGUAN_LOCALITY


def retry_delay(failures: int, cfg: PushConfig) -> float:
    """Seconds to wait after the `failures`-th failure in a row: base, 2×base, 4×base … capped at the maximum."""
    return min(cfg.retry_base * 2 ** max(failures - 1, 0), cfg.retry_max)


def canonical(value: Any) -> bytes:
    """The bytes a receipt's signature covers: sorted keys, no spaces, characters as themselves, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def verify_receipt(receipt: dict[str, Any], public_key_b64: str) -> bool:
    """Whether `receipt["signature"]` is a valid Ed25519 signature by the key (base64 of its raw 32 bytes) over the
    canonical JSON of the receipt without its signature."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        signature = base64.b64decode(receipt["signature"], validate=True)
        key.verify(signature, canonical({k: v for k, v in receipt.items() if k != "signature"}))
    except (InvalidSignature, KeyError, TypeError, ValueError):
        return False
    return True


# --- forming ---------------------------------------------------------------------------------------------------

def _next_number(source: str, day: dt.date) -> str:
    """The day's next batch number for `source`: yyyyMMdd + 5-digit sequence, restarting at 00001 each day."""
    PushSequence.objects.get_or_create(source=source, day=day)
    PushSequence.objects.filter(source=source, day=day).update(last=F("last") + 1)
    last = PushSequence.objects.filter(source=source, day=day).values_list("last", flat=True).get()
    if last > 99_999:
        raise RuntimeError(f"more than 99,999 batches for {source} on {day}")
    return f"{day:%Y%m%d}{last:05d}"


def batch_form(*, actor: Actor = PUSHER, batch_size: int | None = None, now: dt.datetime | None = None,
               cfg: PushConfig | None = None) -> PushBatch | None:
    """Take the oldest pending records of one standard (at most `batch_size`) into a new numbered batch, or None
    when nothing waits. The batch and its records are committed before anything is sent."""
    cfg = cfg or config(batch_size=batch_size)
    now = now or timezone.now()
    with transaction.atomic():
        pending = OutboxRecord.objects.filter(status=OutboxStatus.PENDING).order_by("pk")
        first = pending.values("standard").first()
        if first is None:
            return None
        standard = first["standard"]
        ids = pending.filter(standard=standard)
        if connection.features.has_select_for_update_skip_locked:
            ids = ids.select_for_update(skip_locked=True)
        ids = list(ids.values_list("pk", flat=True)[:cfg.batch_size])
        if not ids:
            return None
        number = _next_number(cfg.source, timezone.localdate(now))
        batch = PushBatch.objects.create(source=cfg.source, number=number, standard=standard, records=len(ids),
                                         formed_at=now, next_try_at=now)
        claimed = OutboxRecord.objects.filter(pk__gte=ids[0], pk__lte=ids[-1], standard=standard,
                                              status=OutboxStatus.PENDING).update(batch=batch,
                                                                                  status=OutboxStatus.BATCHED)
        if claimed != len(ids):  # another pusher took some of them meanwhile: leave them to it
            transaction.set_rollback(True)
            return None
        record(actor=actor, verb="exchange.batch_formed", target=batch,
               data={"source": cfg.source, "batch": number, "standard": standard, "records": len(ids)})
    return batch


# --- sending ---------------------------------------------------------------------------------------------------

@dataclass
class Attempt:
    """What one send of a batch came to."""

    batch: str
    ok: bool
    status: int | None = None
    error: str = ""
    permanent: bool = False
    receipt: dict[str, Any] | None = field(default=None, repr=False)


def _body(batch: PushBatch) -> bytes:
    rows = OutboxRecord.objects.filter(batch=batch).order_by("pk").values_list("op", "record_id", "version", "data")
    records = []
    for op, record_id, version, data in rows.iterator(chunk_size=2000):
        item: dict[str, Any] = {"op": op, "id": record_id, "version": version}
        if op != "d":
            item["data"] = reveal_record(data)
        records.append(item)
    return json.dumps({"source": batch.source, "batch": batch.number, "standard": batch.standard,
                       "records": records}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_DEFAULT = urllib.request.build_opener()


def _post(cfg: PushConfig, body: bytes) -> tuple[int, bytes]:
    if not cfg.batches_url.startswith(("http://", "https://")):
        raise ValueError("JIANGUAN_PUSH_URL must be an http(s) URL")
    request = urllib.request.Request(cfg.batches_url, data=body, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {cfg.token}"})
    host = urllib.parse.urlsplit(cfg.batches_url).hostname or ""
    # A receiver on this machine is reached directly, whatever proxy the environment names.
    opener = _DIRECT if host in ("127.0.0.1", "localhost", "::1") else _DEFAULT
    try:
        with opener.open(request, timeout=cfg.timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _error_text(status: int, payload: bytes) -> str:
    try:
        body = json.loads(payload)
        return f"HTTP {status} {body.get('code', '')}: {body.get('message', '')}"[:500]
    except (ValueError, AttributeError):
        return f"HTTP {status}: {payload[:200].decode('utf-8', 'replace')}"[:500]


def _receipt_problem(receipt: Any, batch: PushBatch, cfg: PushConfig) -> str:
    if not isinstance(receipt, dict):
        return "receipt_malformed: 回执不是 JSON 对象"
    if receipt.get("batch") != batch.number or receipt.get("source") != batch.source:
        return f"receipt_mismatch: 回执批次 {receipt.get('source')}/{receipt.get('batch')} 与本批次不符"
    if not isinstance(receipt.get("rejected", []), list):
        return "receipt_malformed: rejected 不是数组"
    if cfg.receiver_key and not verify_receipt(receipt, cfg.receiver_key):
        return "receipt_signature_invalid: 回执签名无效"
    return ""


def batch_send(batch: PushBatch, *, actor: Actor = PUSHER, cfg: PushConfig | None = None) -> Attempt:
    """Send `batch` once; store its receipt, or count the failure and set the next try."""
    cfg = cfg or config()
    started = timezone.now()
    PushBatch.objects.filter(pk=batch.pk).exclude(status=BatchStatus.ACKNOWLEDGED).update(
        status=BatchStatus.SENT, attempts=F("attempts") + 1, sent_at=started)
    try:
        status, payload = _post(cfg, _body(batch))
    except (OSError, http.client.HTTPException, ValueError) as exc:  # refused, reset, timed out, bad URL
        return _failed(batch, actor, cfg, f"{type(exc).__name__}: {exc}"[:500])
    if status == 200:
        try:
            receipt = json.loads(payload)
        except ValueError:
            receipt = None
        problem = _receipt_problem(receipt, batch, cfg)
        if problem:
            return _failed(batch, actor, cfg, problem, receipt=receipt if isinstance(receipt, dict) else None)
        receipt_store(batch=batch, receipt=receipt, verified=bool(cfg.receiver_key), actor=actor)
        return Attempt(batch.number, ok=True, status=200, receipt=receipt)
    if status in (400, 413, 422):  # the receiver will never take this batch as it is
        return _refused(batch, actor, status, _error_text(status, payload))
    return _failed(batch, actor, cfg, _error_text(status, payload), status=status)


def _failed(batch: PushBatch, actor: Actor, cfg: PushConfig, error: str, *, status: int | None = None,
            receipt: dict | None = None) -> Attempt:
    with transaction.atomic():
        row = PushBatch.objects.select_for_update().get(pk=batch.pk)
        if row.status == BatchStatus.ACKNOWLEDGED:  # another pusher stored the receipt meanwhile
            return Attempt(batch.number, ok=True, status=status)
        row.failures += 1
        row.status = BatchStatus.RETRYING
        row.last_error = error
        row.next_try_at = timezone.now() + dt.timedelta(seconds=retry_delay(row.failures, cfg))
        if receipt is not None:
            row.receipt = receipt
        row.save(update_fields=["failures", "status", "last_error", "next_try_at", "receipt"])
        record(actor=actor, verb="exchange.batch_send_failed", target=row,
               data={"batch": row.number, "attempt": row.attempts, "error": error, "next_try_at": row.next_try_at})
    log.warning("push %s/%s failed (%s); next try at %s", row.source, row.number, error, row.next_try_at)
    return Attempt(batch.number, ok=False, status=status, error=error)


def _refused(batch: PushBatch, actor: Actor, status: int, error: str) -> Attempt:
    """The receiver refused the batch as a whole: its records go to their departments' repair queues."""
    with transaction.atomic():
        row = PushBatch.objects.select_for_update().get(pk=batch.pk)
        row.status, row.last_error, row.failures = BatchStatus.REFUSED, error, row.failures + 1
        row.save(update_fields=["status", "last_error", "failures"])
        items = list(OutboxRecord.objects.filter(batch=row))
        OutboxRecord.objects.filter(batch=row).update(status=OutboxStatus.REJECTED, done_at=timezone.now())
        errors = [{"field": "", "code": "batch_refused", "message": f"上级平台拒收整个批次：{error}"}]
        repairs.route(items=[(item, errors) for item in items], origin=Origin.RECEIVER, batch=row)
        record(actor=actor, verb="exchange.batch_refused", target=row,
               data={"batch": row.number, "status": status, "error": error, "records": len(items)})
    log.error("push %s/%s refused: %s", row.source, row.number, error)
    return Attempt(batch.number, ok=False, status=status, error=error, permanent=True)


def receipt_store(*, batch: PushBatch, receipt: dict[str, Any], verified: bool, actor: Actor = PUSHER) -> PushBatch:
    """Store the receipt of `batch`: the records it refused go to the repair queue (origin "receiver"), the others
    are done. Storing the same receipt again changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        row = PushBatch.objects.select_for_update().get(pk=batch.pk)
        if row.status == BatchStatus.ACKNOWLEDGED:
            return row
        refused = {(str(r.get("id")), int(r.get("version", 0))): r.get("errors") or []
                   for r in receipt.get("rejected", []) if isinstance(r, dict)}
        items = OutboxRecord.objects.filter(batch=row)
        if refused:
            rejected_items = [item for item in items.only("pk", "record_id", "version", "standard", "data",
                                                          "department_id", "region_id", "source_system")
                              if (item.record_id, item.version) in refused]
            OutboxRecord.objects.filter(pk__in=[i.pk for i in rejected_items]).update(
                status=OutboxStatus.REJECTED, done_at=now)
            repairs.route(items=[(i, refused[i.record_id, i.version]) for i in rejected_items],
                          origin=Origin.RECEIVER, batch=row)
        items.filter(status=OutboxStatus.BATCHED).update(status=OutboxStatus.ACCEPTED, done_at=now)
        row.status, row.acknowledged_at, row.receipt, row.receipt_verified = (
            BatchStatus.ACKNOWLEDGED, now, receipt, verified)
        row.accepted = int(receipt.get("accepted") or 0)
        row.duplicates = int(receipt.get("duplicates") or 0)
        row.rejected = len(refused)
        row.last_error = ""
        row.save(update_fields=["status", "acknowledged_at", "receipt", "receipt_verified", "accepted",
                                "duplicates", "rejected", "last_error"])
        record(actor=actor, verb="exchange.receipt_stored", target=row,
               data={"batch": row.number, "accepted": row.accepted, "duplicates": row.duplicates,
                     "rejected": row.rejected, "verified": verified, "key_id": receipt.get("key_id", "")})
    return row


# --- rounds ----------------------------------------------------------------------------------------------------

@dataclass
class Round:
    """One pass of the pusher: the attempts it made and why it stopped."""

    attempts: list[Attempt] = field(default_factory=list)
    stopped: str = "done"  # done | waiting (a batch waits for its retry) | failed | not_configured
    wait_until: dt.datetime | None = None

    @property
    def sent(self) -> int:
        return sum(1 for a in self.attempts if a.ok)

    def as_dict(self) -> dict[str, Any]:
        return {"sent": self.sent, "failed": sum(1 for a in self.attempts if not a.ok), "stopped": self.stopped,
                "wait_until": self.wait_until.isoformat() if self.wait_until else None}


def push_round(*, batch_size: int | None = None, max_batches: int | None = None, actor: Actor = PUSHER,
               now: dt.datetime | None = None) -> Round:
    """Send what is due: queue the platform's own new record versions (`collect.platform_collect`), send the
    unacknowledged batches in order, then new batches until nothing is pending.
    Stops at the first failure (the receiver is unwell; the batch waits for its backoff) or at a batch still
    waiting for its retry time."""
    cfg = config(batch_size=batch_size)
    result = Round()
    if not cfg.url:
        result.stopped = "not_configured"
        return result
    collect.platform_collect(actor=actor)
    for batch in PushBatch.objects.filter(status__in=UNACKNOWLEDGED).order_by("pk"):
        if max_batches is not None and len(result.attempts) >= max_batches:
            return result
        moment = now or timezone.now()
        if batch.status == BatchStatus.RETRYING and batch.next_try_at > moment:
            result.stopped, result.wait_until = "waiting", batch.next_try_at
            return result
        attempt = batch_send(batch, actor=actor, cfg=cfg)
        result.attempts.append(attempt)
        if not attempt.ok and not attempt.permanent:
            result.stopped = "failed"
            return result
    while max_batches is None or len(result.attempts) < max_batches:
        batch = batch_form(actor=actor, cfg=cfg, now=now)
        if batch is None:
            break
        attempt = batch_send(batch, actor=actor, cfg=cfg)
        result.attempts.append(attempt)
        if not attempt.ok and not attempt.permanent:
            result.stopped = "failed"
            return result
    return result


def push_loop(*, batch_size: int | None = None, idle_seconds: float | None = None, actor: Actor = PUSHER,
              stop: Any = None, say: Any = None) -> None:
    """Push for ever: a round, then sleep until the next retry is due (at most `idle_seconds`, default
    JIANGUAN_PUSH_INTERVAL_SECONDS). `stop()` → True ends the loop after the round in progress (SIGTERM)."""
    idle = idle_seconds if idle_seconds is not None else getattr(settings, "JIANGUAN_PUSH_INTERVAL_SECONDS", 10)
    while not (stop and stop()):
        try:
            result = push_round(batch_size=batch_size, actor=actor)
        except DatabaseError:  # the database went away or stayed locked: try again after a pause
            log.exception("push round failed")
            close_old_connections()
            result = Round(stopped="failed")
        if say and result.attempts:
            say(result.as_dict())
        pause = idle
        if result.stopped in ("waiting", "failed"):
            due = PushBatch.objects.filter(status=BatchStatus.RETRYING).order_by("next_try_at").values_list(
                "next_try_at", flat=True).first()
            if due is not None:
                pause = min(idle, max(0.05, (due - timezone.now()).total_seconds()))
        elif result.stopped == "done" and result.attempts:
            pause = 0
        deadline = time.monotonic() + pause
        while time.monotonic() < deadline and not (stop and stop()):
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
