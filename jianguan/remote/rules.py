"""Alarm rules as versioned, checked data (`rules/<kind>.json`, ADR 0057) and their evaluation over readings.

A rule file names its kind, its version and its rules; each rule has an `id`, a `type`, a `title`, a `severity`
(1 提醒, 2 告诫, 3 严重) and the `citation` of the standard or licence limit it rests on, and the fields of its type.
A field no type knows is refused (`rule_unknown_field`), so a misspelt duration never silently becomes a default.

Evaluating a rule is pure: from the readings of a point up to `as_of` (and the point's interval and limits, and the
inspections announced to its entity) it answers a level, 0 for clear, with the readings it rests on. The same
readings give the same level whichever worker asks, which makes evaluation idempotent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from jianguan.core.errors import ValidationFailed

RULES_DIR = Path(__file__).parent / "rules"
PERIOD_SECONDS = {"min": 60, "hour": 3600, "day": 86400}
COMMON = {"id": str, "type": str, "title": str, "severity": int, "citation": str}
TYPES: dict[str, dict[str, tuple[type, bool]]] = {
    "threshold": {"factor": (str, True), "period": (str, False), "minutes": (int, True),
                  "escalate_minutes": (int, False), "limit": (str, False)},
    "rate": {"factor": (str, True), "period": (str, False), "max_change": (str, True)},
    "repeated": {"factor": (str, True), "period": (str, False), "count": (int, True), "window_hours": (int, True),
                 "escalate_count": (int, False), "limit": (str, False)},
    "missing": {"intervals": (int, True), "escalate_intervals": (int, False)},
    "quality": {"flags": (list, True), "count": (int, True), "window_hours": (int, True)},
    "video": {"events": (list, True), "count": (int, True), "window_hours": (int, True),
              "escalate_count": (int, False)},
    "flatline": {"factor": (str, True), "period": (str, False), "hours": (int, True), "max_spread": (str, True),
                 "min_readings": (int, False)},
    "drop_announced": {"factor": (str, True), "period": (str, False), "drop_ratio": (str, True),
                       "baseline_days": (int, True)},
}


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    title: str
    severity: int
    citation: str
    params: Mapping[str, Any]
    version: str

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def decimal(self, name: str) -> Decimal | None:
        value = self.params.get(name)
        return None if value is None else Decimal(value)


@dataclass(frozen=True)
class Sample:
    code: str
    at: dt.datetime
    period: str
    value: Decimal | None
    flag: str

    def digest(self) -> str:
        """The reading's SHA-256 over its canonical form: the evidence a remote check cites."""
        text = json.dumps([self.code, self.at.isoformat(), self.period, str(self.value), self.flag])
        return hashlib.sha256(text.encode()).hexdigest()

    def as_evidence(self) -> dict[str, str]:
        return {"code": self.code, "at": self.at.isoformat(), "period": self.period, "value": str(self.value),
                "flag": self.flag, "sha256": self.digest()}


@dataclass(frozen=True)
class Context:
    """What the rules of one point read: readings up to `as_of` oldest first, limits by factor, the reporting
    interval, the last reading's time and the announced inspections [(first day, last day)]."""

    as_of: dt.datetime
    interval: dt.timedelta
    samples: Sequence[Sample]
    limits: Mapping[str, tuple[Decimal | None, Decimal | None]]
    last_reading_at: dt.datetime | None
    announced: Sequence[tuple[dt.date, dt.date]] = field(default_factory=tuple)

    def series(self, code: str, period: str | None) -> list[Sample]:
        return [s for s in self.samples if s.code == code and (period is None or s.period == period)]

    def since(self, hours: float) -> list[Sample]:
        start = self.as_of - dt.timedelta(hours=hours)
        return [s for s in self.samples if s.at > start]


@dataclass(frozen=True)
class Verdict:
    level: int
    detail: str = ""
    evidence: tuple[Sample, ...] = ()


CLEAR = Verdict(0)


def _refuse(message: str, code: str, where: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, field=where)


def check_rule(raw: Any, *, version: str, where: str = "rules") -> Rule:
    """One rule of a file, checked: every field known to its type, of the right type; else refused."""
    if not isinstance(raw, dict):
        raise _refuse("规则应为一个 JSON 对象", "rule_not_object", where)
    kind = raw.get("type")
    if kind not in TYPES:
        raise _refuse(f"未知的规则类型“{kind}”（可用：{'、'.join(TYPES)}）", "rule_type_unknown", f"{where}.type")
    spec = {name: (kind_, True) for name, kind_ in COMMON.items()} | TYPES[kind]
    for name in raw:
        if name not in spec:
            raise _refuse(f"规则字段“{name}”不是“{kind}”类型规则的字段", "rule_unknown_field", f"{where}.{name}")
    for name, (expected, required) in spec.items():
        if name not in raw:
            if required:
                raise _refuse(f"规则缺少必填字段“{name}”", "rule_field_missing", f"{where}.{name}")
            continue
        if not isinstance(raw[name], expected) or isinstance(raw[name], bool):
            raise _refuse(f"规则字段“{name}”的类型应为 {expected.__name__}", "rule_field_invalid", f"{where}.{name}")
    if not 1 <= raw["severity"] <= 3:
        raise _refuse("规则级别应为 1、2 或 3", "rule_field_invalid", f"{where}.severity")
    params = {k: v for k, v in raw.items() if k not in COMMON}
    return Rule(raw["id"], kind, raw["title"], raw["severity"], raw["citation"], params, version)


def check_file(data: Any) -> tuple[str, str, list[Rule]]:
    """(kind, version, rules) of a rule file; the first problem refused naming the rule and the field."""
    if not isinstance(data, dict):
        raise _refuse("规则文件应为一个 JSON 对象", "rule_not_object", "rules")
    for name in data:
        if name not in ("kind", "version", "rules"):
            raise _refuse(f"规则文件字段“{name}”未定义", "rule_unknown_field", name)
    if not isinstance(data.get("version"), str) or not isinstance(data.get("rules"), list):
        raise _refuse("规则文件须有版本（version）和规则列表（rules）", "rule_field_missing", "version")
    rules = [check_rule(r, version=data["version"], where=f"rules[{i}]") for i, r in enumerate(data["rules"])]
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise _refuse("规则编号重复", "rule_id_duplicate", "rules")
    return str(data.get("kind", "")), data["version"], rules


@cache
def rules_for(kind: str) -> tuple[Rule, ...]:
    """The rules in force for a kind of point (empty when the kind has no rule file)."""
    path = RULES_DIR / f"{kind}.json"
    if not path.exists():
        return ()
    return tuple(check_file(json.loads(path.read_text(encoding="utf-8")))[2])


def _values(samples: Iterable[Sample]) -> list[Decimal]:
    return [s.value for s in samples if s.value is not None]


def _limit(rule: Rule, ctx: Context) -> Decimal | None:
    return rule.decimal("limit") or ctx.limits.get(rule.get("factor"), (None, None))[1]


def _over(sample: Sample, limit: Decimal) -> bool:
    return sample.value is not None and sample.value > limit


def threshold(rule: Rule, ctx: Context) -> Verdict:
    """Above the limit without a break for `minutes` (escalated after `escalate_minutes`)."""
    limit = _limit(rule, ctx)
    period = rule.get("period", "hour")
    series = ctx.series(rule.get("factor"), period)
    if limit is None or not series or not _over(series[-1], limit):
        return CLEAR
    run = [series[-1]]
    for sample in reversed(series[:-1]):
        if not _over(sample, limit):
            break
        run.insert(0, sample)
    span = (run[-1].at - run[0].at).total_seconds() + PERIOD_SECONDS.get(period, ctx.interval.total_seconds())
    minutes = span / 60
    if minutes < rule.get("minutes"):
        return CLEAR
    escalate = rule.get("escalate_minutes")
    level = rule.severity + (1 if escalate and minutes >= escalate else 0)
    return Verdict(min(level, 3), f"连续 {int(minutes)} 分钟超过限值 {limit}", tuple(run[-50:]))


def rate(rule: Rule, ctx: Context) -> Verdict:
    """The last step between two readings changed more than `max_change`."""
    series = [s for s in ctx.series(rule.get("factor"), rule.get("period")) if s.value is not None]
    if len(series) < 2:
        return CLEAR
    before, last = series[-2], series[-1]
    change = abs(_values([last])[0] - _values([before])[0])
    if change <= Decimal(rule.get("max_change")):
        return CLEAR
    return Verdict(rule.severity, f"变化 {change} 超过 {rule.get('max_change')}", (before, last))


def repeated(rule: Rule, ctx: Context) -> Verdict:
    """At least `count` readings above the limit within `window_hours`."""
    limit = _limit(rule, ctx)
    if limit is None:
        return CLEAR
    window = ctx.since(rule.get("window_hours"))
    over = [s for s in window if s.code == rule.get("factor") and s.period == rule.get("period", "hour")
            and _over(s, limit)]
    return _counted(rule, over, f"{rule.get('window_hours')} 小时内 {len(over)} 次超过限值 {limit}")


def _counted(rule: Rule, hits: list[Sample], detail: str) -> Verdict:
    if len(hits) < rule.get("count"):
        return CLEAR
    escalate = rule.get("escalate_count")
    level = rule.severity + (1 if escalate and len(hits) >= escalate else 0)
    return Verdict(min(level, 3), detail, tuple(hits[-50:]))


def missing(rule: Rule, ctx: Context) -> Verdict:
    """No reading for more than `intervals` reporting intervals (离线)."""
    if ctx.last_reading_at is None:
        return CLEAR  # never reported: not yet in service
    gone = (ctx.as_of - ctx.last_reading_at) / ctx.interval
    if gone <= rule.get("intervals"):
        return CLEAR
    escalate = rule.get("escalate_intervals")
    level = rule.severity + (1 if escalate and gone > escalate else 0)
    return Verdict(min(level, 3), f"已 {int(gone)} 个报送周期无数据")


def quality(rule: Rule, ctx: Context) -> Verdict:
    """At least `count` readings flagged by the device (故障, 通讯异常 …) within `window_hours`."""
    flagged = [s for s in ctx.since(rule.get("window_hours")) if s.flag in rule.get("flags")]
    return _counted(rule, flagged, f"{rule.get('window_hours')} 小时内 {len(flagged)} 条数据标记异常")


def video(rule: Rule, ctx: Context) -> Verdict:
    """At least `count` of the analysis service's events within `window_hours`."""
    events = [s for s in ctx.since(rule.get("window_hours")) if s.code in rule.get("events")
              and (s.value is None or s.value > 0)]
    return _counted(rule, events, f"{rule.get('window_hours')} 小时内识别到 {len(events)} 次")


def flatline(rule: Rule, ctx: Context) -> Verdict:
    """Readings that hardly move for `hours` (spread at most `max_spread`): a pattern of falsified data."""
    hours = rule.get("hours")
    series = [s for s in ctx.since(hours) if s.code == rule.get("factor")
              and s.period == rule.get("period", "hour") and s.value is not None]
    if len(series) < rule.get("min_readings", 3) or (series[-1].at - series[0].at) < dt.timedelta(hours=hours - 1):
        return CLEAR
    values = _values(series)
    spread = max(values) - min(values)
    if spread > Decimal(rule.get("max_spread")):
        return CLEAR
    return Verdict(rule.severity, f"{hours} 小时内波动仅 {spread}", tuple(series[-50:]))


def drop_announced(rule: Rule, ctx: Context) -> Verdict:
    """While an inspection is announced, the mean falls by `drop_ratio` against the `baseline_days` before."""
    today = timezone.localdate(ctx.as_of)
    window = next(((a, b) for a, b in ctx.announced if a <= today <= b), None)
    if window is None:
        return CLEAR
    series = [s for s in ctx.series(rule.get("factor"), rule.get("period", "hour")) if s.value is not None]
    start = window[0]
    base_start = start - dt.timedelta(days=rule.get("baseline_days"))
    before = _values(s for s in series if base_start <= timezone.localdate(s.at) < start)
    during = [s for s in series if timezone.localdate(s.at) >= start]
    if not before or not during:
        return CLEAR
    mean_before = sum(before, Decimal(0)) / len(before)
    mean_during = sum(_values(during), Decimal(0)) / len(during)
    if mean_before <= 0 or mean_during > mean_before * (1 - Decimal(rule.get("drop_ratio"))):
        return CLEAR
    return Verdict(rule.severity, f"检查通知后均值由 {mean_before:.2f} 降至 {mean_during:.2f}", tuple(during[-50:]))


EVALUATORS: dict[str, Callable[[Rule, Context], Verdict]] = {
    "threshold": threshold, "rate": rate, "repeated": repeated, "missing": missing, "quality": quality,
    "video": video, "flatline": flatline, "drop_announced": drop_announced}


def evaluate(rule: Rule, ctx: Context) -> Verdict:
    return EVALUATORS[rule.type](rule, ctx)


def lookback(rules: Sequence[Rule]) -> dt.timedelta:
    """How far back the readings the rules read go."""
    hours = [24.0]
    for rule in rules:
        hours += [float(rule.get(name)) for name in ("window_hours", "hours") if rule.get(name)]
        hours += [rule.get(name) / 60 * 2 for name in ("minutes", "escalate_minutes") if rule.get(name)]
        if rule.get("baseline_days"):
            hours.append(24.0 * (rule.get("baseline_days") + 14))
    return dt.timedelta(hours=max(hours))


def reads(rule: Rule, sample: Sample, limits: Mapping[str, tuple[Decimal | None, Decimal | None]]) -> bool:
    """Whether the rule's verdict can rise with this new reading: a closed rule that reads none of a batch's new
    readings stays closed, so the intake evaluates only the rules its readings touch (and every open one). A reading
    within the limit cannot open a limit rule: it either ends the series (clear) or breaks a run."""
    kind = rule.type
    if kind == "missing":  # a reading only shortens the silence (an open offline alarm is evaluated anyway)
        return False
    if kind == "quality":
        return sample.flag in rule.get("flags")
    if kind == "video":
        return sample.code in rule.get("events")
    if sample.code != rule.get("factor"):
        return False
    period = rule.get("period") if kind == "rate" else rule.get("period", "hour")
    if period is not None and sample.period != period:
        return False
    if kind in ("threshold", "repeated"):
        limit = rule.decimal("limit") or limits.get(rule.get("factor"), (None, None))[1]
        return limit is not None and _over(sample, limit)
    return True


def needs_samples(rule: Rule) -> bool:
    """Whether the rule reads readings (the `missing` rule reads only the time of the last one)."""
    return rule.type != "missing"


def codes_read(rule: Rule) -> set[str] | None:
    """The factors whose readings the rule reads; None for all of them."""
    if rule.type == "quality":
        return None
    if rule.type == "video":
        return set(rule.get("events"))
    if rule.type == "missing":
        return set()
    return {rule.get("factor")}
