"""Demo evaluation: the default scheme loaded and the last three months computed from the demo's records, so the
ranking and its trend are filled."""

from __future__ import annotations

from django.utils import timezone

from jianguan.core.months import months_before, previous_month
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext

from . import runs, scheme


def seed_evaluation(ctx: SeedContext) -> None:
    scheme.schemes_load(actor=ctx.actor)
    months = months_before(previous_month(timezone.localdate()), 3)
    for month in months:
        runs.evaluation_run(actor=ctx.actor, month=month)
    ctx.say(f"  部门考核：{'、'.join(months)} 已计算")


STEPS = [SeedStep("部门考核", 98, seed_evaluation)]
