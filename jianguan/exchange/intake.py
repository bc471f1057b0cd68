"""Intake: records received from other systems (API calls, uploaded files) and fixes re-reported from the repair
queue (`repairs.repair_fix`).

An intake keeps the call first (committed on its own, so that nothing received is lost even if the rest fails;
a call whose processing fails is then marked `failed` with the error, never left `received`), then checks every
record with the quality engine (`quality.engine.check`, with the Django references), and in one transaction
stores the records that pass, queues them for the push, routes the refused ones to their department's repair queue
and records one audit event for the call. Records are never half-applied: every record either lands whole (its row
and its outbox entry) or is reported refused.

Each record goes through the steps of `records.py` (envelope, identity, check, owner); the records that pass are
stored and queued by `store.py` and `outbox.py`; the refused ones are filed by `repairs.settle`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from jianguan.accounts.models import ApiClient, User
from jianguan.audit.contracts import record
from jianguan.core.actors import actor_ref
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import DomainError, NotFound, ValidationFailed
from jianguan.core.inputs import loads
from jianguan.core.tabular import ImportRefused, Problem

from . import dispatches, readers, repairs, standards
from .models import CallStatus, Channel, ExchangeCall, Op, RepairItem
from .records import LIBRARY, Item, Sender, check_items, resolve_owners, split_envelope
from .sealing import seal_body
from .standards import values as v
from .store import store_items, store_kept

log = logging.getLogger(__name__)


class TooLarge(DomainError):
    status = 413
    code = "too_large"


def max_bytes() -> int:
    """The largest body an intake reads [config]: JIANGUAN_EXCHANGE_MAX_BYTES (default 64 MiB)."""
    return getattr(settings, "JIANGUAN_EXCHANGE_MAX_BYTES", 64 * 1024 * 1024)


def max_records() -> int:
    """The most records one call may carry [config]: JIANGUAN_EXCHANGE_MAX_RECORDS (default 10,000)."""
    return getattr(settings, "JIANGUAN_EXCHANGE_MAX_RECORDS", 10_000)


# --- the outcome -------------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """The answer to a call: counts, duplicate indexes, refused records with their problems."""

    call_id: int
    standard: str
    received: int = 0
    accepted: int = 0
    duplicates: int = 0
    duplicate_indexes: list[int] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    stored: bool = False
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "standard": self.standard, "received": self.received,
                "accepted": self.accepted, "duplicates": self.duplicates,
                "duplicate_indexes": self.duplicate_indexes, "rejected": self.rejected, "stored": self.stored,
                "note": self.note}

    def to_json(self) -> bytes:
        return json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":"), default=str).encode()

    @classmethod
    def of_call(cls, call: ExchangeCall) -> Outcome:
        return cls(call_id=call.pk, standard=call.standard, received=call.received, accepted=call.accepted,
                   duplicates=call.duplicates, duplicate_indexes=call.outcome.get("duplicate_indexes", []),
                   rejected=call.outcome.get("rejected", []), stored=call.stored, note=call.outcome.get("note", ""))


# --- keeping the call --------------------------------------------------------------------------------------------

def keep_call(sender: Sender, *, channel: str, standard: str, raw: bytes, size: int | None = None, file_name: str = "",
          status: str = CallStatus.RECEIVED, error_code: str = "", received: int = 0) -> ExchangeCall:
    with transaction.atomic():
        call = ExchangeCall.objects.create(
            channel=channel, client=sender.client, department=sender.department,
            region_id=sender.department.region_id, source_system=sender.source_system, standard=standard[:40],
            bytes=size if size is not None else len(raw), sha256=hashlib.sha256(raw).hexdigest(),
            raw=seal_body(raw), file_name=file_name[:200], imported_by=actor_ref(sender.actor).label[:200],
            status=status, error_code=error_code, received=received, rows=received)
        if status == CallStatus.REFUSED:
            record(actor=sender.actor, verb="exchange.call_refused", target=call,
                   data={"standard": standard[:40], "code": error_code, "bytes": call.bytes, "sha256": call.sha256})
    return call


def _refuse(sender: Sender, error: DomainError, *, channel: str, standard: str, raw: bytes, size: int | None = None,
            file_name: str = "", received: int = 0) -> DomainError:
    """Keep a refused call and give back its error (with the call's id) for the caller to raise."""
    call = keep_call(sender, channel=channel, standard=standard, raw=raw, size=size, file_name=file_name,
                 status=CallStatus.REFUSED, error_code=error.code, received=received)
    error.extra = {**error.extra, "call_id": call.pk}
    return error


def _standard(name: str):
    """The standard a sender may send as `name` (the outbound-only ones are not received)."""
    try:
        found = standards.get(name)
    except standards.UnknownStandard:
        return None
    return None if found.outbound else found


def _parse(body: bytes) -> Any:
    """The JSON value of `body` by the input layer's strict rules (no NaN, lone surrogates, NUL, numbers beyond 64
    bits, nesting beyond the limit), or a ValidationFailed naming where it breaks."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"请求体不是 UTF-8 编码：第 {exc.start + 1} 个字节无法解码", code="encoding_invalid",
                               extra={"position": exc.start}) from None
    return loads(text)


def run_call(sender: Sender, std: Any, records: list[Any], call: ExchangeCall, **options: Any) -> Outcome:
    """Process a kept call; if processing fails, mark the call `failed` with the error (in its own transaction,
    with an audit event) before the error goes on, so that no call stays `received`."""
    try:
        return _process(sender, std, records, call, **options)
    except Exception as exc:
        code = (getattr(exc, "code", "") or "processing_failed")[:40]
        log.exception("exchange call %s failed", call.pk)
        with transaction.atomic():
            ExchangeCall.objects.filter(pk=call.pk).update(
                status=CallStatus.FAILED, error_code=code,
                outcome={"error": {"code": code, "type": type(exc).__name__, "message": str(exc)[:500]}})
            record(actor=sender.actor, verb="exchange.call_failed", target=call,
                   data={"standard": std.name, "code": code, "type": type(exc).__name__, "sha256": call.sha256})
        call.status = CallStatus.FAILED
        raise


# --- entry points ------------------------------------------------------------------------------------------------

def exchange_receive(*, actor: User | ApiClient, standard: str, body: bytes, size: int | None = None,
                     limit: int | None = None) -> Outcome:
    """An API call: `body` is a JSON array of records of `standard` (ascii name or Chinese title)."""
    sender = Sender.of(actor)
    limit = limit or max_records()
    keep = {"channel": Channel.API, "standard": standard, "raw": body, "size": size}
    if size is not None and size > max_bytes():
        raise _refuse(sender, TooLarge(f"请求体超过 {max_bytes() // (1024 * 1024)} MiB 上限", code="body_too_large"),
                      **keep)
    std = _standard(standard)
    if std is None:
        raise _refuse(sender, NotFound(f"未知的数据标准“{standard[:40]}”", code="standard_unknown",
                                       field="standard"), **keep)
    try:
        records = _parse(body)
    except ValidationFailed as exc:
        raise _refuse(sender, exc, **keep) from None
    if not isinstance(records, list):
        raise _refuse(sender, ValidationFailed("请求体应为记录数组（JSON array）", code="not_array"), **keep)
    if len(records) > limit:
        raise _refuse(sender, TooLarge(f"一次最多报送 {limit:,} 条记录（本次 {len(records):,} 条）",
                                       code="too_many_records", extra={"limit": limit, "received": len(records)}),
                      received=len(records), **keep)
    call = keep_call(sender, channel=Channel.API, standard=std.name, raw=body, size=size, received=len(records))
    return run_call(sender, std, records, call)


def exchange_upload(*, actor: User | ApiClient, standard: str, file_name: str, data: bytes) -> Outcome:
    """A file of records (xlsx or CSV, first row the column titles) uploaded on the work portal."""
    sender = Sender.of(actor)
    keep = {"channel": Channel.UPLOAD, "standard": standard, "raw": data, "file_name": file_name}
    std = _standard(standard)
    if std is None:
        raise _refuse(sender, ValidationFailed(f"未知的数据标准“{standard[:40]}”", code="standard_unknown",
                                               field="standard"), **keep)
    try:
        loaded = read_records(data, file_name)
    except ImportRefused as exc:
        raise _refuse(sender, exc, **keep) from None
    records = loaded.records
    bad = next(((n, k) for n, r in enumerate(records) for k, value in r.items()
                if isinstance(value, str) and "\x00" in value), None)
    if bad is not None:  # a file cannot carry what the library cannot store (PostgreSQL refuses NUL in text)
        problem = Problem(loaded.rows[bad[0]], str(bad[1]), "invalid_character", f"“{bad[1]}”含有不允许的空字符（NUL）")
        raise _refuse(sender, ImportRefused([problem]), received=len(records), **keep)
    if len(records) > max_records():
        problem = Problem(None, None, "too_many_records",
                          f"一个文件最多 {max_records():,} 条记录（本文件 {len(records):,} 条）")
        raise _refuse(sender, ImportRefused([problem]), received=len(records), **keep)
    call = keep_call(sender, channel=Channel.UPLOAD, standard=std.name, raw=data, file_name=file_name,
                 received=len(records))
    return run_call(sender, std, records, call, rows=loaded.rows)


def read_records(data: bytes, file_name: str) -> readers.Loaded:
    """The rows of a file (xlsx, CSV in UTF-8 or GBK, or JSON) as records keyed by their column titles, with the
    sheet row of each; ImportRefused for a file that cannot be read as records (merged cells, no header …)."""
    kinds = {".csv": readers.read_csv, ".txt": readers.read_csv, ".xlsx": readers.read_xlsx,
             ".xlsm": readers.read_xlsx, ".json": readers.read_json}
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in kinds:
        raise ImportRefused([Problem(None, None, "file_type", "只接受 .xlsx、.csv 或 .json 文件")])
    return kinds[suffix](data)


# --- processing --------------------------------------------------------------------------------------------------

def _process(sender: Sender, std: Any, records: list[Any], call: ExchangeCall, *,
             fixing: RepairItem | None = None, rows: list[int] | None = None) -> Outcome:
    items = [split_envelope(std, index, raw).identify(std) for index, raw in enumerate(records)]
    check_items(std, items)
    model = LIBRARY.get(std.name)
    resolve_owners(sender, std, items)
    dispatched = dispatches.dispatch_check(std, items, sender, call.pk)
    outcome = Outcome(call_id=call.pk, standard=std.name, received=len(items), stored=True)
    if model is None:
        outcome.note = "该数据标准在本平台没有信息库表：记录存入交换记录，与原始报文一并保存，并推送上级平台"
    with transaction.atomic():
        valid = [i for i in items if not i.errors]
        queued = store_items(sender, std, model, valid, call) if model is not None else store_kept(sender, std, valid,
                                                                                                call)
        dispatches.dispatch_store(dispatched, items, sender)
        accepted = [i for i in items if not i.errors]
        rejected = [i for i in items if i.errors]
        outcome.accepted = sum(1 for i in accepted if not i.duplicate)
        outcome.duplicate_indexes = [i.index for i in accepted if i.duplicate]
        outcome.duplicates = len(outcome.duplicate_indexes)
        outcome.rejected = [{"index": i.index, "record_id": i.record_id, "errors": i.errors} for i in rejected]
        repairs.settle(sender=sender, std=std, call=call, accepted=[i for i in accepted if i.record_id],
                       rejected=rejected, fixing=fixing)
        tally = _tally(std, items, sender)
        for row in outcome.rejected:
            row["department_id"] = items[row["index"]].department_id or sender.department.pk
            if rows:
                row["row"] = rows[row["index"]]
        status = (CallStatus.ACCEPTED if not rejected else CallStatus.REJECTED if not accepted
                  else CallStatus.PARTIAL)
        ExchangeCall.objects.filter(pk=call.pk).update(
            status=status, accepted=outcome.accepted, duplicates=outcome.duplicates, rejected=len(rejected),
            stored=outcome.stored, tally=tally,
            outcome={"rejected": outcome.rejected, "duplicate_indexes": outcome.duplicate_indexes,
                     "note": outcome.note})
        call.status = status
        record(actor=sender.actor, verb="exchange.records_received", target=call, data={
            "standard": std.name, "channel": call.channel, "received": len(items), "accepted": outcome.accepted,
            "duplicates": outcome.duplicates, "rejected": len(rejected), "queued": queued,
            "sha256": call.sha256})
        transaction.on_commit(_enqueue_push if queued else _schedule_snapshot)
    for row in outcome.rejected:
        row.pop("department_id", None)
    return outcome


def _tally(std: Any, items: list[Item], sender: Sender) -> dict[str, dict[str, Any]]:
    """Per department: records, refused, records with an issue per dimension, and timeliness (records with both
    dates, and those reported within the standard's limit) — what `snapshots` scores with `scoring.score`."""
    limit = std.timeliness() if std.action_date and std.report_date else None
    deadlines: dict[dt.date, dt.date] = {}
    tally: dict[str, dict[str, Any]] = {}
    for item in items:
        entry = tally.setdefault(str(item.department_id or sender.department.pk),
                                 {"records": 0, "rejected": 0, "dimensions": {}, "timed": 0, "on_time": 0})
        entry["records"] += 1
        if item.errors:
            entry["rejected"] += 1
            for dimension in {e.get("dimension", "conformity") for e in item.errors}:
                entry["dimensions"][dimension] = entry["dimensions"].get(dimension, 0) + 1
        if limit is None or item.op == Op.DELETE:
            continue
        action = v.parse_date(v.as_text(item.data.get(std.action_date)) or "")
        reported = v.parse_date(v.as_text(item.data.get(std.report_date)) or "")
        if action is None or reported is None:
            continue
        if action not in deadlines:
            days = int(limit["days"])
            deadlines[action] = (add_working_days(action, days) if limit.get("unit") == "working_days"
                                 else action + dt.timedelta(days=days))
        entry["timed"] += 1
        entry["on_time"] += reported <= deadlines[action]
    return tally


def _schedule_snapshot() -> None:
    """Start the periodic quality snapshot if no run waits (`tasks.snapshot_schedule`)."""
    from . import tasks

    tasks.snapshot_schedule()


def _enqueue_push() -> None:
    """Push what the intake queued (when a receiver is configured), and start the periodic snapshot."""
    from . import tasks

    if getattr(settings, "JIANGUAN_PUSH_URL", "") and getattr(settings, "JIANGUAN_PUSH_ON_INTAKE", True):
        tasks.push_pending.enqueue()
    tasks.snapshot_schedule()
