"""Demo dashboard: the figures counted once the demo's records (and its evaluation) are in, so every chart is
filled."""

from __future__ import annotations

from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext

from . import refresh


def seed_figures(ctx: SeedContext) -> None:
    done = refresh.figures_refresh(actor=ctx.actor)
    ctx.say(f"  领导驾驶舱：{done.first_month} 至 {done.last_month}，{done.rows} 行数据")


STEPS = [SeedStep("领导驾驶舱", 99, seed_figures)]
