"""The credit benchmark's database, built in minutes rather than hours (bench only; `jianguan seed` is unchanged).

The classification reads the object library and its libraries: registration events and licences, inspections with
the penalties, coercion and other acts that followed them, complaints and credit records. This module runs the
seed's own steps for them, in the seed's order and with the seed's distributions, deterministic from `--seed`:
regions, departments, people, industries, the catalog, entities, registration and licences, complaints, credit
records. It leaves out what the classification does not read (the search index, the demo cases, spot checks,
the risk models' data, the demo's list entries and repair) and writes the inspections (6 per entity on average,
60 % of the records) with a leaner generator of the same distributions (`behaviour.seed`'s results, shares and
windows; the follow-up acts by the seed's own `_follow_ups`).

Loaded as `bench.loading` loads (the loaded tables' secondary indexes built again at the end), then ANALYZE, as
the seed does.

`python -m bench.credit_data build ENTITIES [SEED]` in a migrated, empty database (JIANGUAN_VAR_DIR /
JIANGUAN_DATABASE_URL); prints each step's seconds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any

from bench.common import setup
from bench.loading import Laps, analyse, loading, main

# The seed's steps the classification needs, by name (`jianguan seed` prints them); 监管行为 is written here.
STEPS = ("区划", "部门", "人员", "行业分类", "监管事项清单", "市场主体", "登记与许可", "监管行为", "投诉举报",
         "信用记录")


def _tables() -> list[str]:
    from jianguan.behaviour.models import Coercion, Inspection, OtherAction, Penalty
    from jianguan.complaints.models import Complaint
    from jianguan.credit.models import CreditRecord
    from jianguan.subjects.models import FormerName, Licence, MarketEntity, RegistrationEvent

    return [m._meta.db_table for m in (MarketEntity, RegistrationEvent, Licence, FormerName, Inspection, Penalty,
                                       Coercion, OtherAction, Complaint, CreditRecord)]


def _day_text() -> Any:
    from functools import cache

    @cache
    def text(day: dt.date) -> str:
        return day.isoformat()

    return text


def seed_inspections(ctx: Any) -> None:
    """监管行为 as `behaviour.seed.seed_behaviour` draws it (per entity 0 … 2 × 6 inspections from its
    establishment or 2024-01-02 on, the county's bureau or 15 % the city's, under an implementation row in force,
    the seed's results; 40 % of those that found a problem followed by a penalty, coercion or other act), the
    rows built from pre-formatted parts (dates as text, one time stamp)."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from jianguan.accounts.models import Department, DepartmentKind
    from jianguan.audit.contracts import record
    from jianguan.behaviour import seed as behaviour
    from jianguan.behaviour.models import Inspection
    from jianguan.core.bulk import bulk_insert
    from jianguan.subjects.contracts import entity_rows
    from jianguan.subjects.models import EntityType

    per_entity = behaviour.INSPECTIONS_PER_ENTITY[ctx.scale]
    today = timezone.localdate()
    usable = behaviour._usable_rows(behaviour.FIRST_DAY, today)
    rng = ctx.rng("behaviour")
    departments = {(d.region_id, d.kind): d for d in Department.objects.filter(kind=DepartmentKind.SCJG)}
    city = departments[(settings.JIANGUAN_LOCALITY, DepartmentKind.SCJG)]
    results, weights = zip(*behaviour.RESULTS, strict=True)
    cumulative = list(itertools.accumulate(weights))
    no_problem = results[0]
    now = timezone.now()
    stamp_text = now.isoformat(" ")
    day_text = _day_text()
    entities = entity_rows(ctx)
    follow_ups: list[tuple[Any, ...]] = []
    prefix = f"{int(now.timestamp() * 1000) << 16 | 0x7000:016x}"  # UUIDv7's first 64 bits, as the seed's ids
    prefix = f"{prefix[:8]}-{prefix[8:12]}-{prefix[12:]}-"
    random, randrange = rng.random, rng.randrange

    def shared(entity: tuple[Any, ...], department: Any, catalog_code: str, number: str, name: str,
               day: dt.date, serial: int) -> tuple[Any, ...]:
        entity_id, uscc, ename, etype, region, _, address, *_ = entity
        nature = "individual" if etype == EntityType.INDIVIDUAL else "organisation"
        reported = dt.datetime.combine(day + dt.timedelta(days=3), dt.time(10), tzinfo=dt.UTC).isoformat(" ")
        record_id = f"{prefix}{0x8000 | serial >> 48:04x}-{serial & 0xFFFFFFFFFFFF:012x}"
        return (record_id, number, name, department.pk, catalog_code, "entity", ename, entity_id, ename, nature,
                "001", uscc, address, "", region, day_text(day), reported, "", "seed", stamp_text, stamp_text)

    serials = itertools.count(1)

    def rows() -> Iterator[tuple[Any, ...]]:
        sequence = 0
        for entity in entities:
            start = max(behaviour.FIRST_DAY, entity[8])
            count = rng.randint(0, 2 * per_entity)
            if start >= today or not count:
                continue
            window = min((today - behaviour.FIRST_DAY).days, (today - start).days)
            local = departments.get((entity[5], DepartmentKind.SCJG), city)
            for _ in range(count):
                department = city if random() < behaviour.CITY_SHARE else local
                if department.pk not in usable:
                    department = city
                claims = usable[department.pk]
                code, item_code = claims[randrange(len(claims))]
                day = start + dt.timedelta(days=randrange(window))
                sequence += 1
                number = f"JC{day.year}{sequence:09d}"
                result = results[bisect_right(cumulative, random() * cumulative[-1])]
                if result != no_problem and random() < behaviour.FOLLOW_UP_SHARE:
                    follow_ups.append((entity, department, number, day))
                yield (*shared(entity, department, item_code, number, "日常监督检查", day, next(serials)), code, "",
                       "日常检查", "1", "现场检查", result, behaviour.INSPECTORS, "[]")

    def follow_shared(*args: Any) -> tuple[Any, ...]:
        return shared(*args, next(serials))

    with transaction.atomic():
        counts = {"inspections": bulk_insert(Inspection, behaviour.INSPECTION_COLUMNS, rows(), chunk=50_000)}
        items = [behaviour._items_of(kind, today) for kind in ("penalty", "coercion", "other", "check")]
        counts.update(behaviour._follow_ups(ctx, rng, follow_ups, follow_shared, items[0], items[1],
                                            items[2] or items[3], today))
        record(actor=ctx.actor, verb="behaviour.records_seeded", data={**counts, "bench": True})
    ctx.say("  监管行为：" + "，".join(f"{k} {v:,}" for k, v in counts.items()))


def build(entities: int, seed: int = 2026, *, steps: tuple[str, ...] = STEPS,
          tables: Callable[[], list[str]] | None = None) -> dict[str, float]:
    """The database of `entities` entities and their libraries (the seed's `steps`, the inspections in bulk, the
    `tables` loaded with their indexes built again after); seconds per step."""
    setup()
    from django.utils import translation

    from jianguan.core.registry import seed_steps
    from jianguan.core.seeding import SeedContext

    context = SeedContext(scale="bench", seed=seed, stdout=sys.stdout, progress_enabled=False, entities=entities)
    runs = {step.name: step.run for step in seed_steps() if step.name in steps}
    runs["监管行为"] = seed_inspections
    laps = Laps()
    with translation.override(None), loading((tables or _tables)()):
        for name, run in runs.items():
            run(context)
            laps.lap(name)
    laps.lap("索引重建")
    return analyse(laps)


if __name__ == "__main__":
    main("bench.credit_data", "ENTITIES", build)
