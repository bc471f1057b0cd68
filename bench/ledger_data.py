"""The burden ledger benchmark's database, built in minutes (bench only; `jianguan seed` is unchanged).

The ledger reads an entity (its region and credit class) and the entity's on-site 行政检查 records and unrecorded
spot-check results. This module runs the seed's steps for the organisation, the catalog and the entities, then the
inspections as `bench.credit_data` writes them — the seed's distributions: per entity 0 … 12 records (6 on average)
from its establishment or 2024-01-02 on, by the county's bureau or 15 % the city's, with the penalties, coercion and
other acts that followed them — in bulk, one transaction per table, the loaded tables' secondary indexes built
again at the end, then ANALYZE. It leaves out what the ledger does not read (registration events and licences,
complaints, credit records, the search index), which is what makes `bench.credit_data` take most of its time.

`python -m bench.ledger_data build ENTITIES [SEED]` in a migrated, empty database (JIANGUAN_VAR_DIR /
JIANGUAN_DATABASE_URL); prints each step's seconds.
"""

from __future__ import annotations

import sys

from bench.common import setup
from bench.credit_data import seed_inspections
from bench.loading import Laps, analyse, loading, main

STEPS = ("区划", "部门", "人员", "行业分类", "监管事项清单", "市场主体", "监管行为")


def _tables() -> list[str]:
    from jianguan.behaviour.models import Coercion, Inspection, OtherAction, Penalty
    from jianguan.subjects.models import MarketEntity

    return [m._meta.db_table for m in (MarketEntity, Inspection, Penalty, Coercion, OtherAction)]


def build(entities: int, seed: int = 2026) -> dict[str, float]:
    """The database of `entities` entities and their inspections; seconds per step."""
    setup()
    from django.utils import translation

    from jianguan.core.registry import seed_steps
    from jianguan.core.seeding import SeedContext

    context = SeedContext(scale="bench", seed=seed, stdout=sys.stdout, progress_enabled=False, entities=entities)
    steps = {step.name: step.run for step in seed_steps() if step.name in STEPS}
    steps["监管行为"] = seed_inspections
    laps = Laps()
    with translation.override(None), loading(_tables()):
        for name, run in steps.items():
            run(context)
            laps.lap(name)
    laps.lap("索引重建")
    return analyse(laps)


if __name__ == "__main__":
    main("bench.ledger_data", "ENTITIES", build)
