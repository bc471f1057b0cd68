"""What a receiver hands to the intake: readings as they came off the wire, before any check against the registry.

The protocol receivers (HJ 212 over TCP, MQTT, the HTTP batch API) parse their frames into `Delivery` values and pass
them to one sink, `intake.accept`; the sink answers with an `Outcome` the receiver turns into its protocol's reply.
This module is plain Python so the parsers, the receivers and the device simulator can use it without Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol

Channel = Literal["hj212", "mqtt", "http"]
# HJ 212-2017 数据区 periods: 实时 (2011), 分钟 (2051), 小时 (2061), 日 (2031); events for video analysis and sensors.
Period = Literal["rtd", "min", "hour", "day", "event"]


@dataclass(frozen=True, slots=True)
class ReadingIn:
    """One value of one factor at one time, as sent: `code` is the factor (HJ 212 `w01018`, or a kind's own code such
    as `temp`, `no_hat`), `flag` the device's data flag (HJ 212: N 正常, F 停运, M 维护, S 手工输入, D 故障, C 校准,
    T 超限, B 通讯异常)."""

    code: str
    at: datetime
    value: Decimal | None
    period: Period = "rtd"
    flag: str = "N"
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Delivery:
    """Everything one frame or message carried: the device's identity (HJ 212 `MN`, the MQTT topic's device part,
    the API's point code), its password where the protocol has one (HJ 212 `PW`), the readings and the raw bytes,
    which the intake keeps whatever it decides."""

    channel: Channel
    device: str
    readings: tuple[ReadingIn, ...]
    raw: bytes
    password: str | None = None
    kind: str = ""
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Refusal:
    """A reading (by its index in the delivery, or None for the whole delivery) refused with a code and a message."""

    index: int | None
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The intake's answer: `known` is False for an unknown device or a wrong password (the whole delivery refused)."""

    known: bool
    accepted: int = 0
    duplicates: int = 0
    refused: tuple[Refusal, ...] = field(default=())


class Sink(Protocol):
    def __call__(self, delivery: Delivery, /) -> Outcome: ...


class ManySink(Protocol):
    """A sink taking what a receiver has buffered at once: the outcomes in the order of the deliveries."""

    def __call__(self, deliveries: Sequence[Delivery], /) -> list[Outcome]: ...
