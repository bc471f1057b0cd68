"""The three ways devices send: HJ 212 frames over TCP (one connection per device, answers read and counted), MQTT
messages through the broker (QoS 1), and batches to the HTTP API. Faults are applied here, where they touch the wire:
bad CRC (a corrupt frame, broken JSON), replays (the last payload sent again), bursts (four ticks held back, then sent
at once), wrong password (HJ 212 PW and MQTT password; a wrong API key over HTTP)."""

from __future__ import annotations

import json
import select
import socket
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from typing import Any

from devsim.devices import Device
from jianguan.remote.protocols import hj212, topics
from jianguan.remote.protocols.readings import as_json
from jianguan.remote.wire import Period, ReadingIn

CN_OF: dict[str, str] = {period: cn for cn, period in hj212.PERIODS.items()}
SUFFIX_OF = {"rtd": "Rtd", "min": "Avg", "hour": "Avg", "day": "Avg"}


class Sender:
    """Builds one payload per device and tick, applies the faults and hands the payloads to `transmit`."""

    def __init__(self, period: Period = "rtd") -> None:
        self.period = period
        self.counts: Counter[str] = Counter()
        self._held: dict[str, list[bytes]] = {}

    def tick(self, device: Device, at: datetime) -> None:
        if not device.sends_now():
            self.counts["gap"] += 1
            return
        readings = self.readings(device, at)
        if not readings:  # a camera without an event at this tick
            return
        payload = self.build(device, readings)
        if "bad_crc" in device.faults and device.ticks % 3 == 1:
            payload = self.corrupt(payload)
            self.counts["corrupted"] += 1
        held = self._held.setdefault(device.code, [])
        held.append(payload)
        if "bursts" in device.faults and device.ticks % 5 != 4:
            return
        for item in held:
            self.transmit(device, item)
        if "replays" in device.faults:
            self.transmit(device, held[-1])
            self.counts["replayed"] += 1
        held.clear()

    def password(self, device: Device) -> str:
        return device.password + "x" if "wrong_password" in device.faults else device.password

    def readings(self, device: Device, at: datetime) -> list[ReadingIn]:
        if device.kind == "kitchen":
            return [ReadingIn(code=event, at=at, value=None, period="event") for event in device.events()]
        return [ReadingIn(code=code, at=at, value=value, period=self.period, flag=flag,
                          unit=next(f.unit for f in device.factors if f.code == code))
                for code, (value, flag) in device.values(at).items()]

    def build(self, device: Device, readings: list[ReadingIn]) -> bytes:
        raise NotImplementedError

    def corrupt(self, payload: bytes) -> bytes:
        return payload[: len(payload) // 2]

    def transmit(self, device: Device, payload: bytes) -> None:
        raise NotImplementedError

    def finish(self, timeout: float) -> None:
        """Wait up to `timeout` seconds for what is in flight."""


class Hj212Sender(Sender):
    def __init__(self, host: str, port: int, period: Period = "rtd") -> None:
        super().__init__(period)
        self.address = (host, port)
        self._sockets: dict[str, socket.socket] = {}
        self._splitters: dict[str, hj212.Splitter] = {}
        self.expected = 0

    def build(self, device: Device, readings: list[ReadingIn]) -> bytes:
        at = readings[0].at
        cp = hj212.data_cp(at, {r.code: (r.value, r.flag) for r in readings}, suffix=SUFFIX_OF[self.period])
        return hj212.frame(hj212.segment(qn=hj212.qn_of(datetime.now(at.tzinfo)), st="32", cn=CN_OF[self.period],
                                         pw=self.password(device), mn=device.code, flag=5, cp=cp))

    def corrupt(self, payload: bytes) -> bytes:
        crc = b"0000" if payload[-6:-2] != b"0000" else b"FFFF"
        return payload[:-6] + crc + payload[-2:]

    def transmit(self, device: Device, payload: bytes) -> None:
        sock = self._sockets.get(device.code)
        try:
            if sock is None:
                sock = self._sockets[device.code] = socket.create_connection(self.address, timeout=5)
                self._splitters[device.code] = hj212.Splitter()
            sock.sendall(payload)
        except OSError:
            self.counts["send_failed"] += 1
            self._drop(device.code)
            return
        self.counts["frames"] += 1
        self.expected += 1
        self._read(0)

    def _read(self, timeout: float) -> None:
        by_socket = {s: code for code, s in self._sockets.items()}
        if not by_socket:
            return
        ready, _, _ = select.select(list(by_socket), [], [], timeout)
        for sock in ready:
            code = by_socket[sock]
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                self._drop(code)
                continue
            for item in self._splitters[code].feed(data):
                reply = hj212.parse(item) if isinstance(item, bytes) else item
                if isinstance(reply, hj212.Packet):
                    rtn = reply.value("QnRtn")
                    self.counts[reply.cn if rtn is None else f"{reply.cn}:QnRtn={rtn}"] += 1
                    self.expected -= 1

    def _drop(self, code: str) -> None:
        sock = self._sockets.pop(code, None)
        if sock is not None:
            sock.close()

    def finish(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.expected > 0 and self._sockets and time.monotonic() < deadline:
            self._read(min(0.1, max(deadline - time.monotonic(), 0)))
        for code in list(self._sockets):
            self._drop(code)


class MqttSender(Sender):
    def __init__(self, host: str, port: int, period: Period = "rtd", client_id: str = "") -> None:
        import paho.mqtt.client as paho
        from paho.mqtt.enums import CallbackAPIVersion

        super().__init__(period)
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id or f"devsim-{time.time_ns()}")
        self.client.connect(host, port)
        self.client.loop_start()
        self._last: Any = None

    def build(self, device: Device, readings: list[ReadingIn]) -> bytes:
        return topics.payload(readings, password=self.password(device))

    def transmit(self, device: Device, payload: bytes) -> None:
        stream = "events" if device.kind == "kitchen" else "readings"
        self._last = self.client.publish(topics.topic(device.kind, device.code, stream), payload, qos=1)
        self.counts["messages"] += 1

    def finish(self, timeout: float) -> None:
        if self._last is not None:
            self._last.wait_for_publish(timeout)
        self.client.disconnect()
        self.client.loop_stop()


class HttpSender(Sender):
    """`POST <url>` (the API's /api/v1/remote/readings) with `X-API-Key`: {"device": code, "readings": [...]}."""

    def __init__(self, url: str, api_key: str, period: Period = "rtd") -> None:
        super().__init__(period)
        self.url, self.api_key = url, api_key

    def build(self, device: Device, readings: list[ReadingIn]) -> bytes:
        body = {"device": device.code, "readings": as_json(readings)}
        return json.dumps(body, ensure_ascii=False).encode()

    def transmit(self, device: Device, payload: bytes) -> None:
        key = self.api_key + "x" if "wrong_password" in device.faults else self.api_key
        request = urllib.request.Request(self.url, data=payload, method="POST", headers={  # noqa: S310
            "Content-Type": "application/json; charset=utf-8", "X-API-Key": key})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the URL is the operator's
                self.counts[f"http_{response.status}"] += 1
        except urllib.error.HTTPError as error:
            self.counts[f"http_{error.code}"] += 1
        except OSError:
            self.counts["send_failed"] += 1
