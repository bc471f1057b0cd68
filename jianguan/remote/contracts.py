"""What other apps may use of non-on-site supervision: the demo's simulated devices (`DEMO_FLEETS`), run by the
portal's `jianguan demo` with the device simulator and registered as monitored points by this app's seed, so that
the simulator's live readings land on real points and open alarms (ADR 0064).

Each fleet is one run of `python -m devsim`: the same options list the devices (`--list`, for the seed) and send
them (`devsim_command`, for the demo). A fleet starts a little in the past and follows the clock (`--follow-clock`):
it sends its backlog quickly, then one tick per step of wall time, never data from the future. The backlogs stay
under the points' offline thresholds, so a start produces no offline alarm of its own.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

from jianguan.remote.broker import Broker, BrokerError
from jianguan.remote.broker import start as broker_start
from jianguan.remote.protocols.hj212 import CHINA

__all__ = ["DEMO_FLEETS", "DEMO_PASSWORD", "Broker", "BrokerError", "DemoFleet", "broker_start", "devsim_command",
           "devsim_list_command"]

DEMO_PASSWORD = "demo-" + "device"  # the demo devices' HJ 212 PW and MQTT password, public like the demo accounts'


@dataclass(frozen=True)
class DemoFleet:
    channel: str  # hj212 or mqtt
    devices: int
    period: str  # the data type the devices send: hour (HJ 212 2061) or min (2051, and the MQTT readings)
    step_seconds: int  # data time between ticks, once caught up also wall time
    interval: float  # wall seconds between ticks while catching up
    backlog: dt.timedelta  # how far in the past the run starts
    faults: tuple[str, ...]
    fault_share: float
    point_interval: int  # the points' expected reporting interval (seconds): the offline rule counts in it
    seed: int

    def options(self) -> list[str]:
        """The simulator's options that decide the devices (codes, kinds, faults)."""
        return ["--channels", self.channel, "--devices", str(self.devices), "--prefix", "DEMO",
                "--password", DEMO_PASSWORD, "--faults", ",".join(self.faults), "--fault-share",
                str(self.fault_share), "--one-fault-each", "--seed", str(self.seed)]

    def start(self, now: dt.datetime) -> dt.datetime:
        """The first tick's data time: `backlog` before now, on a whole step."""
        local = now.astimezone(CHINA).replace(microsecond=0)
        first = local - self.backlog
        return first - dt.timedelta(seconds=int(first.timestamp()) % self.step_seconds)


DEMO_FLEETS = (
    # pollution-source monitors of the 生态环境局, hourly data over HJ 212: exceedance and a flat line of 化学需氧量
    DemoFleet(channel="hj212", devices=4, period="hour", step_seconds=3600, interval=1.0,
              backlog=dt.timedelta(hours=2), faults=("exceed", "flat"), fault_share=0.5, point_interval=3600,
              seed=11),
    # cold stores (temperature out of range, drift, gaps) and kitchen cameras of the 市场监管局 over MQTT
    DemoFleet(channel="mqtt", devices=8, period="min", step_seconds=60, interval=0.5,
              backlog=dt.timedelta(minutes=45), faults=("exceed", "drift", "gaps"), fault_share=0.4,
              point_interval=600, seed=12),
)


def devsim_list_command(fleet: DemoFleet) -> list[str]:
    return [sys.executable, "-m", "devsim", *fleet.options(), "--list"]


def devsim_command(fleet: DemoFleet, *, hj212: str, mqtt: str, now: dt.datetime) -> list[str]:
    """The simulator run of a fleet sending to the receivers at `hj212` and the broker at `mqtt` (HOST:PORT)."""
    return [sys.executable, "-m", "devsim", *fleet.options(), "--hj212", hj212, "--mqtt", mqtt,
            "--period", fleet.period, "--step", str(fleet.step_seconds), "--interval", str(fleet.interval),
            "--start", fleet.start(now).isoformat(), "--follow-clock"]
