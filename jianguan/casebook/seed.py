"""The demo's case library: its closed cases swept in (redacted), after the demo cases are made."""

from __future__ import annotations

from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext

from .services import cases_sweep


def seed_casebook(ctx: SeedContext) -> None:
    ctx.say(f"  案例库：已结案案件入库 {cases_sweep(actor=ctx.actor)} 件")


STEPS = [SeedStep("案例库", 95, seed_casebook)]
