"""Calling the sink: resolved lazily from a dotted path, and fed from the event loop through one worker thread.

`Feeder` queues the deliveries of every connection and hands them to the sink in groups: a group is whatever is
waiting when the worker thread becomes free (at most `limit`), so an idle receiver adds no delay and a busy one pays
one thread hop per group instead of per frame. The sink runs in that one thread only, in arrival order. With the
sink's batch form (`resolve_many`: `intake.accept_many` beside `intake.accept`) the group goes to the intake in one
call, one transaction; if that call fails, the group is handed on one delivery at a time, so one bad delivery costs
only its own answer.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from jianguan.remote.wire import Delivery, ManySink, Outcome, Sink

__all__ = ["DEFAULT_SINK", "Delivery", "Feeder", "ManySink", "Outcome", "Sink", "Stats", "call", "call_many",
           "resolve", "resolve_many"]

log = logging.getLogger("jianguan.remote")
DEFAULT_SINK = "jianguan.remote.intake.accept"


@dataclass
class Stats:
    """What a receiver saw: frames or messages, deliveries handed on, answers sent, what it refused by code."""

    connections: int = 0
    frames: int = 0
    deliveries: int = 0
    answers: int = 0
    sink_errors: int = 0
    malformed: Counter[str] = field(default_factory=Counter)
    unknown: int = 0

    def refuse(self, code: str) -> None:
        self.malformed[code] += 1


def resolve(path: str = DEFAULT_SINK) -> Sink:
    """The callable named `module.attribute`, imported now (the receivers call this at start, not at import)."""
    module, _, name = path.rpartition(".")
    if not module:
        raise ImportError(f"JIANGUAN_REMOTE_SINK 须为 模块.函数 形式，而不是“{path}”")
    sink: Sink = getattr(importlib.import_module(module), name)
    return sink


def resolve_many(path: str = DEFAULT_SINK) -> ManySink | None:
    """The batch form of the sink `module.attribute`: `module.attribute_many` when the module has one."""
    module, _, name = path.rpartition(".")
    many: ManySink | None = getattr(importlib.import_module(module), f"{name}_many", None) if module else None
    return many


def call_many(sink: Sink, many: ManySink | None, deliveries: list[Delivery], stats: Stats) -> list[Outcome | None]:
    """The deliveries through the batch sink at once; if there is none, or it fails, one at a time through `sink`."""
    if many is not None and len(deliveries) > 1:
        try:
            outcomes = many(deliveries)
        except Exception:
            log.exception("sink failed on a group of %d deliveries: handing them on one at a time", len(deliveries))
        else:
            for outcome in outcomes:
                stats.deliveries += 1
                if not outcome.known:
                    stats.unknown += 1
            return list(outcomes)
    return [call(sink, delivery, stats) for delivery in deliveries]


def call(sink: Sink, delivery: Delivery, stats: Stats) -> Outcome | None:
    """One delivery through the sink; an error of the sink is logged and counted, never raised into a receiver."""
    try:
        outcome = sink(delivery)
    except Exception:
        stats.sink_errors += 1
        log.exception("sink failed on a delivery from %s (%s)", delivery.device, delivery.channel)
        return None
    stats.deliveries += 1
    if not outcome.known:
        stats.unknown += 1
    return outcome


class Feeder:
    def __init__(self, sink: Sink, stats: Stats, *, limit: int = 200,
                 before_group: Callable[[], None] | None = None, many: ManySink | None = None) -> None:
        self._sink, self._stats, self._limit, self._before, self._many = sink, stats, limit, before_group, many
        self._queue: asyncio.Queue[tuple[Delivery, asyncio.Future[Outcome | None]]] = asyncio.Queue()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="remote-sink")
        self._task: asyncio.Task[None] | None = None
        self.groups = 0

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._pool.shutdown(wait=True)

    def submit(self, delivery: Delivery) -> asyncio.Future[Outcome | None]:
        future: asyncio.Future[Outcome | None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((delivery, future))
        return future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            group = [await self._queue.get()]
            while len(group) < self._limit and not self._queue.empty():
                group.append(self._queue.get_nowait())
            outcomes = await loop.run_in_executor(self._pool, self._call_group, [d for d, _ in group])
            self.groups += 1
            for (_, future), outcome in zip(group, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)

    def _call_group(self, deliveries: list[Delivery]) -> list[Outcome | None]:
        if self._before is not None:
            self._before()
        return call_many(self._sink, self._many, deliveries, self._stats)
