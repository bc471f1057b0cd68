"""What other apps may use of the risk models: the model names, one item's verdict and the versions in force; an
alert as other apps read it and the record that it was carried into a case clue (enforcement's step after 立案).

An item is checked against its model's input fields (`inputs.InputInvalid`, naming the field) before it is judged;
a verdict names the model's version and each hit its rule, article and quoted evidence with offsets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jianguan.risk import engine
from jianguan.risk.carry import AlertCard, alert_card, alert_mark_carried
from jianguan.risk.carry import reference as alert_reference
from jianguan.risk.engine import MODEL_NAMES, ModelUnknown, Verdict
from jianguan.risk.evidence import Hit
from jianguan.risk.inputs import InputInvalid
from jianguan.risk.selectors import entities_alerted

__all__ = ["MODEL_NAMES", "AlertCard", "Hit", "InputInvalid", "ModelUnknown", "Verdict", "alert_card",
           "alert_mark_carried", "alert_reference", "entities_alerted", "verdict", "versions"]


def verdict(*, model: str, item: Mapping[str, Any]) -> Verdict:
    """The verdict of `model` on one item (its fields as the model's input line)."""
    chosen = engine.model(model)
    return chosen.judge(chosen.check(dict(item)))


def versions(*, model: str) -> dict[str, Any]:
    """The version of `model` and of each lexicon it matches with (kept with every alert)."""
    chosen = engine.model(model)
    return {"model": chosen.version, "lexicons": chosen.matcher.versions()}
