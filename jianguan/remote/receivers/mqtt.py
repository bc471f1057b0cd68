"""The MQTT receiver: a paho-mqtt client subscribed to `jianguan/+/+/readings` and `jianguan/+/+/events` (QoS 1, a
persistent session under a fixed client id, so that messages sent while it was away are delivered when it returns).

Each message is parsed (`protocols.topics`) and handed to the sink before it is acknowledged; a message on an
unknown topic or with a bad payload is counted by its refusal code and dropped. Given the sink's batch form
(`many`), the network thread only queues the messages: one worker thread drains the queue (up to `limit`
messages, or what came within `linger` seconds), hands them to the sink in one call and then acknowledges them
(manual acknowledgement), so a message is acknowledged only once it is stored; the broker's in-flight window
bounds the group (ADR 0071).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.reasoncodes import ReasonCode

from jianguan.remote.protocols import topics
from jianguan.remote.receivers.sinks import Stats, call, call_many
from jianguan.remote.wire import Delivery, ManySink, Outcome, Refusal, Sink

log = logging.getLogger("jianguan.remote")


class Subscriber:
    def __init__(self, sink: Sink, stats: Stats, *, client_id: str = "jianguan-remote", qos: int = 1,
                 many: ManySink | None = None, limit: int = 200, linger: float = 0.005,
                 before_group: Callable[[], None] | None = None,
                 subscriptions: tuple[str, ...] = topics.SUBSCRIPTIONS, drop: tuple[str, ...] = ()) -> None:
        self.sink, self.stats, self.qos, self.many = sink, stats, qos, many
        self.subscriptions, self.drop = subscriptions, drop
        self.limit, self.linger, self._before = limit, linger, before_group
        self.subscribed = threading.Event()
        self.groups = 0
        self._queue: queue.Queue[tuple[Delivery, int, int] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False,
                                  protocol=paho.MQTTv311, manual_ack=many is not None)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)

    def start(self, host: str, port: int) -> None:
        """Connect in the background (retrying until the broker answers) and subscribe on every connection."""
        if self.many is not None:
            self._worker = threading.Thread(target=self._drain, name="remote-mqtt-sink", daemon=True)
            self._worker.start()
        self.client.connect_async(host, port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        if self._worker is not None:
            self._queue.put(None)
            self._worker.join(30)

    def handle(self, topic: str, payload: bytes) -> Outcome | Refusal | None:
        """One message: its Refusal, or the sink's Outcome (None when the sink failed)."""
        self.stats.frames += 1
        delivery = topics.parse(topic, payload)
        if isinstance(delivery, Refusal):
            self.stats.refuse(delivery.code)
            log.info("MQTT message on %s refused: %s", topic[:80], delivery.code)
            return delivery
        return call(self.sink, delivery, self.stats)

    def _on_connect(self, client: paho.Client, userdata: object, flags: object, reason: ReasonCode,
                    properties: object) -> None:
        if reason.is_failure:
            log.warning("MQTT broker refused the connection: %s", reason)
            return
        self.stats.connections += 1
        if self.drop:  # a persistent session keeps the subscriptions of an earlier run
            client.unsubscribe(list(self.drop))
        client.subscribe([(name, self.qos) for name in self.subscriptions])

    def _on_subscribe(self, client: paho.Client, userdata: object, mid: int, reasons: list[ReasonCode],
                      properties: object) -> None:
        self.subscribed.set()

    def _on_message(self, client: paho.Client, userdata: object, message: paho.MQTTMessage) -> None:
        try:
            if self.many is None:
                self.handle(message.topic, bytes(message.payload))
            else:
                self._enqueue(message)
        except Exception:  # a message must never stop the network thread
            log.exception("MQTT message on %s failed", message.topic[:80])

    def _enqueue(self, message: paho.MQTTMessage) -> None:
        self.stats.frames += 1
        delivery = topics.parse(message.topic, bytes(message.payload))
        if isinstance(delivery, Refusal):
            self.stats.refuse(delivery.code)
            log.info("MQTT message on %s refused: %s", message.topic[:80], delivery.code)
            self.client.ack(message.mid, message.qos)
            return
        self._queue.put((delivery, message.mid, message.qos))

    def _drain(self) -> None:
        """The worker: a group of queued messages through the batch sink, then their acknowledgements (none for a
        delivery the sink failed on: the broker sends it again)."""
        while True:
            first = self._queue.get()
            if first is None:
                return
            group = [first]
            until = time.monotonic() + self.linger
            while len(group) < self.limit:
                try:
                    item = self._queue.get(timeout=max(0.0, until - time.monotonic()))
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)
                    break
                group.append(item)
            try:
                if self._before is not None:
                    self._before()
                outcomes = call_many(self.sink, self.many, [d for d, _, _ in group], self.stats)
            except Exception:  # the worker outlives any one group
                log.exception("MQTT group of %d messages failed", len(group))
                continue
            self.groups += 1
            for (_, mid, qos), outcome in zip(group, outcomes, strict=True):
                if outcome is not None:
                    self.client.ack(mid, qos)
