"""The receivers over real sockets: HJ 212 frames split and merged over TCP, answers per the standard, garbage and
oversize frames; MQTT messages through a real Mosquitto broker. The sink is a recording function (the seam)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from jianguan.remote.protocols import hj212, topics
from jianguan.remote.receivers import hj212 as tcp
from jianguan.remote.receivers.mqtt import Subscriber
from jianguan.remote.receivers.sinks import Feeder, Stats
from jianguan.remote.wire import Delivery, Outcome, ReadingIn, Refusal
from tests.remote.test_hj212 import MN, data_frame


class Recorder:
    """The sink: records each delivery; answers unknown for device "GHOST", wrong password for PW "bad", and fails
    for device "BOOM"."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []

    def __call__(self, delivery: Delivery) -> Outcome:
        if delivery.device == "BOOM":
            raise RuntimeError("sink down")
        self.deliveries.append(delivery)
        if delivery.device == "GHOST":
            return Outcome(known=False, refused=(Refusal(None, "unknown_device", "未登记"),))
        if delivery.password == "bad":
            return Outcome(known=False, refused=(Refusal(None, "wrong_password", "密码错误"),))
        return Outcome(known=True, accepted=len(delivery.readings))


Client = Callable[[], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]


def serve(body: Callable[[Client, tcp.Server, Recorder], Awaitable[None]]) -> tuple[tcp.Server, Recorder]:
    sink = Recorder()

    async def main() -> None:
        stats = Stats()
        feeder = Feeder(sink, stats)
        feeder.start()
        server = tcp.Server(feeder, stats, idle=30)
        host, port = await server.start("127.0.0.1", 0)
        holder.append(server)
        try:
            await asyncio.wait_for(body(lambda: asyncio.open_connection(host, port), server, sink), 30)
        finally:
            await server.stop()
            await feeder.stop()

    holder: list[tcp.Server] = []
    asyncio.run(main())
    return holder[0], sink


async def answers(reader: asyncio.StreamReader, count: int) -> list[hj212.Packet]:
    return [hj212.parse(await reader.readuntil(b"\r\n")) for _ in range(count)]


def test_frames_split_over_reads_and_merged_in_one_are_all_taken_and_answered():
    first, second = data_frame(qn="20260101000000001"), data_frame(qn="20260101000000002")

    async def body(connect, server, sink):
        reader, writer = await connect()
        for i in range(0, len(first), 7):  # one frame in pieces
            writer.write(first[i:i + 7])
            await writer.drain()
            await asyncio.sleep(0.005)
        (answer,) = await answers(reader, 1)
        assert (answer.cn, answer.qn) == ("9014", "20260101000000001")
        writer.write(second + first + second)  # three frames in one write
        assert [a.qn[-1] for a in await answers(reader, 3)] == ["2", "1", "2"]
        writer.close()

    server, sink = serve(body)
    assert [d.sent_at.microsecond for d in sink.deliveries] == [1000, 2000, 1000, 2000]  # replays handed on too
    assert sink.deliveries[0].readings[0].value == Decimal("166.6")
    assert server.stats.frames == 4 and server.stats.answers == 4 and not server.stats.malformed


def test_refusals_are_answered_with_the_standards_return_codes():
    async def body(connect, server, sink):
        reader, writer = await connect()
        bad_crc = data_frame()[:-6] + b"0000\r\n"
        writer.write(bad_crc + data_frame(mn="GHOST") + data_frame(pw="bad") + data_frame(flag=4) + data_frame())
        replies = await answers(reader, 4)  # Flag=4 asks for no answer
        assert [(r.cn, r.value("QnRtn")) for r in replies] == [("9011", "9"), ("9011", "4"), ("9011", "3"),
                                                               ("9014", None)]

    server, sink = serve(body)
    assert [d.device for d in sink.deliveries] == ["GHOST", MN, MN, MN]
    assert server.stats.malformed == {"crc_mismatch": 1} and server.stats.unknown == 2


def test_garbage_and_sink_failures_do_not_stop_the_receiver():
    async def body(connect, server, sink):
        reader, writer = await connect()
        writer.write(b"\x00\xffGET / HTTP/1.1\r\n\r\n" + data_frame(mn="BOOM") + b"##12ab" + data_frame())
        (answer,) = await answers(reader, 1)  # the failed delivery gets no answer: the device sends again
        assert answer.cn == "9014"
        writer.close()

    server, sink = serve(body)
    assert server.stats.sink_errors == 1 and len(sink.deliveries) == 1
    assert server.stats.malformed == {"no_header": 1, "bad_length": 1}


def test_an_oversize_frame_closes_its_connection_only():
    async def body(connect, server, sink):
        reader, writer = await connect()
        writer.write(b"##2000" + b"x" * 50)
        assert await reader.read() == b""  # closed by the server
        reader, writer = await connect()
        writer.write(data_frame())
        assert (await answers(reader, 1))[0].cn == "9014"

    server, _ = serve(body)
    assert server.stats.malformed == {"too_long": 1}


def test_a_devices_newer_connection_replaces_the_older():
    async def body(connect, server, sink):
        old_reader, old_writer = await connect()
        old_writer.write(data_frame())
        await answers(old_reader, 1)
        reader, writer = await connect()
        writer.write(data_frame())
        await answers(reader, 1)
        assert await old_reader.read() == b""
        writer.write(data_frame())
        assert (await answers(reader, 1))[0].cn == "9014"

    serve(body)


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def publisher(broker) -> paho.Client:
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"test-pub-{threading.get_ident()}-{time.time_ns()}")
    client.connect(broker.host, broker.port)
    client.loop_start()
    return client


def test_mqtt_messages_through_mosquitto_reach_the_sink_and_bad_ones_are_counted(mosquitto):
    sink, stats = Recorder(), Stats()
    subscriber = Subscriber(sink, stats, client_id=f"test-sub-{time.time_ns()}")
    subscriber.start(mosquitto.host, mosquitto.port)
    client = publisher(mosquitto)
    try:
        assert subscriber.subscribed.wait(10)
        reading = ReadingIn("temp", datetime(2026, 12, 7, 2, tzinfo=UTC), Decimal("3.9"), unit="℃")
        client.publish(topics.topic("coldchain", "LL-1"), topics.payload([reading]), qos=1).wait_for_publish(5)
        client.publish("jianguan/COLD/LL-1/readings", b"{}", qos=1).wait_for_publish(5)
        client.publish(topics.topic("coldchain", "LL-1"), b"{oops", qos=1).wait_for_publish(5)
        client.publish(topics.topic("coldchain", "LL-1"), topics.payload([reading]), qos=1).wait_for_publish(5)
        assert wait_for(lambda: stats.frames == 4)
    finally:
        client.loop_stop()
        subscriber.stop()
    assert [d.readings for d in sink.deliveries] == [(reading,), (reading,)]
    assert sink.deliveries[0].kind == "coldchain" and sink.deliveries[0].channel == "mqtt"
    assert stats.malformed == {"unknown_topic": 1, "bad_json": 1}


def test_mqtt_messages_sent_while_the_receiver_was_away_arrive_on_its_return(mosquitto):
    sink, stats = Recorder(), Stats()
    client_id = f"test-late-{time.time_ns()}"
    first = Subscriber(sink, stats, client_id=client_id)
    first.start(mosquitto.host, mosquitto.port)
    assert first.subscribed.wait(10)
    first.stop()
    client = publisher(mosquitto)
    body = topics.payload([ReadingIn("temp", datetime(2026, 12, 7, tzinfo=UTC), Decimal(5))])
    client.publish(topics.topic("coldchain", "LL-2"), body, qos=1).wait_for_publish(5)
    client.loop_stop()
    again = Subscriber(sink, stats, client_id=client_id)
    again.start(mosquitto.host, mosquitto.port)
    try:
        assert wait_for(lambda: len(sink.deliveries) == 1)
    finally:
        again.stop()
    assert sink.deliveries[0].device == "LL-2"


def test_the_feeder_hands_waiting_deliveries_on_as_one_group_in_order():
    entered, release = threading.Event(), threading.Event()
    seen: list[str] = []

    def slow_sink(delivery: Delivery) -> Outcome:
        if not seen:
            entered.set()
            release.wait(10)
        seen.append(delivery.device)
        return Outcome(known=True, accepted=len(delivery.readings))

    async def main() -> tuple[list[Outcome | None], int]:
        feeder = Feeder(slow_sink, Stats())
        feeder.start()
        first = feeder.submit(Delivery("hj212", "D0", (), b""))
        await asyncio.get_running_loop().run_in_executor(None, entered.wait, 10)
        rest = [feeder.submit(Delivery("hj212", f"D{i}", (), b"")) for i in range(1, 50)]
        release.set()
        outcomes = await asyncio.gather(first, *rest)
        groups = feeder.groups
        await feeder.stop()
        return outcomes, groups

    outcomes, groups = asyncio.run(main())
    assert seen == [f"D{i}" for i in range(50)] and all(o.known for o in outcomes)
    assert groups == 2  # the one in the thread, then the 49 that waited for it


class ManyRecorder(Recorder):
    """The sink with its batch form: records each group handed on at once; a group holding "BOOM" fails whole."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[list[str]] = []

    def many(self, deliveries: list[Delivery]) -> list[Outcome]:
        if any(d.device == "BOOM" for d in deliveries):
            raise RuntimeError("sink down")
        self.groups.append([d.device for d in deliveries])
        return [self(d) for d in deliveries]


def test_mqtt_messages_go_to_the_batch_sink_in_groups_and_are_acknowledged_once_stored(mosquitto):
    sink, stats = ManyRecorder(), Stats()
    client_id = f"test-many-{time.time_ns()}"
    subscriber = Subscriber(sink, stats, client_id=client_id, many=sink.many, linger=0.2)
    subscriber.start(mosquitto.host, mosquitto.port)
    client = publisher(mosquitto)
    body = topics.payload([ReadingIn("temp", datetime(2026, 12, 7, tzinfo=UTC), Decimal(5))])
    try:
        assert subscriber.subscribed.wait(10)
        for i in range(20):
            client.publish(topics.topic("coldchain", f"LL-{i}"), body, qos=1)
        client.publish(topics.topic("coldchain", "BOOM"), body, qos=1)
        client.publish("jianguan/COLD/LL-1/readings", b"{}", qos=1).wait_for_publish(5)
        assert wait_for(lambda: stats.deliveries == 20 and stats.frames == 22)
    finally:
        client.loop_stop()
        subscriber.stop()
    assert sorted(d.device for d in sink.deliveries) == sorted(f"LL-{i}" for i in range(20))
    assert len(sink.groups) < 20 and stats.sink_errors == 1 and stats.malformed == {"unknown_topic": 1}
    # the failed message was never acknowledged: the broker hands it to the session again on its return
    again_sink, again_stats = ManyRecorder(), Stats()
    again = Subscriber(again_sink, again_stats, client_id=client_id, many=again_sink.many)
    again.start(mosquitto.host, mosquitto.port)
    try:
        assert wait_for(lambda: again_stats.frames >= 1)
    finally:
        again.stop()
    assert again_stats.sink_errors == 1 and not again_sink.deliveries


def test_the_feeder_hands_a_group_to_the_batch_sink_and_one_at_a_time_when_it_fails():
    sink = ManyRecorder()

    async def main() -> tuple[list[Outcome | None], Stats]:
        stats = Stats()
        feeder = Feeder(sink, stats, many=sink.many)
        feeder.start()
        futures = [feeder.submit(Delivery("hj212", name, (), b"")) for name in ("D1", "D2", "BOOM", "D3")]
        outcomes = await asyncio.gather(*futures)
        await feeder.stop()
        return outcomes, stats

    outcomes, stats = asyncio.run(main())
    assert [o is not None for o in outcomes] == [True, True, False, True]
    assert [d.device for d in sink.deliveries] == ["D1", "D2", "D3"] and stats.sink_errors == 1
