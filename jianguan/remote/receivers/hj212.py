"""The HJ 212-2017 receiver: an asyncio TCP server, one connection per device (a device's newer connection replaces
its older one once the intake has accepted it).

Per connection the byte stream is cut into frames (a frame may come in pieces, several in one read); each frame is
checked, its readings handed to the sink through the `Feeder`, and answered as the standard asks when the Flag's A
bit is set (HJ 212-2017 6.3.3, 6.6): 9014 数据应答 for data taken in, 9011 请求应答 with `QnRtn` for a refusal
(3 wrong PW, 4 unknown MN, 9 bad CRC, …). Malformed frames are counted by code, never raised. A frame announcing more
than the standard's 1,024 characters, or a connection idle for `idle` seconds, closes the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from jianguan.remote.protocols import hj212
from jianguan.remote.receivers.sinks import Feeder, Stats
from jianguan.remote.wire import Outcome

log = logging.getLogger("jianguan.remote")
READ_SIZE = 64 * 1024


def answer_code(outcome: Outcome) -> int | None:
    """None for 9014 (taken in), or the QnRtn of a refused delivery: 3 for a wrong password, 4 for an unknown MN."""
    if outcome.known:
        return None
    if any("password" in refusal.code or refusal.code in {"bad_pw", "wrong_pw"} for refusal in outcome.refused):
        return hj212.QN_PW
    return hj212.QN_MN


@dataclass
class Server:
    feeder: Feeder
    stats: Stats
    idle: float = 300.0
    _server: asyncio.Server | None = None
    _devices: dict[str, asyncio.StreamWriter] = field(default_factory=dict)

    async def start(self, host: str, port: int) -> tuple[str, int]:
        """Listen (`port` 0 picks a free one); returns the address bound."""
        self._server = await asyncio.start_server(self._serve, host, port, limit=READ_SIZE)
        bound = self._server.sockets[0].getsockname()
        return bound[0], bound[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._devices.values()):
                writer.close()
            await self._server.wait_closed()

    async def _serve(self, stream: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.stats.connections += 1
        splitter = hj212.Splitter()
        devices: set[str] = set()
        try:
            while not splitter.oversize:
                data = await asyncio.wait_for(stream.read(READ_SIZE), self.idle)
                if not data:
                    break
                replies = await self._handle(splitter.feed(data), writer, devices)
                if replies:
                    writer.write(b"".join(replies))
                    await writer.drain()
        except (TimeoutError, ConnectionError, OSError):
            pass
        except Exception:  # the receiver outlives any one connection
            log.exception("HJ 212 connection failed")
        finally:
            for device in devices:
                if self._devices.get(device) is writer:
                    del self._devices[device]
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _handle(self, items: list[bytes | hj212.Malformed], writer: asyncio.StreamWriter,
                      devices: set[str]) -> list[bytes]:
        """Check every frame of one read, hand the good ones on together, answer in the order they came."""
        checked: list[hj212.Packet | hj212.Malformed] = []
        pending: list[asyncio.Future[Outcome | None] | None] = []
        for item in items:
            self.stats.frames += 1
            packet = hj212.parse(item) if isinstance(item, bytes) else item
            delivery = hj212.delivery(packet) if isinstance(packet, hj212.Packet) else packet
            if isinstance(delivery, hj212.Malformed):
                self.stats.refuse(delivery.code)
                checked.append(delivery)
                pending.append(None)
            else:
                checked.append(packet)
                pending.append(self.feeder.submit(delivery))
        replies = []
        for packet, future in zip(checked, pending, strict=True):
            reply = await self._reply(packet, future, writer, devices)
            if reply is not None:
                replies.append(reply)
                self.stats.answers += 1
        return replies

    async def _reply(self, packet: hj212.Packet | hj212.Malformed, future: asyncio.Future[Outcome | None] | None,
                     writer: asyncio.StreamWriter, devices: set[str]) -> bytes | None:
        if future is None:
            return hj212.answer(packet)
        outcome = await future
        if outcome is None:  # the sink failed: no answer, the device sends again
            return None
        if outcome.known:
            self._claim(packet.mn, writer, devices)
        return hj212.answer(packet, answer_code(outcome))

    def _claim(self, device: str, writer: asyncio.StreamWriter, devices: set[str]) -> None:
        older = self._devices.get(device)
        if older is not writer:
            if older is not None:
                older.close()
            self._devices[device] = writer
            devices.add(device)
