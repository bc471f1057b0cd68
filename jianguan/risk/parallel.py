"""Many lines judged on several cores: the lines cut into chunks, each chunk handed to a forked worker process
and what the caller keeps of it (its output text, its counts) sent back, in the lines' order.

The workers are forked after the lines and the function are set, so neither is sent to them (only each chunk's
bounds go out, and only the chunk's result comes back: a text, not a million verdict objects to unpickle in the
parent). The models are loaded before the fork, so no worker builds an automaton of its own. One worker judges in
the calling process, as before.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import Any

CHUNK = 2_000

_work: tuple[Callable[[Sequence[Any]], Any], Sequence[Any]] | None = None


def _chunk(bounds: tuple[int, int]) -> Any:
    if _work is None:  # pragma: no cover - set before the pool forks
        raise RuntimeError("no work set before the workers were forked")
    function, items = _work
    return function(items[bounds[0]:bounds[1]])


def chunks[T, R](function: Callable[[Sequence[T]], R], items: Sequence[T], *, workers: int = 1) -> Iterator[R]:
    """`function` of each run of consecutive items, in order; with `workers` > 1 in that many forked processes (runs
    of at most `CHUNK` items, at least four per worker so a slow run does not leave the others idle)."""
    global _work
    size = min(CHUNK, max(1, -(-len(items) // (workers * 4))))
    bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    if workers <= 1 or len(bounds) <= 1:
        for start, end in bounds:
            yield function(items[start:end])
        return
    _work = (function, items)
    gc.freeze()  # the parent's objects out of the workers' collections: scanning them would copy every page
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(bounds))) as pool:
            yield from pool.imap(_chunk, bounds)
    finally:
        gc.unfreeze()
        _work = None
