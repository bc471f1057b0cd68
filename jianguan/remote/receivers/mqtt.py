"""The MQTT receiver: a paho-mqtt client subscribed to `jianguan/+/+/readings` and `jianguan/+/+/events` (QoS 1, a
persistent session under a fixed client id, so that messages sent while it was away are delivered when it returns).

Each message is parsed (`protocols.topics`) and handed to the sink in paho's network thread before it is
acknowledged; a message on an unknown topic or with a bad payload is counted by its refusal code and dropped.
"""

from __future__ import annotations

import logging
import threading

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.reasoncodes import ReasonCode

from jianguan.remote.protocols import topics
from jianguan.remote.receivers.sinks import Stats, call
from jianguan.remote.wire import Outcome, Refusal, Sink

log = logging.getLogger("jianguan.remote")


class Subscriber:
    def __init__(self, sink: Sink, stats: Stats, *, client_id: str = "jianguan-remote", qos: int = 1) -> None:
        self.sink, self.stats, self.qos = sink, stats, qos
        self.subscribed = threading.Event()
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False,
                                  protocol=paho.MQTTv311)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)

    def start(self, host: str, port: int) -> None:
        """Connect in the background (retrying until the broker answers) and subscribe on every connection."""
        self.client.connect_async(host, port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

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
        client.subscribe([(name, self.qos) for name in topics.SUBSCRIPTIONS])

    def _on_subscribe(self, client: paho.Client, userdata: object, mid: int, reasons: list[ReasonCode],
                      properties: object) -> None:
        self.subscribed.set()

    def _on_message(self, client: paho.Client, userdata: object, message: paho.MQTTMessage) -> None:
        try:
            self.handle(message.topic, bytes(message.payload))
        except Exception:  # a message must never stop the network thread
            log.exception("MQTT message on %s failed", message.topic[:80])
