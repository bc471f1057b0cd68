"""差异化监管 (issue 17 item 3): the policy of ratios and frequencies per credit-risk class, kept as versioned rows an
administrator adds (`SupervisionPolicy`, ADR 0042), the strata a task takes from it, and the bounds a task's own
ratios must keep.

The classes steer supervision (国市监信发〔2022〕6号; disclosure-credit.md §8): A is left out of routine on-site
checks unless a complaint, a risk alert or a transfer points at it ("无事不扰"), with a small random control sample
kept in; B routine; C and D more often. The values are a city trial configuration within the bounds of
spot-checks.md §6 (林甸/大庆 2024) [unconfirmed: Hubei publishes none].
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.errors import ValidationFailed
from jianguan.core.validation import require, text

from .models import SupervisionPolicy

CLASSES = ("A", "B", "C", "D")
CONTROL = "AC"
"""The stratum of the A-class control sample: A-class entities nothing points at, drawn at the policy's share."""
RULE_FIELDS = ("ratio", "min", "max", "per_year")
MAX_LOOKBACK_DAYS = 1095

DEFAULT_RULES: dict[str, dict[str, str]] = {  # [unconfirmed] city trial values, spot-checks.md §6
    "A": {"ratio": "0.03", "min": "0.01", "max": "0.05", "per_year": "0.5"},
    "B": {"ratio": "0.05", "min": "0.05", "max": "0.2", "per_year": "1"},
    "C": {"ratio": "0.1", "min": "0.1", "max": "0.6", "per_year": "2"},
    "D": {"ratio": "0.2", "min": "0.2", "max": "1", "per_year": "4"},
}
DEFAULT_CONTROL_SHARE = "0.01"
DEFAULT_LOOKBACK_DAYS = 365


@dataclass(frozen=True)
class Policy:
    """The policy in force on a day: a stored row, or the built-in default when none is."""

    effective_from: dt.date | None
    rules: dict[str, dict[str, str]]
    control_share: str
    lookback_days: int
    note: str

    def strata(self) -> dict[str, dict[str, str]]:
        """A task's strata by the policy: each class at its default ratio, A for entities pointed at, and the
        A-class control sample."""
        return {**{name: {"ratio": self.rules[name]["ratio"]} for name in CLASSES},
                CONTROL: {"ratio": self.control_share}}

    def per_year(self, name: str) -> Decimal:
        return Decimal(self.rules[name]["per_year"])


DEFAULT = Policy(None, DEFAULT_RULES, DEFAULT_CONTROL_SHARE, DEFAULT_LOOKBACK_DAYS,
                 "内置默认值（林甸/大庆 2024 区间内的试行配置，待确认）")


def policy_in_force(day: dt.date) -> Policy:
    """The newest row of the locality effective on `day`; the built-in default before any."""
    row = (SupervisionPolicy.objects.filter(region_id=settings.JIANGUAN_LOCALITY, effective_from__lte=day)
           .order_by("-effective_from").first())
    if row is None:
        return DEFAULT
    return Policy(row.effective_from, row.rules, row.control_share, row.lookback_days, row.note)


def _decimal(value: Any, field: str, label: str, *, top: Decimal | None = Decimal(1)) -> Decimal:
    """A decimal string between 0 and `top` (no top when None)."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal(-1)
    within = number.is_finite() and number >= 0 and (top is None or number <= top)
    rule = f"0 与 {top} 之间的小数" if top is not None else "不小于 0 的数"
    require(within, f"“{label}”应为{rule}", "number_out_of_range", field)
    return number


def clean_rules(rules: Any) -> dict[str, dict[str, str]]:
    """Per class: ratio, min and max (shares 0–1, min ≤ ratio ≤ max) and checks per year; neither the default
    ratio nor the frequency may fall from a class to a riskier one (differentiated supervision checks riskier
    classes at least as much)."""
    require(isinstance(rules, dict) and set(rules) == set(CLASSES), "应为 A、B、C、D 四类分别设置比例与频次",
            "classes_required", "rules")
    clean: dict[str, dict[str, str]] = {}
    for name in CLASSES:
        rule = rules[name] if isinstance(rules[name], dict) else {}
        values = {key: _decimal(rule.get(key), f"rules.{name}.{key}", f"{name} 类 {key}",
                                top=None if key == "per_year" else Decimal(1)) for key in RULE_FIELDS}
        require(values["min"] <= values["ratio"] <= values["max"], f"{name} 类的默认比例应在下限与上限之间",
                "ratio_outside_bounds", f"rules.{name}.ratio")
        clean[name] = {key: str(rule[key]).strip() for key in RULE_FIELDS}
    for lower, higher in itertools.pairwise(CLASSES):
        for key, label in (("ratio", "抽查比例"), ("per_year", "检查频次")):
            require(Decimal(clean[lower][key]) <= Decimal(clean[higher][key]),
                    f"{higher} 类的{label}不得低于 {lower} 类", "not_rising", f"rules.{higher}.{key}")
    return clean


@transaction.atomic
def policy_create(*, actor: User, effective_from: dt.date, rules: Any, control_share: Any, lookback_days: Any,
                  note: str) -> SupervisionPolicy:
    """A new version of the policy, effective from today or later (a version in force is never rewritten; tasks
    created under it keep the strata they took). The A-class control sample is positive and no larger than A's
    upper bound; pointers are looked back 1 to 1095 days."""
    require(effective_from >= timezone.localdate(), "生效日期不能早于今天（已生效的策略不可改写）", "effective_past",
            "effective_from")
    clean = clean_rules(rules)
    share = _decimal(control_share, "control_share", "A 类对照样本比例")
    require(Decimal(0) < share <= Decimal(clean["A"]["max"]), "A 类对照样本比例应大于 0 且不超过 A 类比例上限",
            "control_share_invalid", "control_share")
    require(isinstance(lookback_days, int) and 1 <= lookback_days <= MAX_LOOKBACK_DAYS,
            f"线索回溯天数应为 1 至 {MAX_LOOKBACK_DAYS} 的整数", "lookback_invalid", "lookback_days")
    reason = text(note, "note", "依据与说明", max_len=300)
    try:
        with transaction.atomic():
            row = SupervisionPolicy.objects.create(
                region_id=settings.JIANGUAN_LOCALITY, effective_from=effective_from, rules=clean,
                control_share=str(control_share).strip(), lookback_days=lookback_days, note=reason, created_by=actor)
    except IntegrityError:
        raise ValidationFailed("该生效日期已有一版策略", code="policy_exists", field="effective_from") from None
    record(actor=actor, verb="spotchecks.policy_created", target=row,
           data={"effective_from": effective_from.isoformat(), "rules": clean, "control_share": row.control_share,
                 "lookback_days": lookback_days})
    return row


def check_within(strata: dict[str, dict[str, Any]], policy: Policy) -> None:
    """A task's own class ratios stay within the policy's bounds; the control sample is the policy's (a count is
    taken as given: its share depends on the pool, shown before the draw)."""
    require(CONTROL not in strata, "A 类对照样本的比例由差异化监管策略确定，不能在任务中设置", "control_fixed",
            f"strata.{CONTROL}")
    for name, rule in strata.items():
        if name not in CLASSES or "ratio" not in rule:
            continue
        bounds = policy.rules[name]
        ratio = Decimal(str(rule["ratio"]))
        require(Decimal(bounds["min"]) <= ratio <= Decimal(bounds["max"]),
                f"{name} 类的抽查比例应在策略规定的 {bounds['min']} 至 {bounds['max']} 之间",
                "ratio_outside_policy", f"strata.{name}.ratio")
