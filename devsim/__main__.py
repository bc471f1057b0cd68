"""``jianguan-devsim`` / ``python -m devsim``: N simulated devices sending readings, with faults.

Prints a JSON summary (what was sent, the answers received) on standard output when it ends: after ``--ticks`` ticks
or on SIGTERM or SIGINT. ``--list`` prints the devices (code, kind, channel, password, factors) for registration.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from devsim.devices import CHANNELS, FAULTS, describe, fleet
from devsim.senders import Hj212Sender, HttpSender, MqttSender, Sender
from jianguan.remote.protocols.hj212 import CHINA


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"须为 主机:端口，而不是“{text}”")
    return host, int(port)


def _names(allowed: tuple[str, ...]) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        names = tuple(n for n in text.split(",") if n)
        if unknown := set(names) - set(allowed):
            raise argparse.ArgumentTypeError(f"未知：{', '.join(sorted(unknown))}（可选 {', '.join(allowed)}）")
        return names
    return parse


def _parser() -> argparse.ArgumentParser:
    env = os.environ.get
    p = argparse.ArgumentParser(prog="jianguan-devsim", description="设备模拟器 — simulated monitoring devices "
                                "(HJ 212-2017 over TCP, MQTT, HTTP batch API)")
    p.add_argument("--devices", type=int, default=10, help="number of devices (default 10)")
    p.add_argument("--channels", type=_names(CHANNELS), default=CHANNELS, help="comma-separated: hj212,mqtt,http")
    p.add_argument("--hj212", type=_address, default=env("DEVSIM_HJ212", "127.0.0.1:9212"), help="HOST:PORT")
    p.add_argument("--mqtt", type=_address, default=env("DEVSIM_MQTT", "127.0.0.1:1883"), help="HOST:PORT")
    p.add_argument("--http", default=env("DEVSIM_HTTP", "http://127.0.0.1:8000/api/v1/remote/readings"))
    p.add_argument("--api-key", default=env("DEVSIM_API_KEY", ""), help="X-API-Key of the HTTP API")
    p.add_argument("--ticks", type=int, default=0, help="ticks to run (0: until stopped)")
    p.add_argument("--interval", type=float, default=1.0, help="seconds of wall time between ticks (0: no pause)")
    p.add_argument("--step", type=float, default=60.0, help="seconds of data time between ticks (default 60)")
    p.add_argument("--start", type=datetime.fromisoformat, default=None,
                   help="data time of the first tick, ISO 8601 (default now, Beijing time)")
    p.add_argument("--period", choices=("rtd", "min", "hour", "day"), default="rtd")
    p.add_argument("--faults", type=_names(FAULTS), default=(), help="comma-separated: " + ",".join(FAULTS))
    p.add_argument("--fault-share", type=float, default=0.2, help="share of devices with the faults (default 0.2)")
    p.add_argument("--one-fault-each", action="store_true",
                   help="each faulty device carries one of the faults, in turn (default: all of them)")
    p.add_argument("--follow-clock", action="store_true",
                   help="never send data time ahead of the clock: from a --start in the past, send quickly "
                        "(--interval) until caught up, then one tick per --step of wall time")
    p.add_argument("--prefix", default="SIM", help="device codes are PREFIX + HJ|MQ|HT + number")
    p.add_argument("--password", default="123456", help="the devices' HJ 212 PW and MQTT password")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--list", action="store_true", help="print the devices as JSON and exit")
    return p


def _senders(args: argparse.Namespace) -> dict[str, Sender]:
    senders: dict[str, Sender] = {}
    if "hj212" in args.channels:
        host, port = args.hj212
        senders["hj212"] = Hj212Sender(host, port, period=args.period)
    if "mqtt" in args.channels:
        host, port = args.mqtt
        senders["mqtt"] = MqttSender(host, port, period=args.period)
    if "http" in args.channels:
        senders["http"] = HttpSender(args.http, args.api_key, period=args.period)
    return senders


def _wait_until(at: datetime, stopping: list[int]) -> bool:
    """Sleep until the clock reaches `at` (a real device sends nothing from the future); False when stopped."""
    while not stopping and (ahead := (at - datetime.now(at.tzinfo)).total_seconds()) > 0:
        time.sleep(min(ahead, 0.2))
    return not stopping


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.devices < 1 or args.ticks < 0 or args.interval < 0 or not 0 <= args.fault_share <= 1:
        print("devices ≥ 1, ticks ≥ 0, interval ≥ 0, 0 ≤ fault-share ≤ 1", file=sys.stderr)
        return 2
    devices = fleet(args.devices, args.channels, faults=args.faults, fault_share=args.fault_share,
                    prefix=args.prefix, password=args.password, seed=args.seed,
                    one_fault_each=args.one_fault_each)
    if args.list:
        print(json.dumps(describe(devices), ensure_ascii=False, indent=1))
        return 0
    stopping: list[int] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda number, frame: stopping.append(number))
    senders = _senders(args)
    start = args.start or datetime.now(CHINA).replace(microsecond=0)
    start = start if start.tzinfo else start.replace(tzinfo=CHINA)
    tick = 0
    while not stopping and (args.ticks == 0 or tick < args.ticks):
        at = start + timedelta(seconds=args.step * tick)
        if args.follow_clock and not _wait_until(at, stopping):
            break
        for device in devices:
            senders[device.channel].tick(device, at)
            device.ticks += 1
        tick += 1
        if args.interval and not stopping:
            time.sleep(args.interval)
    for sender in senders.values():
        sender.finish(5.0)
    summary = {"ticks": tick, "devices": len(devices), **{name: dict(s.counts) for name, s in senders.items()}}
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
