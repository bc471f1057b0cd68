"""Writes of the exchange: intake of records (API calls, files, fixes), their store in the behaviour library, the
outbox, and the repair queue.

An intake keeps the call first (committed on its own, so that nothing received is lost even if the rest fails;
a call whose processing fails is then marked `failed` with the error, never left `received`), then checks every
record with the quality engine (`quality.check`, with the Django references), and in one transaction stores the
records that pass, queues them for the push, routes the refused ones to their department's repair queue and
records one audit event for the call. Records are never half-applied: every record either lands
whole (its row and its outbox entry) or is reported refused.

Records of the four behaviour standards are upserted by 记录唯一标识 (catalog.md §7): `i` creates, `u` replaces
the row with a higher version, `d` marks it withdrawn. The same (sending system, id, version) again is stored once
and reported as a duplicate. Records of the standards without a library table (联合监管任务, 双公示, the catalog
tables) are kept by the same rules in `KeptRecord` (keyed by the standard's key: 任务编号 for a joint task; a 双公示
record without 记录唯一标识 by its de-duplication key) and queued for the push like the behaviour records.

An optional field left empty is stored as the column's empty value (NULL where the column allows it, else "" or
[]). A row the database refuses is reported as `store_conflict` (another call took its id or number meanwhile)
or `store_failed` (anything else: logged; resending does not help), and only that record is left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

from jianguan.accounts.models import ApiClient, Department, Region
from jianguan.audit.contracts import record
from jianguan.behaviour.models import Coercion, Inspection, OtherAction, Penalty
from jianguan.behaviour.models import Source as BehaviourSource
from jianguan.core.actors import actor_ref
from jianguan.core.bulk import bulk_insert
from jianguan.core.calendar import add_working_days
from jianguan.core.codes import mask_ric
from jianguan.core.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from jianguan.core.inputs import loads
from jianguan.core.protect import lookup_hash
from jianguan.core.tabular import ImportRefused, Problem
from jianguan.subjects.models import MarketEntity, Person

from . import quality, readers, repairs, selectors, standards
from .models import (
    CallStatus,
    Channel,
    ExchangeCall,
    KeptRecord,
    Op,
    Origin,
    OutboxRecord,
    OutboxStatus,
    RepairItem,
    RepairStatus,
)
from .permissions import may_repair
from .refs import LibraryRefs
from .sealing import is_person_id, protect_record, reveal_record, seal_body
from .standards import values as v

log = logging.getLogger(__name__)
LIBRARY: dict[str, type[models.Model]] = {"inspection": Inspection, "penalty": Penalty, "coercion": Coercion,
                                          "other_action": OtherAction}
OP_KEYS = ("op", "cd_operation", "操作类型")
VERSION_KEYS = ("version", "版本", "版本号")
ACTION_DATE = {"inspection": ("date",), "penalty": ("date",), "coercion": ("starts_on", "date"),
               "other_action": ("starts_on", "date")}
IN_CLAUSE = 5000  # keys per IN (...) look-up
# 双公示 records may leave 记录唯一标识 empty: they are then identified by their de-duplication key, with this prefix.
DERIVED_KEYS = {"disclosure_penalty": "SGS-CF", "disclosure_licence": "SGS-XK"}
MAX_VERSION = 2**31 - 1  # the version column's range on every database
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


# --- who sends ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sender:
    """The sending party: its department (whose repair queue gets its refused records), its scope (the departments
    and regions it may report for) and its system code (part of the idempotency key)."""

    actor: Any
    department: Department
    source_system: str
    client: ApiClient | None = None

    @classmethod
    def of(cls, actor: Any, *, source_system: str = "") -> Sender:
        if isinstance(actor, ApiClient):
            return cls(actor, actor.department, source_system or f"client:{actor.pk}", actor)
        department = actor.department
        return cls(actor, department, source_system or f"portal:{department.uscc}")

    def covers(self, department_id: int, region_id: str) -> bool:
        scope = self.actor.scope
        return scope.covers_department(department_id) and scope.covers_region(region_id)


# --- the outcome ------------------------------------------------------------------------------------------------

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


def issue(field_id: str, code: str, message: str, dimension: str = "conformity", rule: str = "") -> dict[str, str]:
    return {"field": field_id, "code": code, "message": message, "rule": rule or f"exchange.{code}",
            "dimension": dimension}


# --- keeping the call -------------------------------------------------------------------------------------------

def _keep(sender: Sender, *, channel: str, standard: str, raw: bytes, size: int | None = None, file_name: str = "",
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
    call = _keep(sender, channel=channel, standard=standard, raw=raw, size=size, file_name=file_name,
                 status=CallStatus.REFUSED, error_code=error.code, received=received)
    error.extra = {**error.extra, "call_id": call.pk}
    return error


def _standard(name: str):
    try:
        return standards.get(name)
    except standards.UnknownStandard:
        return None


def _parse(body: bytes) -> Any:
    """The JSON value of `body` by the input layer's strict rules (no NaN, lone surrogates, NUL, numbers beyond 64
    bits, nesting beyond the limit), or a ValidationFailed naming where it breaks."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"请求体不是 UTF-8 编码：第 {exc.start + 1} 个字节无法解码", code="encoding_invalid",
                               extra={"position": exc.start}) from None
    return loads(text)


def _run(sender: Sender, std: Any, records: list[Any], call: ExchangeCall, **options: Any) -> Outcome:
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


# --- entry points -----------------------------------------------------------------------------------------------

def exchange_receive(*, actor: Any, standard: str, body: bytes, size: int | None = None,
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
    call = _keep(sender, channel=Channel.API, standard=std.name, raw=body, size=size, received=len(records))
    return _run(sender, std, records, call)


def exchange_upload(*, actor: Any, standard: str, file_name: str, data: bytes) -> Outcome:
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
    call = _keep(sender, channel=Channel.UPLOAD, standard=std.name, raw=data, file_name=file_name,
                 received=len(records))
    return _run(sender, std, records, call, rows=loaded.rows)


def read_records(data: bytes, file_name: str) -> readers.Loaded:
    """The rows of a file (xlsx, CSV in UTF-8 or GBK, or JSON) as records keyed by their column titles, with the
    sheet row of each; ImportRefused for a file that cannot be read as records (merged cells, no header …)."""
    kinds = {".csv": readers.read_csv, ".txt": readers.read_csv, ".xlsx": readers.read_xlsx,
             ".xlsm": readers.read_xlsx, ".json": readers.read_json}
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in kinds:
        raise ImportRefused([Problem(None, None, "file_type", "只接受 .xlsx、.csv 或 .json 文件")])
    return kinds[suffix](data)


def repair_fix(*, actor: Any, item_id: int, values: dict[str, Any]) -> Outcome:
    """Check a repair item's record again with `values` changed; if it passes it is stored and queued as `u` with
    the next version, and the item is closed as fixed. A sealed ID number left as shown (masked) is kept."""
    item = selectors.repair_get(reader=actor, item_id=item_id)
    if not may_repair(actor, item):
        raise AccessDenied("无权整改该条数据")
    if item.status != RepairStatus.OPEN:
        raise ValidationFailed("该条数据已处理", code="repair_closed")
    std = standards.get(item.standard)
    payload = reveal_record(item.payload)
    changed = {k: val for k, val in values.items() if not (isinstance(val, str) and "*" in val
                                                           and k in payload and mask_ric(str(payload[k])) == val)}
    model = LIBRARY.get(std.name)
    own = model.objects.filter(record_id=item.record_id, source=BehaviourSource.PLATFORM).first() if model else None
    if own is not None:  # a record made on the platform: corrected in the library, then queued (collect.py)
        from . import collect  # collect builds on this module

        return collect.platform_fix(actor=actor, item=item, row=own, values=changed)
    fixed = {**payload, **changed}
    version = max(item.version, _current_version(std.name, item.record_id)) + 1
    body = json.dumps([{**fixed, "op": Op.UPDATE, "version": version}], ensure_ascii=False).encode()
    sender = Sender(actor, item.department, item.source_system or Sender.of(actor).source_system,
                    None)
    call = _keep(sender, channel=Channel.REPAIR, standard=std.name, raw=body, received=1)
    return _run(sender, std, [{**fixed, "op": Op.UPDATE, "version": version}], call, fixing=item)


def repair_dismiss(*, actor: Any, item_id: int, reason: str) -> RepairItem:
    """Close a repair item without a fix (a record sent in error, a duplicate of one fixed elsewhere)."""
    if not reason.strip():
        raise ValidationFailed("请说明作废原因", code="reason_required", field="reason")
    with transaction.atomic():
        item = selectors.repair_get(reader=actor, item_id=item_id)
        if not may_repair(actor, item):
            raise AccessDenied("无权处理该条数据")
        item = RepairItem.objects.select_for_update().get(pk=item.pk)
        if item.status != RepairStatus.OPEN:
            raise ValidationFailed("该条数据已处理", code="repair_closed")
        item.status, item.fixed_at, item.resolution = RepairStatus.DISMISSED, timezone.now(), reason.strip()[:300]
        item.fixed_by = actor if getattr(actor, "is_person", False) else None
        item.save(update_fields=["status", "fixed_at", "resolution", "fixed_by"])
        record(actor=actor, verb="exchange.repair_dismissed", target=item,
               data={"standard": item.standard, "record_id": item.record_id, "reason": item.resolution})
    return item


def _current_version(standard: str, record_id: str) -> int:
    model = LIBRARY.get(standard)
    rows = model.objects.filter(record_id=record_id) if model else KeptRecord.objects.filter(standard=standard,
                                                                                           record_id=record_id)
    found = rows.values_list("version", flat=True).first()
    queued = OutboxRecord.objects.filter(standard=standard, record_id=record_id).aggregate(
        top=models.Max("version"))["top"]
    return max(found or 0, queued or 0)


# --- processing -------------------------------------------------------------------------------------------------

@dataclass
class Item:
    """One record of the call as it goes through the steps."""

    index: int
    op: str = Op.INSERT
    version: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    department_id: int | None = None
    region_id: str | None = None
    duplicate: bool = False
    pushed: dict[str, Any] | None = None  # the record as it is pushed (set when it is stored)

    record_id: str = ""

    def identify(self, std: Any) -> Item:
        """The record's 记录唯一标识: the standard's key (`record_id`, or 任务编号 for a joint task); a 双公示 record
        that leaves it empty is identified by its de-duplication key (决定书文号 or 许可编号, and the party)."""
        value = self.data.get(std.key)
        self.record_id = value.strip() if isinstance(value, str) else ("" if value is None else str(value))
        if not self.record_id and std.name in DERIVED_KEYS and std.dedup:
            texts = {f: v.as_text(self.data.get(f)) for part in std.dedup[0].parts for f in part}
            key = std.dedup[0].key({f: t.strip() for f, t in texts.items() if t})
            if key is not None:
                digest = hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:40]
                self.record_id = f"{DERIVED_KEYS[std.name]}-{digest}"
        return self


_ENVELOPE_KEYS = frozenset(OP_KEYS + VERSION_KEYS)
_field_ids: dict[str, frozenset[str]] = {}


def _envelope(std: Any, index: int, raw: Any) -> Item:
    """Split a record into its operation, its version and its fields (keyed by field id)."""
    item = Item(index)
    if not isinstance(raw, dict):
        item.errors.append(issue("", "record_not_object", f"第 {index + 1} 条记录应为 JSON 对象"))
        return item
    ids = _field_ids.get(std.name)
    if ids is None:
        ids = _field_ids[std.name] = frozenset(f.id for f in std.fields)
    if raw.keys() <= ids:  # the common case: ascii field ids only, no operation or version
        item.data = raw
        return item
    fields = {k: value for k, value in raw.items() if k not in _ENVELOPE_KEYS}
    op = next((raw[k] for k in OP_KEYS if k in raw), Op.INSERT)
    version = next((raw[k] for k in VERSION_KEYS if k in raw), None)
    item.data = fields if fields.keys() <= ids else std.normalize(fields)
    if not isinstance(op, str) or op.strip().lower() not in Op.values:
        item.errors.append(issue("op", "op_invalid", "操作类型应为 i（新增）、u（更新）或 d（删除）"))
    else:
        item.op = op.strip().lower()
    if version not in (None, ""):
        text = v.as_text(version)
        if text is None or not text.isdigit() or len(text) > 10 or not 1 <= int(text) <= MAX_VERSION:
            item.errors.append(issue("version", "version_invalid", f"版本号应为 1 到 {MAX_VERSION} 之间的整数"))
        else:
            item.version = int(text)
    return item


def _check(std: Any, items: list[Item]) -> None:
    """Run the quality engine over the records to insert or update (a withdrawal needs only its id)."""
    content = [item for item in items if not item.errors and item.op != Op.DELETE]
    if content:
        verdicts = quality.check(std, [item.data for item in content], refs=_refs())
        for verdict in verdicts:
            if not verdict.ok:
                content[verdict.index].errors += [_issue_dict(e) for e in verdict.errors]
    for item in items:
        if item.op == Op.DELETE and not item.errors and not item.record_id:
            item.errors.append(issue(std.key, "required", "删除操作须提供“记录唯一标识”", "completeness"))


def _issue_dict(found: Any) -> dict[str, str]:
    if hasattr(found, "as_dict"):
        return found.as_dict()
    return dict(found)


def _refs() -> LibraryRefs:
    return LibraryRefs()


def _process(sender: Sender, std: Any, records: list[Any], call: ExchangeCall, *,
             fixing: RepairItem | None = None, rows: list[int] | None = None) -> Outcome:
    items = [_envelope(std, index, raw).identify(std) for index, raw in enumerate(records)]
    _check(std, items)
    model = LIBRARY.get(std.name)
    _resolve(sender, std, items)
    outcome = Outcome(call_id=call.pk, standard=std.name, received=len(items), stored=True)
    if model is None:
        outcome.note = "该数据标准在本平台没有信息库表：记录存入交换记录，与原始报文一并保存，并推送上级平台"
    with transaction.atomic():
        valid = [i for i in items if not i.errors]
        queued = _store(sender, std, model, valid, call) if model is not None else _store_kept(sender, std, valid,
                                                                                                call)
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
    dates, and those reported within the standard's limit) — what `snapshots` scores with `quality.score`."""
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


# --- resolving departments, regions and parties ----------------------------------------------------------------

def _departments() -> dict[str, tuple[int, str]]:
    return {uscc: (pk, region) for uscc, pk, region in Department.objects.filter(is_active=True).values_list(
        "uscc", "pk", "region_id")}


def _resolve(sender: Sender, std: Any, items: list[Item]) -> None:
    """Each record's owning department (实施机构编码, else the sender's) and region (行政区划代码); a record for a
    department or region outside the sender's scope is refused."""
    departments = _departments() if any(i.data.get("department_code") for i in items) else {}
    codes = {str(i.data.get("region_code")) for i in items if i.data.get("region_code")}
    regions = set(Region.objects.filter(code__in=codes).values_list("code", flat=True)) if codes else set()
    for item in items:
        code = item.data.get("department_code")
        if code:
            found = departments.get(str(code).strip().upper())
            if found is None:
                if not item.errors:
                    item.errors.append(issue("department_code", "department_unknown",
                                             f"实施机构编码“{v.shown(code)}”不是本平台登记的部门", "relevance"))
            elif not sender.covers(*found):
                item.errors.append(issue("department_code", "department_out_of_scope",
                                         "无权报送该实施机构的数据", "relevance"))
            else:
                item.department_id = found[0]
        department_region = (departments.get(str(code).strip().upper(), (0, None))[1] if code else None) \
            or sender.department.region_id
        region = str(item.data.get("region_code") or "")
        if region and region in regions:
            if not sender.actor.scope.covers_region(region):
                item.errors.append(issue("region_code", "region_out_of_scope", f"行政区划“{region}”不在报送方辖区内",
                                         "relevance"))
            item.region_id = region
        elif region and not item.errors and item.op != Op.DELETE and std.name in LIBRARY:
            item.errors.append(issue("region_code", "region_unknown", f"行政区划“{v.shown(region)}”不在本平台辖区",
                                     "relevance"))
        else:
            item.region_id = department_region
        if item.department_id is None:
            item.department_id = sender.department.pk if not code else None


# --- storing in the behaviour library -------------------------------------------------------------------------

def _lookup(model: type[models.Model], columns: tuple[str, ...], key: str, values: list[str]) -> list[tuple]:
    """Rows of `model` whose `key` column is one of `values` (text keys), in slices of plain SQL: building the
    ORM's IN clause value by value costs more than the query for ten thousand keys."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    found: list[tuple] = []
    with connection.cursor() as cursor:
        for chunk in _chunks(values):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {table} "  # noqa: S608 (names from _meta)
                           f"WHERE {quote(key)} IN ({marks})", chunk)
            found += cursor.fetchall()
    return found


def _chunks(values: list[Any]):
    for start in range(0, len(values), IN_CLAUSE):
        yield values[start:start + IN_CLAUSE]


@dataclass
class State:
    pk: int | None
    version: int
    source_system: str
    withdrawn: bool
    number: str


def _store(sender: Sender, std: Any, model: type[models.Model], items: list[Item], call: ExchangeCall) -> int:
    """Upsert the checked records, then queue each applied one; duplicates and conflicts are marked on the items."""
    ids = list({i.record_id for i in items if i.record_id})
    states: dict[str, State] = {}
    for pk, rid, version, system, withdrawn, number in _lookup(
            model, ("id", "record_id", "version", "source_system", "withdrawn_at", "number"), "record_id", ids):
        states[rid] = State(pk, version, system, withdrawn is not None, number)
    numbers = list({_number(i) for i in items if i.op != Op.DELETE})
    taken: dict[str, str] = dict(_lookup(model, ("number", "record_id"), "number", numbers))
    parties = _parties(items)
    now = timezone.now()
    rows: dict[str, dict[str, Any]] = {}  # record_id -> the row's final values (pk None: a new row)
    applied: list[Item] = []
    for item in items:
        decided = _decide(item, states.get(item.record_id), sender)
        if decided is None:
            continue
        if item.op != Op.DELETE:
            number = _number(item)
            owner = taken.get(number)
            if owner is not None and owner != item.record_id:
                item.errors.append(issue("number", "number_taken", f"行为编号“{v.shown(number)}”已被另一条记录使用",
                                         "redundancy"))
                continue
            values = _values(std, model, item, parties, sender, call)
            if isinstance(values, list):
                item.errors += values
                continue
            taken[number] = item.record_id
            state = states.get(item.record_id)
            if state is not None and state.number != number and taken.get(state.number) == item.record_id:
                taken.pop(state.number, None)
            rows[item.record_id] = {**values, "pk": state.pk if state else None, "withdrawn_at": None}
            states[item.record_id] = State(state.pk if state else None, item.version, sender.source_system, False,
                                           number)
        else:
            state = states[item.record_id]
            row = rows.setdefault(item.record_id, {"pk": state.pk, "_withdraw_only": True})
            row["withdrawn_at"], row["version"] = now, item.version
            states[item.record_id] = State(state.pk, item.version, state.source_system, True, state.number)
        applied.append(item)
    _apply(std, model, rows, items)
    return _queue(std, [i for i in applied if not i.errors], sender, call)


def _store_kept(sender: Sender, std: Any, items: list[Item], call: ExchangeCall) -> int:
    """Keep the checked records of a standard without a library table (`KeptRecord`), by the same rules as the
    behaviour records (`_decide`), then queue each applied one."""
    states: dict[str, State] = {}
    ids = sorted({i.record_id for i in items if i.record_id})
    for chunk in _chunks(ids):
        for pk, rid, version, system, withdrawn in KeptRecord.objects.filter(
                standard=std.name, record_id__in=chunk).values_list("pk", "record_id", "version", "source_system",
                                                                   "withdrawn_at"):
            states[rid] = State(pk, version, system, withdrawn is not None, "")
    layout = _layout(std, KeptRecord)
    now = timezone.now()
    rows: dict[str, KeptRecord] = {}
    applied: list[Item] = []
    for item in items:
        state = states.get(item.record_id)
        if _decide(item, state, sender) is None:
            continue
        row = rows.get(item.record_id) or KeptRecord(
            pk=state.pk if state else None, standard=std.name, record_id=item.record_id,
            source_system=sender.source_system, created_at=now)
        row.version, row.updated_at, row.call_id, row.index = item.version, now, call.pk, item.index
        if item.op == Op.DELETE:
            row.withdrawn_at = now
        else:
            pushed = layout.row(item.data)[1]
            if len(item.record_id) > 64:
                item.errors.append(issue(std.key, "too_long", "记录唯一标识超过本平台库字段长度 64"))
                continue
            item.pushed = protect_record(pushed)
            row.data, row.payload, row.withdrawn_at = item.pushed, _received(item.data), None
            row.department_id, row.region_id = item.department_id, item.region_id
        rows[item.record_id] = row
        states[item.record_id] = State(row.pk, item.version, sender.source_system, item.op == Op.DELETE, "")
        applied.append(item)
    if rows:
        fields = ["version", "updated_at", "call", "index", "withdrawn_at", "data", "payload", "department",
                  "region"]
        KeptRecord.objects.bulk_update([r for r in rows.values() if r.pk], fields, batch_size=500)
        new = [r for r in rows.values() if r.pk is None]
        try:
            with transaction.atomic():
                KeptRecord.objects.bulk_create(new, batch_size=2000)
        except IntegrityError:  # another call kept the same key meanwhile: refuse those, keep the others
            for row in new:
                try:
                    with transaction.atomic():
                        row.save(force_insert=True)
                except IntegrityError:
                    for item in applied:
                        if item.record_id == row.record_id and not item.errors:
                            item.errors.append(issue(std.key, "store_conflict", "存储时与同时到达的另一条记录冲突，"
                                                     "请以更新（u）重报", "redundancy"))
    return _queue(std, [i for i in applied if not i.errors], sender, call)


def _received(data: dict[str, Any]) -> dict[str, Any]:
    """The record as received, keyed as sent, with natural persons' ID numbers sealed."""
    return protect_record({str(k): val for k, val in data.items()})


def _decide(item: Item, state: State | None, sender: Sender) -> bool | None:
    """Whether to apply `item` given the stored row; None when it is a duplicate or refused (marked on it)."""
    if not item.record_id:
        item.errors.append(issue("record_id", "required", "“记录唯一标识”为必填项，不能为空", "completeness"))
        return None
    if state is not None and state.source_system != sender.source_system:
        item.errors.append(issue("record_id", "record_owned_elsewhere", "该记录唯一标识已由其他系统报送，不能覆盖",
                                 "redundancy"))
        return None
    if item.op == Op.INSERT:
        if state is None:
            item.version = item.version or 1
            return True
        if item.version in (None, state.version):
            item.version, item.duplicate = state.version, True
            return None
        item.errors.append(issue("record_id", "record_exists", "该记录已存在：更新请用操作类型 u 并提高版本号",
                                 "redundancy"))
        return None
    if item.op == Op.UPDATE:
        if state is None:
            item.version = item.version or 1
            return True
        version = item.version or state.version + 1
        if version == state.version and not state.withdrawn:
            item.version, item.duplicate = version, True
            return None
        if version <= state.version:
            item.errors.append(issue("version", "version_stale", f"版本号 {version} 不高于已存版本 {state.version}",
                                     "accuracy"))
            return None
        item.version = version
        return True
    if state is None:
        item.errors.append(issue("record_id", "record_unknown", "要删除的记录不存在", "relevance"))
        return None
    if state.withdrawn and item.version in (None, state.version):
        item.version, item.duplicate = state.version, True
        return None
    version = item.version or state.version + 1
    if version <= state.version:
        item.errors.append(issue("version", "version_stale", f"删除的版本号 {version} 应高于已存版本 {state.version}",
                                 "accuracy"))
        return None
    item.version = version
    return True


def _number(item: Item) -> str:
    number = v.as_text(item.data.get("number")) or ""
    return number.strip() or item.record_id[:50]


def _parties(items: list[Item]) -> dict[str, tuple[str, int]]:
    """{party code: ("entity" | "person", id)} for the codes of registered entities and persons."""
    codes = {str(i.data.get("party_code") or "").strip().upper() for i in items if i.op != Op.DELETE}
    codes.discard("")
    people = {lookup_hash(c): c for c in codes if is_person_id(c)}
    found: dict[str, tuple[str, int]] = {}
    for chunk in _chunks(sorted(codes - set(people.values()))):
        found.update((uscc, ("entity", pk)) for uscc, pk in MarketEntity.objects.filter(
            uscc__in=chunk).values_list("uscc", "pk"))
    for chunk in _chunks(sorted(people)):
        found.update((people[h], ("person", pk)) for h, pk in Person.objects.filter(
            id_lookup__in=chunk).values_list("id_lookup", "pk"))
    return found


class Layout:
    """How checked records of one standard become rows of one library table and records to push, compiled once:
    per field id, the value pushed (lists as lists, yes/no as booleans, dictionary labels as codes, dates as
    YYYY-MM-DD) and the value stored (dates, amounts, …), and the columns of a bulk insert."""

    SKIP = frozenset({"record_id", "version", "source", "raw", "source_system", "withdrawn_at", "created_at",
                      "updated_at"})

    def __init__(self, std: Any, model: type[models.Model]) -> None:
        self.model = model
        fields = {f.name: f for f in model._meta.concrete_fields if not f.is_relation and not f.primary_key}
        self.plan: dict[str, tuple[Any, bool, int | None, str]] = {}
        for f in std.fields:
            model_field = fields.get(f.id) if f.id not in self.SKIP else None
            limit = getattr(model_field, "max_length", None) if model_field is not None and f.type == "str" else None
            if isinstance(model_field, models.DecimalField):  # the largest amount the column holds
                limit = Decimal(10) ** (model_field.max_digits - model_field.decimal_places)
            title = str(model_field.verbose_name) if model_field is not None else f.title
            to_code = std.field_rules[f.id]["to_code"]
            # A plain text field without dictionary is converted inline (most fields of a record).
            convert = None if f.type == "str" and not to_code else self._converter(f, to_code)
            self.plan[f.id] = (convert, model_field is not None, limit, title)
        # An optional field left empty is stored as the column's empty value: NULL where the column allows it,
        # else its default ("" for text, [] for lists) — never NULL in a NOT NULL column.
        self.empty = {name: None if f.null else f.get_default() for name, f in fields.items()}
        concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = tuple(f.column for f in concrete)
        self.attnames = tuple(f.attname for f in concrete)
        self.defaults = {f.attname: None if f.null else f.get_default() for f in concrete}
        self.json = frozenset(f.attname for f in concrete if isinstance(f, models.JSONField))
        self.moments = frozenset(f.attname for f in concrete if isinstance(f, models.DateTimeField))

    @staticmethod
    def _converter(f: Any, to_code: dict[str, str]):
        """value -> (value pushed, value stored)."""
        if f.type == "list":
            def items(value):
                found = [to_code.get(x, x) for x in (v.as_items(value) or [])] if to_code else v.as_items(value) or []
                return found, found
            return items
        if f.type == "bool":
            def flag(value):
                found = v.as_bool(value)
                return found, bool(found)
            return flag
        if f.type == "date":
            return _day
        if f.type == "datetime":
            return lambda value: (v.as_text(value), _moment(value))
        if f.type == "decimal":
            return lambda value: (v.as_text(value), _amount(value))
        if f.type == "int":
            return lambda value: (v.as_text(value), int(v.as_text(value) or 0))

        def text(value):
            found = value if type(value) is str else v.as_text(value)
            found = found.strip() if found is not None else str(value)
            if to_code:
                found = to_code.get(found, found)
            return found, found

        return text

    @staticmethod
    def _plain(value: Any) -> tuple[str, str]:
        found = v.as_text(value)
        found = found.strip() if found is not None else str(value)
        return found, found

    def row(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, str]]]:
        """(model values, the record to push, problems of values the table cannot hold)."""
        values: dict[str, Any] = {}
        pushed: dict[str, Any] = {}
        problems: list[dict[str, str]] = []
        plan, empty = self.plan, self.empty
        for field_id, value in data.items():
            found = plan.get(field_id)
            if found is None:
                continue
            convert, stored, limit, title = found
            if value is None or value == "" or value == []:
                if stored:
                    values[field_id] = empty[field_id]
                continue
            if convert is None and type(value) is str:
                clean = converted = value.strip()
            else:
                clean, converted = (convert or self._plain)(value)
            pushed[field_id] = clean
            if stored:
                if limit and isinstance(converted, Decimal):
                    if abs(converted) >= limit:
                        problems.append(issue(field_id, "too_large", f"“{title}”超过本平台库字段范围（应小于 {limit}）",
                                              "accuracy"))
                        continue
                elif limit and len(converted) > limit:
                    problems.append(issue(field_id, "too_long", f"“{title}”超过本平台库字段长度 {limit}"))
                    continue
                values[field_id] = converted
        return values, pushed, problems

    def tuples(self, rows: list[dict[str, Any]]):
        """Insert rows in column order: defaults for what a row leaves out, JSON as text, moments adapted."""
        adapt = connection.ops.adapt_datetimefield_value
        position = {name: i for i, name in enumerate(self.attnames)}
        base = [self.defaults[name] for name in self.attnames]
        json_at = [position[name] for name in self.json]
        moments_at = [position[name] for name in self.moments]
        adapted: dict[Any, Any] = {}
        dumps = json.dumps
        for row in rows:
            out = base.copy()
            for name, value in row.items():
                out[position[name]] = value
            for i in json_at:
                if out[i] is not None:
                    out[i] = dumps(out[i], ensure_ascii=False, default=str)
            for i in moments_at:
                moment = out[i]
                if moment is not None:
                    if moment not in adapted:
                        adapted[moment] = adapt(moment)
                    out[i] = adapted[moment]
            yield out


_DAYS: dict[str, dt.date | None] = {}


def _day(value: Any) -> tuple[str | None, dt.date | None]:
    text = v.as_text(value) or ""
    if text not in _DAYS:
        if len(_DAYS) > 100_000:
            _DAYS.clear()
        _DAYS[text] = v.parse_date(text)
    day = _DAYS[text]
    return (day.isoformat() if day else text), day


_MOMENTS: dict[str, dt.datetime | None] = {}


def _moment(value: Any) -> dt.datetime | None:
    """A date-time text as an aware datetime (local time when it names no offset); remembered per text."""
    text = v.as_text(value) or ""
    found = _MOMENTS.get(text, False)
    if found is not False:
        return found
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if len(text) > 10 else \
            dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        found = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    except ValueError:
        found = None
    if len(_MOMENTS) > 100_000:
        _MOMENTS.clear()
    _MOMENTS[text] = found
    return found


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(v.as_text(value) or "").quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


_layouts: dict[tuple[str, str], Layout] = {}


def _layout(std: Any, model: type[models.Model]) -> Layout:
    key = (std.name, model._meta.label)
    if key not in _layouts or _layouts[key].model is not model:
        _layouts[key] = Layout(std, model)
    return _layouts[key]


def _values(std: Any, model: type[models.Model], item: Item, parties: dict[str, tuple[str, int]],
            sender: Sender, call: ExchangeCall) -> dict[str, Any] | list[dict[str, str]]:
    """The model row of a checked record, or the problems that keep it out of the library; the record to push is
    left on the item (`pushed`)."""
    values, pushed, problems = _layout(std, model).row(item.data)
    # 行为日期: the action's own date; a record whose standard leaves it optional (强制执行 without 起始时间, 其他行为
    # without 开始时间) is dated by its 报送时间, else by the day it was received.
    day = next((values.get(k) for k in ACTION_DATE[std.name] if values.get(k)), None) or timezone.localdate(
        values.get("reported_at") or call.received_at)
    if problems:
        return problems
    code = str(item.data.get("party_code") or "").strip().upper()
    party = parties.get(code)
    person = is_person_id(code)
    item.pushed = protect_record(pushed) if person else pushed
    values.update({
        "date": day, "number": _number(item), "record_id": item.record_id, "version": item.version,
        "source": BehaviourSource.EXCHANGE, "source_system": sender.source_system,
        "department_id": item.department_id, "region_id": item.region_id, "delegated_by_id": None,
        "entity_id": party[1] if party and party[0] == "entity" else None,
        "person_id": party[1] if party and party[0] == "person" else None,
        "supervised_object_id": None,
        "party_code": mask_ric(code) if person else code,
        "object_name": values.get("object_name") or values.get("party_name") or "",
        # Lineage: the record as received stays in its call's kept body, at this position.
        "raw": {"exchange_call": call.pk, "index": item.index},
    })
    delegated = item.data.get("delegated_by_code")
    if delegated:
        values["delegated_by_id"] = _departments().get(str(delegated).strip().upper(), (None, None))[0]
    return values


def _apply(std: Any, model: type[models.Model], rows: dict[str, dict[str, Any]], items: list[Item]) -> None:
    """Write the rows in bulk inside a savepoint; if the database refuses, write them one by one and refuse the
    records whose row failed: `store_conflict` when another call wrote the same 记录唯一标识 or 行为编号 meanwhile
    (a resend as `u` settles it), `store_failed` when the database refused the row for another reason (logged;
    resending the same record does not help). Each failed row is rolled back alone: nothing is half-written."""
    if not rows:
        return
    try:
        with transaction.atomic():
            _write(std, model, list(rows.items()))
    except DatabaseError:
        for record_id, row in rows.items():
            try:
                with transaction.atomic():
                    _write(std, model, [(record_id, row)])
            except DatabaseError as exc:
                problem = _store_problem(model, record_id, row, exc)
                for item in items:
                    if item.record_id == record_id and not item.errors:
                        item.errors.append(problem)


def _store_problem(model: type[models.Model], record_id: str, row: dict[str, Any],
                   exc: DatabaseError) -> dict[str, str]:
    """The issue of a row the database refused: a conflict with a row written meanwhile, or a storage failure."""
    number = row.get("number")
    taken = model.objects.filter(models.Q(record_id=record_id) | models.Q(number=number) if number
                                 else models.Q(record_id=record_id))
    if row.get("pk") is not None:
        taken = taken.exclude(pk=row["pk"])
    if isinstance(exc, IntegrityError) and taken.exists():
        return issue("record_id", "store_conflict",
                     "存储时与同时到达的另一条记录冲突（记录唯一标识或行为编号已被占用），请以更新（u）重报",
                     "redundancy")
    log.error("exchange: storing %s %s failed: %s", model._meta.label, record_id, exc)
    return issue("", "store_failed", f"本平台存储该记录失败（{type(exc).__name__}），已记录待数据管理员处理；"
                 "原样重报无助于解决", "storage")


def _write(std: Any, model: type[models.Model], rows: list[tuple[str, dict[str, Any]]]) -> None:
    now = timezone.now()
    layout = _layout(std, model)
    new = [{**{k: val for k, val in row.items() if k not in ("pk", "_withdraw_only")}, "created_at": now,
            "updated_at": now} for _, row in rows if row["pk"] is None]
    if new:
        bulk_insert(model, layout.columns, layout.tuples(new))
    for _, row in rows:
        if row["pk"] is not None and row.get("_withdraw_only"):
            model.objects.filter(pk=row["pk"]).update(version=row["version"], withdrawn_at=row["withdrawn_at"],
                                                      updated_at=now)
    replaced = [row for _, row in rows if row["pk"] is not None and not row.get("_withdraw_only")]
    if replaced:
        kinds = {f.attname: f for f in model._meta.concrete_fields
                 if not f.primary_key and f.name not in ("record_id", "created_at", "updated_at")}
        objects = []
        for row in replaced:  # the new version replaces the row whole: a field it leaves out becomes empty
            obj = model(pk=row["pk"], updated_at=now)
            for name, model_field in kinds.items():
                setattr(obj, name, row[name] if name in row else
                        None if model_field.null else model_field.get_default())
            objects.append(obj)
        model.objects.bulk_update(objects, [f.name for f in kinds.values()] + ["updated_at"], batch_size=500)


OUTBOX_COLUMNS = ("standard", "record_id", "version", "op", "data", "department_id", "region_id", "source_system",
                  "call_id", "batch_id", "status", "created_at", "done_at")


def _queue(std: Any, items: list[Item], sender: Sender, call: ExchangeCall) -> int:
    """Bulk-insert the outbox entries of the applied records (in the intake's transaction)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = ((std.name, i.record_id, i.version, i.op,
             "{}" if i.op == Op.DELETE else json.dumps(i.pushed, ensure_ascii=False),
             i.department_id, i.region_id, sender.source_system, call.pk, None, OutboxStatus.PENDING, now, None)
            for i in items)
    return bulk_insert(OutboxRecord, OUTBOX_COLUMNS, rows)


__all__ = ["Origin", "Outcome", "Sender", "exchange_receive", "exchange_upload", "repair_dismiss", "repair_fix"]
