"""Demo open data: the bulk files written once the demo's decisions are published, so the demo's 开放数据 page
offers downloads that match its public pages."""

from __future__ import annotations

from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext

from . import exports


def seed_opendata(ctx: SeedContext) -> None:
    if ctx.scale == "test":
        return
    files = exports.export(actor=ctx.actor)
    ctx.say(f"  开放数据：批量下载文件 {len(files)} 个（{'、'.join(f.name for f in files)}）")


STEPS = [SeedStep("开放数据", 96, seed_opendata)]
