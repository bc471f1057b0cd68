"""The monthly control sample (对照样本): the observations of a month that raised no alert, drawn at random per
model and sent for verification as control items, so that what the models miss can be estimated (risk-models.md,
"Measured in the field").

The draw is reproducible from what is recorded: each model's pool is the ids (as decimal strings) of the month's
judged observations of that model linked to no alert; its size is ⌈population × rate⌉; the ids drawn are those
with the smallest SHA-256(seed ‖ id) — the seed's 32 bytes followed by the id's UTF-8 bytes, the ranking of the
spot-check draws (docs/draw-protocol.md §5) without their commitment (`METHOD`). The seed, the rate, and per model
the pool's SHA-256 and the ids drawn are kept in `ControlSample` and in the audit event. A month is drawn once:
drawing it again changes nothing.

A control item is an `Alert` with `control=True`: no band, the score as the model in force scores it, routed to
the department an alert would go to, on the same clock and the same verification and disposal
(`workflow.ALERTS`). Its outcome is the truth about an item the model let pass: 不属实 a true negative, any other
outcome a miss.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.errors import ValidationFailed
from jianguan.core.months import month_bounds, parse_month

from . import alerts, engine, routing
from .models import Alert, ControlSample, Observation, RiskModel

METHOD = "sha256-rank-v1"
def sample_size(population: int, rate: Decimal) -> int:
    """⌈population × rate⌉: a model with any item in its pool has at least one drawn."""
    return min(population, math.ceil(Decimal(population) * rate))


def draw(seed: bytes, pool: Sequence[str], size: int) -> list[str]:
    """The `size` ids of `pool` with the smallest SHA-256(seed ‖ id), smallest first."""
    return heapq.nsmallest(size, pool, key=lambda item: hashlib.sha256(seed + item.encode()).digest())


def pool_hash(pool: Sequence[str]) -> str:
    """SHA-256 of the pool's ids sorted by code point, one per line."""
    return hashlib.sha256("\n".join(sorted(pool)).encode()).hexdigest()


def configured_rate() -> Decimal:
    """The share of a month's unalerted observations drawn [config]: JIANGUAN_RISK_CONTROL_SAMPLE_RATE (0.01)."""
    return Decimal(str(getattr(settings, "JIANGUAN_RISK_CONTROL_SAMPLE_RATE", "0.01")))


@dataclass(frozen=True)
class Drawn:
    sample: ControlSample
    created: bool

    def as_dict(self) -> dict[str, Any]:
        return {"month": self.sample.month, "created": self.created, "seed": self.sample.seed,
                "drawn": {model: part["sampled"] for model, part in self.sample.strata.items()}}


def _pools(month: str) -> dict[str, list[str]]:
    """Per model, the ids of the month's judged observations that belong to no alert."""
    start, end = month_bounds(month)
    rows = Observation.objects.filter(captured_at__gte=start, captured_at__lt=end, scanned_at__isnull=False,
                                      alerts__isnull=True).values_list("pk", "model")
    pools: dict[str, list[str]] = {model: [] for model in RiskModel.values}
    for pk, model in rows:
        pools[model].append(str(pk))
    return pools


def _strata(pools: dict[str, list[str]], seed: bytes, rate: Decimal) -> dict[str, dict[str, Any]]:
    return {model: {"version": engine.model(model).version, "population": len(pool),
                    "sampled": len(drawn := draw(seed, pool, sample_size(len(pool), rate))),
                    "pool_sha256": pool_hash(pool), "drawn": drawn}
            for model, pool in pools.items()}


def _control_item(observation: Observation, month: str, sample: ControlSample, actor: Actor) -> Alert:
    """The control item of `observation`: routed, clocked and recorded like an alert."""
    chosen = engine.model(observation.model)
    verdict = chosen.judge(chosen.check(observation.fields))
    entity, key, name = alerts.subject_of(observation)
    region = entity.region if entity is not None else observation.region
    department, note = routing.assign(region, observation.model)
    item = Alert.objects.create(
        subject_key=key, subject_name=name, entity=entity, model=observation.model, window=month, region=region,
        department=department, routing_note=note, score=verdict.score, band="", model_version=chosen.version,
        lexicon_versions=chosen.matcher.versions(), hits=alerts.hits_of(observation, verdict), control=True,
        **alerts.clock_start(timezone.localdate()))
    item.observations.add(observation)
    record(actor=actor, verb="risk.control_item_drawn", target=item,
           data={"month": month, "sample": sample.pk, "observation": observation.pk, "score": str(verdict.score),
                 "version": chosen.version})
    return item


@transaction.atomic
def control_sample_draw(*, actor: Actor, month: str, rate: Decimal | None = None,
                        seed: bytes | None = None) -> Drawn:
    """Draw the control sample of `month` (`YYYY-MM`) and send each item drawn for verification; a month drawn
    already is returned as it was, nothing drawn again. `seed` (32 bytes) defaults to fresh randomness."""
    month = parse_month(month)
    existing = ControlSample.objects.select_for_update().filter(month=month).first()
    if existing is not None:
        return Drawn(existing, created=False)
    rate = configured_rate() if rate is None else rate
    if not Decimal(0) <= rate <= Decimal(1):
        raise ValidationFailed("抽样比例应在 0 与 1 之间", code="rate_invalid", field="rate")
    seed = secrets.token_bytes(32) if seed is None else seed
    strata = _strata(_pools(month), seed, rate)
    sample = ControlSample.objects.create(month=month, rate=rate, seed=seed.hex(), method=METHOD, strata=strata,
                                          drawn_by=actor_ref(actor).label[:200])
    drawn = [int(pk) for part in strata.values() for pk in part["drawn"]]
    for observation in Observation.objects.filter(pk__in=drawn).select_related("region").order_by("pk"):
        _control_item(observation, month, sample, actor)
    record(actor=actor, verb="risk.control_sample_drawn", target=sample,
           data={"month": month, "rate": str(rate), "seed": sample.seed, "method": METHOD, "strata": strata})
    return Drawn(sample, created=True)
