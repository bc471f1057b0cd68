"""Readings sent as JSON (MQTT messages and the HTTP batch API): `{"code", "at", "value", "period", "flag", "unit"}`.

- `code`: the factor, 1–32 characters of letters, digits, `_`, `-` or `.` (`temp`, `w01018`, `no_hat`);
- `at`: ISO 8601 time; without a zone it is 北京时间 (UTC+8), like HJ 212's DataTime;
- `value`: a JSON number, a decimal string or null (an event without a measure); kept exactly as a Decimal;
- `period`: `rtd` (default), `min`, `hour`, `day` or `event`; `flag`: one letter, default `N`; `unit`: up to 16 chars.

`readings_of(items)` returns the ReadingIn values, or the first Refusal (with the reading's index): one bad reading
refuses the whole batch, so that nothing is half-stored; `http_delivery(body, raw)` reads the HTTP batch API's body
`{"device": code, "readings": [...]}`. Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import cast, get_args

from jianguan.remote.protocols.hj212 import CHINA
from jianguan.remote.wire import Delivery, Period, ReadingIn, Refusal

MAX_READINGS = 1000
FIELDS = frozenset({"code", "at", "value", "period", "flag", "unit"})
PERIOD_NAMES = frozenset(get_args(Period))
_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,32}\Z")
_FLAG = re.compile(r"[A-Za-z]\Z")
_DEVICE = re.compile(r"[A-Za-z0-9_.\-]{1,64}\Z")


class _Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code, self.message = code, message


def readings_of(items: object, *, default_period: Period = "rtd") -> tuple[ReadingIn, ...] | Refusal:
    if not isinstance(items, Sequence) or isinstance(items, str | bytes) or not items:
        return Refusal(None, "bad_readings", "readings 须为非空的数组")
    if len(items) > MAX_READINGS:
        return Refusal(None, "too_many", f"一批最多 {MAX_READINGS} 条读数，收到 {len(items)} 条")
    out: list[ReadingIn] = []
    for index, item in enumerate(items):
        try:
            out.append(_reading(item, default_period))
        except _Refused as refused:
            return Refusal(index, refused.code, f"第 {index + 1} 条读数：{refused.message}")
    return tuple(out)


def http_delivery(body: object, raw: bytes) -> Delivery | Refusal:
    """The HTTP batch API's body `{"device": code, "readings": [...]}` as a Delivery (channel `http`)."""
    if not isinstance(body, Mapping):
        return Refusal(None, "bad_json", "请求体须为 JSON 对象")
    if unknown := set(body) - {"device", "readings"}:
        return Refusal(None, "unknown_field", f"请求体中有未知字段 {', '.join(sorted(map(str, unknown)))}")
    device = body.get("device")
    if not isinstance(device, str) or not _DEVICE.match(device):
        return Refusal(None, "bad_device", "device 须为 1–64 位字母、数字、下划线、连字符或点")
    readings = readings_of(body.get("readings"))
    if isinstance(readings, Refusal):
        return readings
    return Delivery(channel="http", device=device, readings=readings, raw=raw)


def as_json(readings: Sequence[ReadingIn]) -> list[dict[str, object]]:
    """Readings as the JSON items `readings_of` reads back (values as decimal strings, exactly)."""
    return [{"code": r.code, "at": r.at.isoformat(), "value": None if r.value is None else str(r.value),
             "period": r.period, "flag": r.flag, "unit": r.unit} for r in readings]


def _reading(item: object, default_period: Period) -> ReadingIn:
    if not isinstance(item, Mapping):
        raise _Refused("bad_reading", "须为对象")
    unknown = set(item) - FIELDS
    if unknown:
        raise _Refused("unknown_field", f"未知字段 {', '.join(sorted(map(str, unknown)))}")
    code = item.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise _Refused("bad_code", "code 须为 1–32 位字母、数字、下划线、连字符或点")
    period = item.get("period", default_period)
    if period not in PERIOD_NAMES:
        raise _Refused("bad_period", f"period 须为 {'、'.join(sorted(PERIOD_NAMES))} 之一")
    flag = item.get("flag", "N")
    if not isinstance(flag, str) or not _FLAG.match(flag):
        raise _Refused("bad_flag", "flag 须为一个字母的数据标记")
    unit = item.get("unit", "")
    if not isinstance(unit, str) or len(unit) > 16:
        raise _Refused("bad_unit", "unit 须为不超过 16 个字符的文本")
    return ReadingIn(code=code, at=_time(item.get("at")), value=_value(item.get("value")),
                     period=cast(Period, period), flag=flag, unit=unit)


def _time(text: object) -> datetime:
    if not isinstance(text, str) or len(text) > 40:
        raise _Refused("bad_time", "at 须为 ISO 8601 时间文本")
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise _Refused("bad_time", f"at“{text}”不是 ISO 8601 时间") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=CHINA)


def instant(text: object) -> datetime | None:
    """An ISO 8601 time as in `at` (北京时间 when it names no zone), or None when it is not one."""
    try:
        return _time(text)
    except _Refused:
        return None


def _value(raw: object) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise _Refused("bad_value", "value 须为数值、十进制数文本或 null")
    try:
        value = Decimal(str(raw)) if not isinstance(raw, Decimal) else raw
    except InvalidOperation:
        raise _Refused("bad_value", f"value“{str(raw)[:20]}”不是十进制数") from None
    if not value.is_finite():
        raise _Refused("bad_value", "value 须为有限的十进制数")
    return value
