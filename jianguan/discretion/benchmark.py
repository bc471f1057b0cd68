"""A department line's 行政处罚裁量权基准 as versioned data, checked whole (ADR 0060).

国办发〔2022〕27号 (关于进一步规范行政裁量权基准制定和管理工作的意见) requires every body to publish its discretion
benchmarks — the circumstances and the range for each — and to follow them unless a written reason is recorded and
reviewed; 国市监法规〔2022〕2号 (关于规范市场监督管理行政处罚裁量权的指导意见) names the bands this module uses:

- `none` 不予处罚 — 《行政处罚法》第三十三条: a minor violation corrected in time without harmful consequences is not
  punished; a first violation with slight harm corrected in time may be left unpunished (首违不罚); no fault proven;
- `reduced` 减轻 — 第三十二条: below the statutory minimum (e.g. eliminating or reducing the harm on one's own
  initiative, being coerced or deceived, confessing what the body did not know, meritorious service);
- `lighter` 从轻, `general` 一般, `heavier` 从重 — within the statutory range, the low, middle and high parts.

A file (`benchmarks/<name>-<version>.json`) holds one line's benchmark: for each violation (the catalog 子项 by its
code, narrowed to one implementation row where given, and the article of law it punishes under) the bands, each
with its circumstances and its fine range in yuan. The ranges of the fined bands, in the order above, must meet end
to end: a gap between two is refused `band_gap`, an overlap `band_overlap`, both naming the bounds. `parse` checks a
definition already read (one stored as `Benchmark`); every refusal names the file, the violation and the rule.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any

from jianguan.core.errors import ValidationFailed

FOLDER = Path(__file__).with_name("benchmarks")
BANDS = {"none": "不予处罚", "reduced": "减轻处罚", "lighter": "从轻处罚", "general": "一般处罚", "heavier": "从重处罚"}
FINED = ("reduced", "lighter", "general", "heavier")
MITIGATING = ("none", "reduced", "lighter")
_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


class BenchmarkInvalid(ValidationFailed):
    """A benchmark file broke a rule; the message names the file, the violation and the rule."""


@dataclass(frozen=True)
class Circumstance:
    code: str
    label: str
    band: str


@dataclass(frozen=True)
class Band:
    band: str
    low: Decimal | None  # None for 不予处罚: no fine at all
    high: Decimal | None
    circumstances: tuple[Circumstance, ...]

    @property
    def label(self) -> str:
        return BANDS[self.band]

    def admits(self, amount: Decimal | None) -> bool:
        return within(self.low, self.high, amount)


@dataclass(frozen=True)
class Violation:
    catalog_code: str
    implementation_code: str  # "" applies to every implementation row of the catalog item
    article: str
    title: str
    bands: tuple[Band, ...]

    def band(self, name: str) -> Band | None:
        return next((b for b in self.bands if b.band == name), None)

    @property
    def circumstances(self) -> tuple[Circumstance, ...]:
        return tuple(c for band in self.bands for c in band.circumstances)

    def applicable(self, ticked: Iterable[str]) -> tuple[Band, str]:
        """The band the ticked circumstances call for, and why.

        None ticked → 一般. Mitigating ones only → the most lenient of them (第三十三条 before 第三十二条). Aggravating
        ones only → 从重. Both → 一般, weighed together as 国市监法规〔2022〕2号 asks."""
        chosen = {c.band for c in self.circumstances if c.code in set(ticked)}
        lenient = next((name for name in MITIGATING if name in chosen), None)
        if lenient and "heavier" in chosen:
            return self._band_or_general("general"), "从重与从轻、减轻情节并存，综合裁量"
        name = lenient or ("heavier" if "heavier" in chosen else "general")
        return self._band_or_general(name), "未勾选裁量情节，适用一般处罚" if not chosen else f"具有{BANDS[name]}情节"

    def _band_or_general(self, name: str) -> Band:
        return self.band(name) or self.band("general")  # type: ignore[return-value]


@dataclass(frozen=True)
class Benchmark:
    name: str
    version: str
    title: str
    line: str
    issued_by: str
    effective_from: dt.date
    violations: tuple[Violation, ...]

    def violation_for(self, *, catalog_code: str, implementation_codes: Iterable[str], basis: str) -> Violation | None:
        """The violation whose catalog item, row (where it names one) and article the case's match; the one naming
        a row, then the longest article, wins."""
        rows, text = set(implementation_codes), compact(basis)
        found = [v for v in self.violations if v.catalog_code == catalog_code and compact(v.article) in text
                 and (not v.implementation_code or v.implementation_code in rows)]
        return max(found, key=lambda v: (bool(v.implementation_code), len(v.article)), default=None)


def within(low: Decimal | None, high: Decimal | None, amount: Decimal | None) -> bool:
    """Whether a proposed fine lies in a band (bounds included); 不予处罚 (no bounds) admits no fine."""
    if low is None or high is None:
        return not amount
    return amount is not None and low <= amount <= high


def compact(text: str) -> str:
    """A citation without blanks, so that 《食品安全法》 第一百二十四条 and 《食品安全法》第一百二十四条 meet."""
    return re.sub(r"\s+", "", text or "")


def _fail(file: str, where: str, rule: str, code: str, field: str = "benchmark") -> BenchmarkInvalid:
    return BenchmarkInvalid(f"裁量基准 {file}：{where}{rule}", code=code, field=field)


def _required(raw: dict[str, Any], keys: tuple[str, ...], file: str, where: str) -> None:
    for key in keys:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _fail(file, where, f"缺少 {key}（须为非空字符串）", f"{key}_required", key)


def _yuan(value: Any, file: str, where: str, key: str) -> Decimal:
    try:
        amount = Decimal(str(value)) if not isinstance(value, (bool, float)) else Decimal("NaN")
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise _fail(file, where, f"{key}“{value}”须为不小于 0 的金额（元，至多两位小数，写作字符串或整数）",
                    "amount_invalid", key)
    return amount


def _circumstances(raw: Any, band: str, file: str, where: str) -> tuple[Circumstance, ...]:
    if not isinstance(raw, list):
        raise _fail(file, where, "circumstances 必须是列表", "circumstances_invalid", "circumstances")
    out = []
    for item in raw:
        if not isinstance(item, dict) or not _CODE.fullmatch(str(item.get("code", ""))) or \
                not str(item.get("label", "")).strip():
            raise _fail(file, where, "每个情节须有 code（小写字母开头的字母、数字、下划线）和 label",
                        "circumstance_invalid", "circumstances")
        out.append(Circumstance(code=item["code"], label=str(item["label"]).strip(), band=band))
    return tuple(out)


def _band(raw: Any, file: str, where: str) -> Band:
    if not isinstance(raw, dict) or raw.get("band") not in BANDS:
        raise _fail(file, where, f"band 须为 {'、'.join(BANDS)} 之一", "band_invalid", "band")
    name, where = raw["band"], f"{where}{BANDS[raw['band']]}："
    circumstances = _circumstances(raw.get("circumstances", []), name, file, where)
    if name == "none":
        if raw.get("min") is not None or raw.get("max") is not None:
            raise _fail(file, where, "不予处罚没有罚款幅度，不得写 min、max", "band_invalid", "min")
        return Band(name, None, None, circumstances)
    low, high = _yuan(raw.get("min"), file, where, "min"), _yuan(raw.get("max"), file, where, "max")
    if low > high:
        raise _fail(file, where, f"下限 {low} 元高于上限 {high} 元", "band_order", "min")
    return Band(name, low, high, circumstances)


def _tiled(bands: list[Band], file: str, where: str) -> None:
    """The fined bands, in the order 减轻 → 从轻 → 一般 → 从重, meet end to end: one's upper bound is the next's
    lower bound. Anything else leaves amounts no band covers (`band_gap`) or two bands claim (`band_overlap`)."""
    fined = sorted((b for b in bands if b.band in FINED), key=lambda b: FINED.index(b.band))
    for lower, upper in pairwise(fined):
        pair = f"{lower.label}（{lower.low}–{lower.high} 元）与{upper.label}（{upper.low}–{upper.high} 元）"
        if upper.low > lower.high:  # type: ignore[operator]
            raise _fail(file, where, f"{pair}之间有空档：{lower.high} 元至 {upper.low} 元不属于任何幅度",
                        "band_gap", "bands")
        if upper.low < lower.high:  # type: ignore[operator]
            raise _fail(file, where, f"{pair}重叠：{upper.low} 元至 {lower.high} 元同属两个幅度",
                        "band_overlap", "bands")


def _violation(raw: Any, index: int, file: str) -> Violation:
    where = f"第{index}项违法行为："
    if not isinstance(raw, dict):
        raise _fail(file, where, "必须是 JSON 对象", "violation_invalid", "violations")
    _required(raw, ("catalog_code", "article", "title"), file, where)
    if not isinstance(raw.get("bands"), list) or not raw["bands"]:
        raise _fail(file, where, "bands 必须是非空列表", "bands_required", "bands")
    bands = [_band(b, file, where) for b in raw["bands"]]
    names = [b.band for b in bands]
    if len(set(names)) != len(names) or "general" not in names:
        raise _fail(file, where, "每种处罚幅度至多一个，且须有一般处罚", "bands_invalid", "bands")
    codes = [c.code for b in bands for c in b.circumstances]
    if len(set(codes)) != len(codes):
        raise _fail(file, where, "情节代码重复", "circumstance_duplicate", "circumstances")
    _tiled(bands, file, where)
    return Violation(catalog_code=raw["catalog_code"].strip(), implementation_code=str(
        raw.get("implementation_code") or "").strip(), article=compact(raw["article"]), title=raw["title"].strip(),
        bands=tuple(bands))


def parse(data: Any, file: str) -> Benchmark:
    """A checked benchmark from a definition already read (`file` names it in messages)."""
    if not isinstance(data, dict):
        raise _fail(file, "", "内容必须是 JSON 对象", "benchmark_invalid")
    _required(data, ("name", "version", "title", "line", "issued_by", "effective_from"), file, "")
    try:
        effective_from = dt.date.fromisoformat(data["effective_from"])
    except ValueError:
        raise _fail(file, "", f"effective_from“{data['effective_from']}”不是有效日期（YYYY-MM-DD）",
                    "effective_from_invalid", "effective_from") from None
    if not isinstance(data.get("violations"), list) or not data["violations"]:
        raise _fail(file, "", "violations 必须是非空列表", "violations_required", "violations")
    violations = [_violation(raw, index, file) for index, raw in enumerate(data["violations"], start=1)]
    keys = [(v.catalog_code, v.implementation_code, v.article) for v in violations]
    if len(set(keys)) != len(keys):
        raise _fail(file, "", "同一事项、实施清单和条款的违法行为重复", "violation_duplicate", "violations")
    return Benchmark(name=data["name"], version=data["version"], title=data["title"], line=data["line"],
                     issued_by=data["issued_by"], effective_from=effective_from, violations=tuple(violations))


def read(path: Path) -> tuple[Benchmark, dict[str, Any]]:
    """The checked benchmark of a file and its definition as read."""
    if not path.is_file():
        raise BenchmarkInvalid(f"裁量基准 {path.name} 不存在", code="benchmark_unknown", field="file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _fail(path.name, "", f"不是有效的 JSON（{error}）", "benchmark_json_invalid") from None
    return parse(data, path.name), data


def shipped() -> list[Path]:
    return sorted(FOLDER.glob("*.json"))
