"""The shipped benchmarks loaded for the demo, before the demo cases propose their penalties."""

from __future__ import annotations

from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext

from . import benchmark as bm
from .services import benchmark_load


def seed_benchmarks(ctx: SeedContext) -> None:
    for path in bm.shipped():
        stored = benchmark_load(actor=ctx.actor, path=path)
        ctx.say(f"  裁量基准：{stored.title}（{stored.name}-{stored.version}，{stored.violations} 项违法行为）")


STEPS = [SeedStep("行政处罚裁量权基准", 86, seed_benchmarks)]
