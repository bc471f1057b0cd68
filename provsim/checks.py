"""The simulator's own checks: the batch envelope (a failure refuses the whole batch, 400) and per-record checks
(a failure rejects that record in the receipt, the rest of the batch is accepted).

The record checks are ones the sender does not make, so that the sender's feedback path (rejected records sent
back for correction and resent as ``u``) gets exercised. Every failure has a stable English ``code``, the
``field`` it concerns and a Chinese ``message``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .signing import canonical_json

# The ascii names of the exchange standards (INTERFACES §D); anything else is refused with 400.
STANDARDS = frozenset({
    "catalog_item", "implementation", "inspection", "penalty", "coercion", "other_action",
    "disclosure_penalty", "disclosure_licence", "joint_task", "joint_feedback", "audit_checkpoint",
})
BEHAVIOUR_STANDARDS = frozenset({"inspection", "penalty", "coercion", "other_action"})
# Standards whose records must point back to an inspection already received.
INSPECTION_REQUIRED = frozenset({"penalty", "coercion"})
OPS = frozenset({"i", "u", "d"})

MAX_RECORDS = 10_000
MAX_SOURCE_LEN = 50
MAX_ID_LEN = 100
DEFAULT_TIMELINESS_DAYS = 20

BATCH_FIELDS = frozenset({"source", "batch", "standard", "records"})
RECORD_FIELDS = frozenset({"op", "id", "version", "data"})
_BATCH_RE = re.compile(r"(\d{8})(\d{5})", re.ASCII)

# A field is read by its ascii id first, then by its Chinese title (catalog.md §7 tables use the titles).
INSPECTORS = ("inspectors", "检查人员")
CREDENTIALS = ("credential_numbers", "执法证号")
REPORTED_AT = ("reported_at", "报送时间")
INSPECTION_NUMBER = ("inspection_number", "检查行为编号")
OWN_INSPECTION_NUMBER = ("number", "检查行为编号")
ACTION_DATE = {
    "inspection": ("date", "检查时间"),
    "penalty": ("date", "作出行政处罚决定日期"),
    "coercion": ("date", "实施强制措施的起始时间"),
    "other_action": ("date", "开始时间"),
}


class EnvelopeError(Exception):
    """The batch as a whole is malformed: answered with ``status`` and the JSON envelope {code, message, field}."""

    def __init__(self, code: str, message: str, field: str = "", status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.field, self.status = code, message, field, status


@dataclass(frozen=True)
class Record:
    op: str
    id: str
    version: int
    data: dict[str, Any]


@dataclass(frozen=True)
class Batch:
    source: str
    batch: str
    standard: str
    records: tuple[Record, ...]


def parse_batch(body: Any, *, max_records: int = MAX_RECORDS) -> Batch:
    """Validate the envelope of ``POST /api/batches`` and return it typed, or raise EnvelopeError."""
    if not isinstance(body, dict):
        raise EnvelopeError("bad_shape", "请求体必须是 JSON 对象")
    _known_fields(body, BATCH_FIELDS, "")
    source = body["source"]
    if not isinstance(source, str) or not source.strip() or len(source) > MAX_SOURCE_LEN:
        raise EnvelopeError("bad_source", f"报送方编码必须是 1 至 {MAX_SOURCE_LEN} 个字符的字符串", "source")
    batch = body["batch"]
    if not isinstance(batch, str) or not valid_batch_number(batch):
        raise EnvelopeError("bad_batch", "批次号必须是 yyyyMMdd 加 5 位序号（共 13 位数字），日期须真实存在", "batch")
    standard = body["standard"]
    if not isinstance(standard, str) or standard not in STANDARDS:
        raise EnvelopeError("unknown_standard", f"不认识的数据标准：{standard}", "standard")
    records = body["records"]
    if not isinstance(records, list):
        raise EnvelopeError("bad_records", "records 必须是数组", "records")
    if len(records) > max_records:
        raise EnvelopeError("too_many_records", f"一个批次最多 {max_records} 条记录（实际 {len(records)} 条）",
                            "records", status=413)
    return Batch(source=source, batch=batch, standard=standard,
                 records=tuple(_parse_record(i, r) for i, r in enumerate(records)))


def valid_batch_number(batch: str) -> bool:
    """``yyyyMMdd`` (a real date) followed by a 5-digit sequence, e.g. ``2026030200001`` (catalog.md §7)."""
    match = _BATCH_RE.fullmatch(batch)
    if not match:
        return False
    try:
        day = match.group(1)
        dt.date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return False
    return True


def _known_fields(obj: dict[str, Any], allowed: frozenset[str], prefix: str, required: frozenset[str] | None = None):
    for key in obj:
        if key not in allowed:
            raise EnvelopeError("unknown_field", f"不认识的字段：{prefix}{key}", f"{prefix}{key}")
    for key in sorted(allowed if required is None else required):
        if key not in obj:
            raise EnvelopeError("missing_field", f"缺少字段：{prefix}{key}", f"{prefix}{key}")


def _parse_record(index: int, raw: Any) -> Record:
    where = f"records[{index}]"
    label = f"第 {index + 1} 条记录"
    if not isinstance(raw, dict):
        raise EnvelopeError("bad_record", f"{label}必须是 JSON 对象", where)
    op = raw.get("op")
    _known_fields(raw, RECORD_FIELDS, f"{where}.",
                  RECORD_FIELDS - {"data"} if op == "d" else RECORD_FIELDS)
    if op not in OPS:
        raise EnvelopeError("bad_op", f"{label}的操作类型必须是 i、u 或 d", f"{where}.op")
    record_id = raw["id"]
    if not isinstance(record_id, str) or not record_id.strip() or len(record_id) > MAX_ID_LEN:
        raise EnvelopeError("bad_id", f"{label}的记录唯一标识必须是 1 至 {MAX_ID_LEN} 个字符的字符串", f"{where}.id")
    version = raw["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise EnvelopeError("bad_version", f"{label}的版本号必须是非负整数", f"{where}.version")
    data = raw.get("data", {})
    if not isinstance(data, dict):
        raise EnvelopeError("bad_data", f"{label}的 data 必须是 JSON 对象", f"{where}.data")
    return Record(op=op, id=record_id, version=version, data=data)


# --- per-record checks -------------------------------------------------------------------------------------------

def issue(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}


def duplicate_free(record: Record, latest_version: int | None, exists: bool) -> list[dict[str, str]]:
    """Checks against what was received before: versions only move forward; a delete needs a current record."""
    if latest_version is not None and record.version < latest_version:
        return [issue("version", "stale_version",
                      f"版本号 {record.version} 低于已接收的版本 {latest_version}，不能覆盖较新的数据")]
    if record.op == "d" and not exists:
        return [issue("id", "not_found", f"要删除的记录 {record.id} 不存在或已删除")]
    return []


@dataclass(frozen=True)
class Context:
    """What the record checks may consult: the receiving date, the timeliness limit, the inspections received."""

    received_on: dt.date
    timeliness_days: int
    inspection_known: Callable[[str], bool]
    task_known: Callable[[str], bool] = lambda _: False


def check_record(standard: str, record: Record, ctx: Context) -> list[dict[str, str]]:
    """Run the simulator's own content checks on one i/u record (a delete carries no content to check)."""
    if record.op == "d":
        return []
    data = record.data
    errors: list[dict[str, str]] = []
    declared = data.get("record_id")
    if declared is not None and declared != record.id:
        errors.append(issue("record_id", "record_id_mismatch",
                            f"数据中的记录唯一标识（{declared}）与报文的记录唯一标识（{record.id}）不一致"))
    if standard == "inspection":
        errors += _inspectors(data)
    if standard in BEHAVIOUR_STANDARDS:
        errors += _timeliness(standard, data, ctx)
        errors += _inspection_reference(standard, data, ctx)
    if standard == "audit_checkpoint":
        errors += checkpoint_signature(data)
    if standard == "joint_feedback":
        errors += joint_feedback(data, ctx)
    return errors


def joint_feedback(data: Mapping[str, Any], ctx: Context) -> list[dict[str, str]]:
    """A unit's feedback on a joint task (taskDetails with its feedbackUnitInfo, behaviour-records.md §6) names a
    task this platform dispatched, the unit, and the status 反馈."""
    errors = []
    task_no = str(data.get("task_no") or "")
    if not ctx.task_known(task_no):
        errors.append(issue("task_no", "unknown_task", f"任务编号 {task_no} 不是本平台分发的联合监管任务"))
    if not str(data.get("union_unit_no") or "").strip():
        errors.append(issue("union_unit_no", "unit_missing", "反馈须写明承办单位编码"))
    if data.get("status") != "反馈":
        errors.append(issue("status", "status_not_feedback", "反馈记录的任务状态应为“反馈”"))
    return errors


CHECKPOINT_SIGNED = ("scheme", "seq", "hash", "made_at", "key_id")


def checkpoint_signature(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """A city's signed audit checkpoint (the head of its audit chain, kept here as a copy outside the city's
    database): the Ed25519 signature by ``public_key`` over the canonical JSON of the signed fields must hold."""
    try:
        body = {name: data[name] for name in CHECKPOINT_SIGNED}
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(str(data["public_key"]), validate=True))
        signature = base64.b64decode(str(data["signature"]), validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return [issue("signature", "checkpoint_malformed",
                      "检查点须有 scheme、seq、hash、made_at、key_id、public_key、signature，公钥与签名为 base64")]
    try:
        key.verify(signature, canonical_json(body))
    except InvalidSignature:
        return [issue("signature", "checkpoint_signature", "检查点签名验证失败")]
    return []


def _first(data: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if data.get(name) not in (None, ""):
            return data[name]
    return None


def _names(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    return [str(v).strip() for v in value if v is not None and str(v).strip()]


def _inspectors(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """At least two inspectors, each with an enforcement certificate number, in the same order.

    行政处罚法（2021）第四十二条：执法人员不得少于两人；第五十五条：执法人员在调查或者进行检查时，应当主动向当事人
    或者有关人员出示执法证件。The sender's validator only requires 检查人员 to be present (behaviour-records.md §2).
    """
    inspectors = _names(_first(data, INSPECTORS)) or []
    errors = []
    if len(inspectors) < 2:
        errors.append(issue("inspectors", "inspectors_fewer_than_two",
                            f"检查人员不得少于两人（实际 {len(inspectors)} 人）"))
    credentials = _names(_first(data, CREDENTIALS)) or []
    if len(credentials) != len(inspectors):
        errors.append(issue("credential_numbers", "credentials_mismatch",
                            f"执法证号数量（{len(credentials)}）与检查人员数量（{len(inspectors)}）不一致"))
    elif len(set(credentials)) != len(credentials):
        errors.append(issue("credential_numbers", "credential_duplicated", "同一执法证号在检查人员中重复出现"))
    return errors


def parse_day(value: Any) -> dt.date | None:
    """A date from ``YYYY-MM-DD`` or an ISO date-time (its written date); None when it is not one."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _timeliness(standard: str, data: Mapping[str, Any], ctx: Context) -> list[dict[str, str]]:
    """报送时间 no more than ``timeliness_days`` [config, default 20] calendar days after the action date.

    The SAMR data-quality scoring has a 及时性 dimension (behaviour-records.md §7) with a limit set by the
    receiver; the sender checks only that 报送时间 is later than the action. Without 报送时间, the day the
    simulator received the record counts.
    """
    action = parse_day(_first(data, ACTION_DATE[standard]))
    if action is None:
        return []
    reported = parse_day(_first(data, REPORTED_AT)) or ctx.received_on
    late = (reported - action).days
    if late <= ctx.timeliness_days:
        return []
    return [issue("reported_at", "late_report",
                  f"报送时间（{reported.isoformat()}）距行为日期（{action.isoformat()}）{late} 天，"
                  f"超过 {ctx.timeliness_days} 天的报送时限")]


def _inspection_reference(standard: str, data: Mapping[str, Any], ctx: Context) -> list[dict[str, str]]:
    """The 检查行为编号 a penalty or coercion (or an other action, when given) cites was received before.

    behaviour-records.md: the other record types point back to an inspection by 检查行为编号; the sender
    checks that the field is filled, the receiver that it resolves (关联性).
    """
    if standard == "inspection":
        return []
    number = _first(data, INSPECTION_NUMBER)
    if number is None:
        if standard in INSPECTION_REQUIRED:
            return [issue("inspection_number", "unknown_inspection",
                          "未填写检查行为编号，无法关联已报送的检查行为")]
        return []
    if ctx.inspection_known(str(number)):
        return []
    return [issue("inspection_number", "unknown_inspection", f"检查行为编号 {number} 未曾报送或已删除")]


def own_inspection_number(standard: str, data: Mapping[str, Any]) -> str | None:
    """The 检查行为编号 an inspection record carries (what later records refer to)."""
    if standard != "inspection":
        return None
    number = _first(data, OWN_INSPECTION_NUMBER)
    return None if number is None else str(number)


def rejected_by_platform() -> dict[str, str]:
    """The one failure every record gets in ``reject_all`` mode."""
    return issue("", "rejected_by_platform", "省级平台拒收本条数据（模拟拒收模式）")
