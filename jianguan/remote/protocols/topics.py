"""MQTT topics: one scheme for every kind of monitored point.

    jianguan/<kind>/<device>/readings     measured values (default period `rtd`)
    jianguan/<kind>/<device>/events       events from analysis services (default period `event`, value may be null)

`kind` names the kind of point (for instance `coldchain` 冷链温度, `pharmacy` 药品储存温湿度, `kitchen` 明厨亮灶,
`elevator` 电梯, `boiler` 锅炉, `fuel` 加油机计量): 1–32 lower-case letters, digits, `_` or `-`; whether the kind and
the device exist is the intake's question. `device` is the point's device code: 1–64 letters, digits, `_`, `-`, `.`.

The payload is UTF-8 JSON, at most 256 KiB:

    {"readings": [{"code": "temp", "at": "2026-12-07T10:00:00+08:00", "value": 4.2, "unit": "℃"}],
     "password": "optional, where the point has one", "sent_at": "optional ISO 8601 time of sending"}

Each reading as in `readings.py`. `parse(topic, payload)` returns a Delivery or a Refusal (index None for the
message, or the reading's index); it never raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal

from jianguan.remote.protocols.readings import FIELDS, as_json, instant, readings_of
from jianguan.remote.wire import Delivery, Period, ReadingIn, Refusal

PREFIX = "jianguan"
SUBSCRIPTIONS = (f"{PREFIX}/+/+/readings", f"{PREFIX}/+/+/events")
MAX_PAYLOAD = 256 * 1024
_TOPIC = re.compile(rf"{PREFIX}/(?P<kind>[a-z0-9_\-]{{1,32}})/(?P<device>[A-Za-z0-9_.\-]{{1,64}})/"
                    r"(?P<stream>readings|events)\Z")
_DEFAULT_PERIOD: dict[str, Period] = {"readings": "rtd", "events": "event"}
_MESSAGE_FIELDS = frozenset({"readings", "password", "sent_at"})


def topic(kind: str, device: str, stream: str = "readings") -> str:
    return f"{PREFIX}/{kind}/{device}/{stream}"


def payload(readings: Sequence[ReadingIn], *, password: str | None = None) -> bytes:
    """The JSON payload of readings (the device simulator's and the tests' side)."""
    body: dict[str, object] = {"readings": as_json(readings)}
    if password is not None:
        body["password"] = password
    return json.dumps(body, ensure_ascii=False).encode()


def parse(name: str, data: bytes) -> Delivery | Refusal:
    match = _TOPIC.match(name)
    if match is None:
        return Refusal(None, "unknown_topic", f"主题“{name[:80]}”不符合 {PREFIX}/<类别>/<设备>/readings|events")
    if len(data) > MAX_PAYLOAD:
        return Refusal(None, "too_long", f"消息超过 {MAX_PAYLOAD} 字节")
    try:
        body = json.loads(data.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Refusal(None, "bad_json", "消息须为 UTF-8 编码的 JSON")
    if not isinstance(body, dict):
        return Refusal(None, "bad_json", "消息须为 JSON 对象")
    if unknown := set(body) - _MESSAGE_FIELDS:
        return Refusal(None, "unknown_field", f"消息中有未知字段 {', '.join(sorted(unknown))}（读数字段为 "
                                              f"{', '.join(sorted(FIELDS))}，须放在 readings 中）")
    password = body.get("password")
    if password is not None and not isinstance(password, str):
        return Refusal(None, "bad_password", "password 须为文本")
    readings = readings_of(body.get("readings"), default_period=_DEFAULT_PERIOD[match["stream"]])
    if isinstance(readings, Refusal):
        return readings
    sent_at = instant(body["sent_at"]) if "sent_at" in body else None
    if "sent_at" in body and sent_at is None:
        return Refusal(None, "bad_time", "sent_at 须为 ISO 8601 时间")
    return Delivery(channel="mqtt", device=match["device"], readings=readings, raw=data, password=password,
                    kind=match["kind"], sent_at=sent_at)
