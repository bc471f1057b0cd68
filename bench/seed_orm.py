"""Baseline for the seed rate: the same generated entities saved the plain Django way (bulk_create of model
instances, 1,000 per statement) after the same organisation steps."""

from __future__ import annotations

import io
import os
import sys
import time

import django


def main(scale: str, skip: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.config.settings")
    django.setup()
    from django.db import transaction

    from jianguan.core.registry import seed_steps
    from jianguan.core.seeding import SeedContext
    from jianguan.subjects import seed as subjects_seed
    from jianguan.subjects.models import MarketEntity

    ctx = SeedContext(scale=scale, seed=2026, stdout=io.StringIO(), progress_enabled=False)
    started = time.perf_counter()
    for step in seed_steps():
        if step.run is not subjects_seed.seed_entities and step.name not in skip:
            step.run(ctx)
    with transaction.atomic():
        rows = subjects_seed.generate(ctx, ctx.sizes["entities"])
        batch = []
        for row in rows:
            batch.append(MarketEntity(**dict(zip(subjects_seed.COLUMNS, row, strict=True))))
            if len(batch) == 1000:
                MarketEntity.objects.bulk_create(batch)
                batch.clear()
        MarketEntity.objects.bulk_create(batch)
    print(f"{time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "city", sys.argv[2:])
