"""Each model's precision and recall in the field, per model version, from verified outcomes (risk-models.md,
"Measured in the field").

Precision: of the alerts decided, the share confirmed — 轻微不予立案, 立案 and 移送 confirm, 不属实 does not.
Recall: true positives are the observations of the confirmed alerts; the misses are estimated from the control
sample — each control item decided other than 不属实 is an observation the model let pass, and stands for
population ÷ drawn of its model's pool (the inverse of its chance of being drawn), scaled up by drawn ÷ decided
where not all the control items in view are decided yet. recall = TP ÷ (TP + estimated misses). Without a decided
control item there is no estimate (样本不足), unless the month's sample found nothing of the model unalerted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from .models import Alert, AlertStatus, ControlSample, RiskModel

CONFIRMED = frozenset({AlertStatus.MINOR, AlertStatus.CASE, AlertStatus.TRANSFERRED})
DECIDED = CONFIRMED | {AlertStatus.UNFOUNDED}


@dataclass(frozen=True)
class Measure:
    """The figures of one model version; `precision`/`recall` None where they cannot be computed."""

    model: str
    version: str
    decided: int
    confirmed: int
    true_positives: int
    control_items: int
    control_decided: int
    control_misses: int
    population: int
    drawn: int
    estimated_misses: float | None
    precision: float | None
    recall: float | None

    @property
    def model_label(self) -> str:
        return str(RiskModel(self.model).label)

    @property
    def unfounded(self) -> int:
        return self.decided - self.confirmed

    @property
    def sample_short(self) -> bool:
        """No decided control item (and items the model let pass): recall is not estimated (样本不足)."""
        return self.estimated_misses is None


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _measure(model: str, version: str, rows: list[Mapping[str, Any]], stratum: Mapping[str, Any]) -> Measure:
    alerts = [row for row in rows if not row["control"]]
    controls = [row for row in rows if row["control"]]
    decided = [row for row in alerts if row["status"] in DECIDED]
    confirmed = [row for row in decided if row["status"] in CONFIRMED]
    true_positives = sum(row["observation_count"] for row in confirmed)
    control_decided = [row for row in controls if row["status"] in DECIDED]
    misses = sum(1 for row in control_decided if row["status"] in CONFIRMED)
    population, drawn = int(stratum.get("population", 0)), int(stratum.get("sampled", 0))
    estimated = None
    if control_decided and drawn:
        estimated = misses * population / drawn * len(controls) / len(control_decided)
    elif stratum and population == 0:
        estimated = 0.0  # the sample was drawn and nothing of the model went unalerted: nothing to miss
    return Measure(model=model, version=version, decided=len(decided), confirmed=len(confirmed),
                   true_positives=true_positives, control_items=len(controls),
                   control_decided=len(control_decided), control_misses=misses, population=population,
                   drawn=drawn, estimated_misses=estimated, precision=_ratio(len(confirmed), len(decided)),
                   recall=None if estimated is None else _ratio(true_positives, true_positives + estimated))


def measures(rows: Iterable[Mapping[str, Any]], strata: Mapping[str, Mapping[str, Any]]) -> list[Measure]:
    """The measures per (model, version) of `rows` (alerts and control items: `model`, `model_version`,
    `status`, `control`, `observation_count`), with each model's stratum of the month's control sample
    (`population`, `sampled`); in the models' order, then by version."""
    grouped: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((row["model"], row["model_version"]), []).append(row)
    order = {model: index for index, model in enumerate(RiskModel.values)}
    return [_measure(model, version, grouped[(model, version)], strata.get(model, {}))
            for model, version in sorted(grouped, key=lambda key: (order.get(key[0], 99), key[1]))]


def measure_list(*, alerts: QuerySet[Alert], month: str) -> list[Measure]:
    """The measures of the alerts and control items of `month` among `alerts` (a scoped read)."""
    rows = alerts.filter(window=month).annotate(observation_count=Count("observations")).values(
        "model", "model_version", "status", "control", "observation_count")
    sample = ControlSample.objects.filter(month=month).values_list("strata", flat=True).first()
    return measures(rows, sample or {})
