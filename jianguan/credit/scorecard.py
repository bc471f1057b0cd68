"""Scorecards of the credit-risk classification as versioned data (`scorecards/<name>-<version>.json`; ADR 0040,
docs/credit-classes.md).

A scorecard names its hard overrides (a source field that, when set, puts the entity in at least a class), its
indicators grouped by family (id, title, reason code, source field, weight, bins of the field's value with points;
more points = more risk), the target share of each class the cut-offs are set to, and the test of monotonicity.
`load(name, version)` reads and checks a file; `parse(data, file)` checks a definition already read (one stored with
a run). A bad definition is refused with a Chinese message naming the file and the indicator."""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

from jianguan.core.errors import ValidationFailed

from . import features

FOLDER = Path(__file__).with_name("scorecards")
CLASSES = ("A", "B", "C", "D")
TOP_REASONS = 3


class ScorecardInvalid(ValidationFailed):
    """A scorecard file broke a rule; the message names the file and the indicator."""


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    family: str
    reason: str
    source: str
    weight: Decimal
    uppers: tuple[float, ...]  # each bin's exclusive upper bound; the last bin is open
    points: tuple[int, ...]  # each bin's points, weighted and rounded
    labels: tuple[str, ...]
    missing: int
    position: int  # of the source field in an entity's values

    def bin_of(self, value: float | None) -> int:
        """The bin of a value; -1 for a missing value."""
        return -1 if value is None else bisect.bisect_right(self.uppers, value)

    def points_of(self, bin_index: int) -> int:
        return self.missing if bin_index < 0 else self.points[bin_index]

    def bin_label(self, bin_index: int) -> str:
        return "缺失" if bin_index < 0 else self.labels[bin_index]


@dataclass(frozen=True)
class Override:
    code: str
    title: str
    source: str
    at_least: str
    position: int


@dataclass(frozen=True)
class Scorecard:
    name: str
    version: str
    title: str
    basis: str
    targets: dict[str, Decimal]
    overrides: tuple[Override, ...]
    indicators: tuple[Indicator, ...]
    min_count: int
    z: float
    data: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}"

    @cached_property
    def compiled(self) -> tuple[tuple[int, tuple[float, ...], tuple[int, ...], str], ...]:
        """Per indicator: (source position, bins' upper bounds, bins' points with the missing value's last,
        reason code) — what scoring a million entities reads, without attribute look-ups."""
        return tuple((i.position, i.uppers, (*i.points, i.missing), i.reason) for i in self.indicators)

    @cached_property
    def floors(self) -> tuple[tuple[str, int, int], ...]:
        """Per override: (code, source position, index of the lowest class it allows)."""
        return tuple((o.code, o.position, CLASSES.index(o.at_least)) for o in self.overrides)

    def reason_titles(self) -> dict[str, str]:
        return {**{o.code: o.title for o in self.overrides}, **{i.reason: i.title for i in self.indicators}}


def _fail(file: str, where: str, rule: str, code: str) -> ScorecardInvalid:
    return ScorecardInvalid(f"评分卡 {file}：{where}{rule}", code=code, field=where.rstrip("：") or "scorecard")


def _decimal(value: Any, file: str, where: str, what: str, code: str) -> Decimal:
    """A non-negative number written as a JSON number or a string, else refused as `code`."""
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise InvalidOperation
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _fail(file, where, f"{what}“{value}”无法解析为数字", code) from None
    if not number.is_finite() or number < 0:
        raise _fail(file, where, f"{what}“{value}”必须是非负数", code)
    return number


def _source(value: Any, file: str, where: str) -> int:
    if value not in features.SOURCES:
        raise _fail(file, where, f"未知的数据项“{value}”（可用：{'、'.join(features.FIELDS)}）", "source_unknown")
    return features.index(value)


def _bins(raw: Any, weight: Decimal, file: str, where: str) -> tuple[tuple[float, ...], tuple[int, ...],
                                                                   tuple[str, ...]]:
    if not isinstance(raw, list) or not raw:
        raise _fail(file, where, "分箱不能为空", "bins_required")
    uppers: list[float] = []
    points: list[int] = []
    labels: list[str] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("points"), int) or isinstance(item["points"], bool):
            raise _fail(file, where, f"第{number}个分箱的分值必须是整数", "bin_points_invalid")
        upper = item.get("below")
        last = number == len(raw)
        if last != (upper is None):
            raise _fail(file, where, "只有最后一个分箱不设上限（below 为 null）", "bins_open_end")
        if upper is not None:
            bound = float(_decimal(upper, file, where, "分箱上限", "bin_bound_invalid"))
            if uppers and bound <= uppers[-1]:
                raise _fail(file, where, f"分箱未按上限递增排列（第{number}个分箱的上限 {upper} 不大于前一个）",
                            "bins_not_ordered")
            uppers.append(bound)
        points.append(int((Decimal(item["points"]) * weight).to_integral_value()))
        labels.append(str(item.get("label") or ""))
    return tuple(uppers), tuple(points), tuple(labels)


def _indicator(raw: Any, family: str, file: str) -> Indicator:
    if not isinstance(raw, dict) or not str(raw.get("id") or "").strip():
        raise _fail(file, f"{family} 族：", "指标缺少 id", "indicator_id_required")
    where = f"指标 {raw['id']}："
    for key, label in (("title", "名称"), ("reason", "原因代码")):
        if not str(raw.get(key) or "").strip():
            raise _fail(file, where, f"缺少{label}（{key}）", f"{key}_required")
    position = _source(raw.get("source"), file, where)
    weight = _decimal(raw.get("weight"), file, where, "权重", "weight_invalid")
    uppers, points, labels = _bins(raw.get("bins"), weight, file, where)
    missing = raw.get("missing", 0)
    if not isinstance(missing, int) or isinstance(missing, bool):
        raise _fail(file, where, "缺失值分值（missing）必须是整数", "missing_invalid")
    return Indicator(str(raw["id"]), str(raw["title"]), family, str(raw["reason"]), str(raw["source"]), weight,
                     uppers, points, labels, int((Decimal(missing) * weight).to_integral_value()), position)


def _targets(raw: Any, file: str) -> dict[str, Decimal]:
    if not isinstance(raw, dict) or set(raw) != set(CLASSES):
        raise _fail(file, "目标占比：", "必须为 A、B、C、D 各给出一个占比", "targets_invalid")
    targets = {k: _decimal(raw[k], file, f"目标占比 {k}：", "目标占比", "target_invalid") for k in CLASSES}
    if sum(targets.values()) != 1:
        raise _fail(file, "目标占比：", f"四类占比之和必须为 1（现为 {sum(targets.values())}）", "targets_sum")
    return targets


def _overrides(raw: Any, file: str) -> tuple[Override, ...]:
    found = []
    for item in raw if isinstance(raw, list) else []:
        where = f"强制规则 {item.get('code', '?') if isinstance(item, dict) else '?'}："
        if not isinstance(item, dict) or not str(item.get("code") or "").strip() or not item.get("title"):
            raise _fail(file, where, "缺少代码或名称", "override_invalid")
        if item.get("at_least") not in CLASSES:
            raise _fail(file, where, f"最低类别“{item.get('at_least')}”不是 A–D", "override_class_invalid")
        found.append(Override(str(item["code"]), str(item["title"]), str(item.get("source")),
                              str(item["at_least"]), _source(item.get("source"), file, where)))
    return tuple(found)


def parse(data: Any, file: str) -> Scorecard:
    """The checked scorecard of a definition read from `file`."""
    if not isinstance(data, dict):
        raise _fail(file, "", "内容必须是 JSON 对象", "scorecard_invalid")
    for key in ("name", "version", "title"):
        if not str(data.get(key) or "").strip():
            raise _fail(file, "", f"缺少 {key}", f"{key}_required")
    indicators: list[Indicator] = []
    for family in data.get("families") or []:
        if not isinstance(family, dict) or family.get("id") not in features.FAMILIES:
            raise _fail(file, "指标族：", f"未知的指标族“{family.get('id') if isinstance(family, dict) else family}”",
                        "family_unknown")
        indicators += [_indicator(item, family["id"], file) for item in family.get("indicators") or []]
    if not indicators:
        raise _fail(file, "", "至少需要一个指标", "indicators_required")
    for seen, key in ((set(), "id"), (set(), "reason")):
        for indicator in indicators:
            value = getattr(indicator, key)
            if value in seen:
                raise _fail(file, f"指标 {indicator.id}：", f"{key} “{value}”重复", f"{key}_duplicate")
            seen.add(value)
    check = data.get("monotonicity") or {}
    min_count = check.get("min_count", 30)
    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
        raise _fail(file, "单调性：", "min_count 必须是正整数", "min_count_invalid")
    z = float(_decimal(check.get("z", 3), file, "单调性：", "显著性阈值 z", "z_invalid"))
    return Scorecard(str(data["name"]), str(data["version"]), str(data["title"]), str(data.get("basis") or ""),
                     _targets(data.get("targets"), file), _overrides(data.get("overrides"), file),
                     tuple(indicators), min_count, z, data)


def path_of(name: str, version: str) -> Path:
    return FOLDER / f"{name}-{version}.json"


def load(name: str, version: str) -> Scorecard:
    """The scorecard `name` of `version` from its file, checked; refused naming the file and the rule."""
    path = path_of(name, version)
    file = path.name
    if "/" in name or "/" in version or not path.is_file():
        raise ScorecardInvalid(f"评分卡 {file} 不存在", code="scorecard_unknown", field="version")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _fail(file, "", f"不是有效的 JSON（{error}）", "scorecard_json_invalid") from None
    card = parse(data, file)
    if (card.name, card.version) != (name, version):
        raise _fail(file, "", f"文件名与 name/version（{card.key}）不一致", "scorecard_name_mismatch")
    return card


def available() -> list[tuple[str, str]]:
    """(name, version) of every scorecard file."""
    found = []
    for path in sorted(FOLDER.glob("*.json")):
        name, _, version = path.stem.rpartition("-")
        if name:
            found.append((name, version))
    return found
