"""Simulated devices: who they are, what they measure and how their values move, faults included.

Each device belongs to one channel and kind: HJ 212 devices are pollution-source monitors (`pollution`: 化学需氧量
w01018, 氨氮 w21003, pH w01001, 废水流量 w00000), MQTT devices cold-chain stores (`coldchain`: temp, humidity) with
every fourth a kitchen camera (`kitchen`: events no_hat, no_mask, rodent), HTTP devices pharmacy stores (`pharmacy`:
temp, humidity). Values follow a baseline with a slow daily wave and noise, rounded like a real instrument.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

FAULTS = ("drift", "gaps", "bursts", "bad_crc", "replays", "flat", "wrong_password", "exceed")
CHANNELS = ("hj212", "mqtt", "http")


@dataclass(frozen=True)
class Factor:
    code: str
    unit: str
    base: float
    noise: float
    places: int


FACTORS: dict[str, tuple[Factor, ...]] = {
    "pollution": (Factor("w01018", "mg/L", 42.0, 4.0, 1), Factor("w21003", "mg/L", 2.4, 0.3, 2),
                  Factor("w01001", "", 7.2, 0.15, 2), Factor("w00000", "L/s", 35.0, 3.0, 1)),
    "coldchain": (Factor("temp", "℃", 4.0, 0.4, 1), Factor("humidity", "%", 65.0, 3.0, 0)),
    "pharmacy": (Factor("temp", "℃", 5.0, 0.5, 1), Factor("humidity", "%", 55.0, 4.0, 0)),
    "kitchen": (),
}
EVENTS = ("no_hat", "no_mask", "rodent")
_CHANNEL_CODE = {"hj212": "HJ", "mqtt": "MQ", "http": "HT"}


@dataclass
class Device:
    code: str
    kind: str
    channel: str
    password: str
    faults: frozenset[str]
    rng: random.Random
    ticks: int = 0
    flat_values: dict[str, Decimal] = field(default_factory=dict)

    @property
    def factors(self) -> tuple[Factor, ...]:
        return FACTORS[self.kind]

    def sends_now(self) -> bool:
        """False during a gap: a device with `gaps` is silent for about a third of its ticks, in runs."""
        if "gaps" not in self.faults:
            return True
        return (self.ticks // 5) % 3 != 2

    def values(self, at: datetime) -> dict[str, tuple[Decimal | None, str]]:
        """Each factor's value and HJ 212 flag at `at` (N normal; T where an exceedance is simulated)."""
        out: dict[str, tuple[Decimal | None, str]] = {}
        for factor in self.factors:
            if "flat" in self.faults and factor.code in self.flat_values:
                out[factor.code] = (self.flat_values[factor.code], "N")
                continue
            wave = math.sin((at.hour * 60 + at.minute) / 1440 * 2 * math.pi) * factor.noise
            value = factor.base + wave + self.rng.gauss(0, factor.noise / 2)
            if "drift" in self.faults:
                value += factor.base * 0.02 * self.ticks
            if "exceed" in self.faults:
                value *= 2.5
            number = Decimal(f"{max(value, 0.0):.{factor.places}f}")
            self.flat_values.setdefault(factor.code, number)
            out[factor.code] = (number, "N")
        return out

    def events(self) -> list[str]:
        """A camera's events at this tick: now and then one of EVENTS."""
        return [self.rng.choice(EVENTS)] if self.rng.random() < 0.2 else []


def fleet(count: int, channels: tuple[str, ...], *, faults: tuple[str, ...] = (), fault_share: float = 0.0,
          prefix: str = "SIM", password: str = "123456", seed: int = 7,  # noqa: S107 (simulated)
          one_fault_each: bool = False) -> list[Device]:
    """`count` devices spread over `channels` in turn; a share of them (at least one when a fault is asked for)
    carries the `faults` — all of them, or with `one_fault_each` one each, in turn."""
    rng = random.Random(seed)
    faulty = set(rng.sample(range(count), max(1, round(count * fault_share)))) if faults and count else set()
    devices = []
    carried = {index: frozenset({faults[k % len(faults)]}) if one_fault_each else frozenset(faults)
               for k, index in enumerate(sorted(faulty))}
    for index in range(count):
        channel = channels[index % len(channels)]
        number = index // len(channels) + 1
        kind = {"hj212": "pollution", "http": "pharmacy"}.get(channel, "kitchen" if number % 4 == 0 else "coldchain")
        devices.append(Device(code=f"{prefix}{_CHANNEL_CODE[channel]}{number:04d}", kind=kind, channel=channel,
                              password=password, faults=carried.get(index, frozenset()),
                              rng=random.Random(seed * 100_003 + index)))
    return devices


def describe(devices: list[Device]) -> list[dict[str, object]]:
    """The devices as the demo registers them: code, kind, channel, password and factors with units."""
    return [{"code": d.code, "kind": d.kind, "channel": d.channel, "password": d.password,
             "factors": [{"code": f.code, "unit": f.unit} for f in d.factors] or [{"code": e} for e in EVENTS],
             "faults": sorted(d.faults)} for d in devices]
