"""`jianguan remote_receive` — the protocol receivers: HJ 212-2017 over TCP and the MQTT subscriber, both handing
deliveries to the sink named by `JIANGUAN_REMOTE_SINK`. Prints one line per receiver once it listens; stops on
SIGTERM or SIGINT and prints what it counted."""

from __future__ import annotations

import asyncio
import json
import signal
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from jianguan.remote.protocols import topics
from jianguan.remote.receivers import hj212, mqtt, sinks


class Command(BaseCommand):
    help = "启动非现场监管数据接收：HJ 212-2017 TCP 服务与 MQTT 订阅，报文交给 JIANGUAN_REMOTE_SINK"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hj212-host", default=settings.JIANGUAN_REMOTE_HJ212_HOST)
        parser.add_argument("--hj212-port", type=int, default=settings.JIANGUAN_REMOTE_HJ212_PORT,
                            help="0 picks a free port (printed on start)")
        parser.add_argument("--mqtt-host", default=settings.JIANGUAN_REMOTE_MQTT_HOST)
        parser.add_argument("--mqtt-port", type=int, default=settings.JIANGUAN_REMOTE_MQTT_PORT)
        parser.add_argument("--no-hj212", action="store_true", help="do not start the HJ 212 server")
        parser.add_argument("--no-mqtt", action="store_true", help="do not subscribe to the MQTT broker")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sink = sinks.resolve(settings.JIANGUAN_REMOTE_SINK)
        except (ImportError, AttributeError) as error:
            raise CommandError(f"无法导入 JIANGUAN_REMOTE_SINK={settings.JIANGUAN_REMOTE_SINK}：{error}") from None
        stats = asyncio.run(self._run(sink, sinks.resolve_many(settings.JIANGUAN_REMOTE_SINK), options))
        self.stdout.write(json.dumps({name: asdict(s) for name, s in stats.items()}, ensure_ascii=False))

    async def _run(self, sink: sinks.Sink, many: sinks.ManySink | None,
                   options: dict[str, Any]) -> dict[str, sinks.Stats]:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping.set)
        stats = {"hj212": sinks.Stats(), "mqtt": sinks.Stats(), "mqtt_events": sinks.Stats()}
        feeder = sinks.Feeder(sink, stats["hj212"], before_group=close_old_connections, many=many)
        feeder.start()
        server = hj212.Server(feeder, stats["hj212"], idle=settings.JIANGUAN_REMOTE_HJ212_IDLE_SECONDS)
        client_id = settings.JIANGUAN_REMOTE_MQTT_CLIENT_ID
        readings, events = topics.SUBSCRIPTIONS
        # Events (video analysis, sensors) open alarms at once: their own session and worker, so they never wait
        # behind a backlog of readings in the broker's queue or the receiver's (ADR 0071).
        subscriber = mqtt.Subscriber(_fresh(sink), stats["mqtt"], client_id=client_id, many=many,
                                     before_group=close_old_connections, subscriptions=(readings,), drop=(events,))
        urgent = mqtt.Subscriber(_fresh(sink), stats["mqtt_events"], client_id=f"{client_id}-events", many=many,
                                 before_group=close_old_connections, subscriptions=(events,))
        if not options["no_hj212"]:
            host, port = await server.start(options["hj212_host"], options["hj212_port"])
            self.stdout.write(f"hj212 listening on {host}:{port}", ending="\n")
        if not options["no_mqtt"]:
            subscriber.start(options["mqtt_host"], options["mqtt_port"])
            urgent.start(options["mqtt_host"], options["mqtt_port"])
            ready = all([await loop.run_in_executor(None, s.subscribed.wait, 5.0) for s in (subscriber, urgent)])
            state = "subscribed at" if ready else "connecting to (retrying in the background)"
            self.stdout.write(f"mqtt {state} {options['mqtt_host']}:{options['mqtt_port']}")
        self.stdout.flush()
        await stopping.wait()
        if not options["no_mqtt"]:
            subscriber.stop()
            urgent.stop()
        await server.stop()
        await feeder.stop()
        return stats


def _fresh(sink: sinks.Sink) -> sinks.Sink:
    """The sink behind a check of the thread's database connection (paho's thread lives as long as the command)."""

    def call(delivery: sinks.Delivery) -> sinks.Outcome:
        close_old_connections()
        return sink(delivery)

    return call
