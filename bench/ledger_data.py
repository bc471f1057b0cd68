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

from bench import credit_data
from bench.loading import main

STEPS = ("区划", "部门", "人员", "行业分类", "监管事项清单", "市场主体", "监管行为")


def _tables() -> list[str]:
    from jianguan.behaviour.models import Coercion, Inspection, OtherAction, Penalty
    from jianguan.subjects.models import MarketEntity

    return [m._meta.db_table for m in (MarketEntity, Inspection, Penalty, Coercion, OtherAction)]


def build(entities: int, seed: int = 2026) -> dict[str, float]:
    """The database of `entities` entities and their inspections; seconds per step."""
    return credit_data.build(entities, seed, steps=STEPS, tables=_tables)


if __name__ == "__main__":
    main("bench.ledger_data", "ENTITIES", build)
