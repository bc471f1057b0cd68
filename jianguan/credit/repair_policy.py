"""Credit-repair schemes as versioned data, and the publication period of a 行政处罚 (ADR 0045).

The schemes changed over time (disclosure-credit.md §6), so they are rows of a data file
(`repair_schemes/<name>-<version>.json`), never code: each row is (scheme, channel, category 轻微/一般/严重, minimum
and maximum months, repairable, the penalty kinds and violations that cannot be repaired, effective_from,
effective_to). `load` reads and checks a file, `parse` a definition already read (one stored as `RepairPolicy`); a
row that does not parse is refused naming the file, the row and the rule.

Which platform's scheme applies follows who published the penalty: a 市场监督管理 penalty is published on 国家企业
信用信息公示系统 (GSXT, 国市监信规〔2021〕3号), any other department's through 信用中国 (双公示, the NDRC schemes).
Which date picks the version in force — the penalty's decision date or the application's date — is
`JIANGUAN_CREDIT_REPAIR_SCHEME_DATE` [unconfirmed in law], decision date by default.

The publication period (市场监督管理行政处罚信息公示规定, SAMR 令第45号, arts. 7, 14; disclosure-credit.md §4):
decisions under the 简易程序 and warning-only decisions are not published; 通报批评 or a 较低数额罚款 (the province's
amount, `JIANGUAN_CREDIT_LOW_FINE_YUAN` [config; the Hubei value is unconfirmed]) for 3 months; everything else 3
years; a 限制开展生产经营活动 or 限制从业 longer than 3 years for its own length.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jianguan.core.errors import ValidationFailed

FOLDER = Path(__file__).with_name("repair_schemes")
NAME = "credit-repair"
CHANNELS = {"gsxt": "国家企业信用信息公示系统", "creditchina": "信用中国"}
CATEGORIES = {"minor": "轻微", "general": "一般", "serious": "严重"}
WARNING, NOTICE, FINE = "01", "08", "02"
# 责令停产停业, 吊销许可证, 降低资质等级, 限制开展生产经营活动, 限制从业, 责令关闭: the heavier kinds (令第44号 art. 2).
HEAVY_KINDS = frozenset({"04", "05", "10", "12", "13", "14"})
RESTRICTION = re.compile(r"限制(?:开展生产经营活动|开展经营活动|从业)[^0-9一二三四五六七八九十]{0,4}"
                         r"([0-9]+|[一二三四五六七八九十]+)\s*年")
NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ROW_KEYS = ("scheme", "title", "channel", "category", "min_months", "max_months", "repairable", "effective_from")


class PolicyInvalid(ValidationFailed):
    """A scheme file broke a rule; the message names the file, the row and the rule."""


@dataclass(frozen=True)
class SchemeRow:
    scheme: str
    title: str
    channel: str
    category: str
    min_months: int
    max_months: int
    repairable: bool
    effective_from: dt.date
    effective_to: dt.date | None
    non_repairable_kinds: frozenset[str]
    non_repairable_violations: tuple[str, ...]
    heavy_kinds: frozenset[str]  # not repairable when also in one of `heavy_domains`
    heavy_domains: tuple[str, ...]
    longer_months: int  # the minimum in `longer_domains` (0: none)
    longer_domains: tuple[str, ...]
    tag: str
    note: str

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    title: str
    rows: tuple[SchemeRow, ...]

    def row_for(self, *, channel: str, category: str, day: dt.date) -> SchemeRow | None:
        """The row of `channel` and `category` in force on `day`."""
        for row in self.rows:
            if row.channel == channel and row.category == category and row.in_force(day):
                return row
        return None


def _fail(file: str, where: str, rule: str, code: str) -> PolicyInvalid:
    return PolicyInvalid(f"信用修复方案 {file}：{where}{rule}", code=code, field=where.rstrip("：") or "policy")


def _day(value: Any, file: str, where: str, key: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _fail(file, where, f"{key}“{value}”不是有效日期（YYYY-MM-DD）", f"{key}_invalid") from None


def _months(value: Any, file: str, where: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 240:
        raise _fail(file, where, f"{key}“{value}”必须是 0–240 之间的整数（月）", f"{key}_invalid")
    return value


def _words(raw: Any, file: str, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise _fail(file, where, f"{key} 必须是非空字符串的列表", f"{key}_invalid")
    return tuple(w.strip() for w in raw)


def _kinds(raw: Any, file: str, where: str, key: str) -> frozenset[str]:
    kinds = _words(raw, file, where, key)
    bad = [k for k in kinds if not re.fullmatch(r"\d{2}", k) or not 1 <= int(k) <= 14]
    if bad:
        raise _fail(file, where, f"{key} 中“{bad[0]}”不是处罚种类代码（01–14）", f"{key}_invalid")
    return frozenset(kinds)


def _row(raw: Any, index: int, file: str) -> SchemeRow:
    where = f"第{index}行："
    if not isinstance(raw, dict):
        raise _fail(file, where, "每行必须是 JSON 对象", "row_invalid")
    for key in _ROW_KEYS:
        if raw.get(key) in (None, ""):
            raise _fail(file, where, f"缺少 {key}", f"{key}_required")
    if raw["channel"] not in CHANNELS:
        raise _fail(file, where, f"公示平台“{raw['channel']}”不是 {'、'.join(CHANNELS)} 之一", "channel_invalid")
    if raw["category"] not in CATEGORIES:
        raise _fail(file, where, f"类别“{raw['category']}”不是 {'、'.join(CATEGORIES)} 之一", "category_invalid")
    if not isinstance(raw["repairable"], bool):
        raise _fail(file, where, "repairable 必须是 true 或 false", "repairable_invalid")
    low, high = _months(raw["min_months"], file, where, "min_months"), _months(raw["max_months"], file, where,
                                                                                "max_months")
    if low > high:
        raise _fail(file, where, f"最短期限 {low} 个月大于最长期限 {high} 个月", "period_order")
    start = _day(raw["effective_from"], file, where, "effective_from")
    end = _day(raw["effective_to"], file, where, "effective_to") if raw.get("effective_to") else None
    if end is not None and end <= start:
        raise _fail(file, where, "effective_to 必须晚于 effective_from", "effective_order")
    longer = raw.get("longer_minimum") or {}
    if not isinstance(longer, dict):
        raise _fail(file, where, "longer_minimum 必须是对象", "longer_minimum_invalid")
    return SchemeRow(
        scheme=str(raw["scheme"]), title=str(raw["title"]), channel=raw["channel"], category=raw["category"],
        min_months=low, max_months=high, repairable=raw["repairable"], effective_from=start, effective_to=end,
        non_repairable_kinds=_kinds(raw.get("non_repairable_kinds", []), file, where, "non_repairable_kinds"),
        non_repairable_violations=_words(raw.get("non_repairable_violations", []), file, where,
                                         "non_repairable_violations"),
        heavy_kinds=_kinds(raw.get("heavy_kinds", []), file, where, "heavy_kinds"),
        heavy_domains=_words(raw.get("heavy_domains", []), file, where, "heavy_domains"),
        longer_months=_months(longer.get("months", 0), file, where, "longer_minimum.months"),
        longer_domains=_words(longer.get("domains", []), file, where, "longer_minimum.domains"),
        tag=str(raw.get("tag", "")), note=str(raw.get("note", "")))


def _overlaps(rows: list[SchemeRow], file: str) -> None:
    """Two rows of one channel and category may not be in force on the same day."""
    for i, row in enumerate(rows):
        for other in rows[:i]:
            if (row.channel, row.category) != (other.channel, other.category):
                continue
            if (other.effective_to is None or row.effective_from < other.effective_to) and (
                    row.effective_to is None or other.effective_from < row.effective_to):
                raise _fail(file, f"第{i + 1}行：", f"与 {other.scheme} 的同类方案施行期间重叠", "rows_overlap")


def parse(data: Any, file: str) -> Policy:
    """A checked policy from a definition already read (`file` names it in messages)."""
    if not isinstance(data, dict):
        raise _fail(file, "", "内容必须是 JSON 对象", "policy_invalid")
    for key in ("name", "version", "rows"):
        if not data.get(key):
            raise _fail(file, "", f"缺少 {key}", f"{key}_required")
    if not isinstance(data["rows"], list):
        raise _fail(file, "", "rows 必须是列表", "rows_invalid")
    rows = [_row(raw, index, file) for index, raw in enumerate(data["rows"], start=1)]
    _overlaps(rows, file)
    return Policy(name=str(data["name"]), version=str(data["version"]), title=str(data.get("title", "")),
                  rows=tuple(rows))


def path_of(version: str, name: str = NAME) -> Path:
    return FOLDER / f"{name}-{version}.json"


def read(path: Path) -> tuple[Policy, dict[str, Any]]:
    """The checked policy of a file and its definition as read."""
    if not path.is_file():
        raise PolicyInvalid(f"信用修复方案 {path.name} 不存在", code="policy_unknown", field="version")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise _fail(path.name, "", f"不是有效的 JSON（{error}）", "policy_json_invalid") from None
    return parse(data, path.name), data


def newest_file() -> Path:
    """The shipped file of the highest version."""
    return max(FOLDER.glob(f"{NAME}-*.json"), key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.stem)))


# --- the penalty: its category, publication period and the months it must be published first ------------------

@dataclass(frozen=True)
class PenaltyFacts:
    """What the rules read of a 行政处罚 (behaviour.models.Penalty)."""

    decided_on: dt.date
    kinds: frozenset[str]
    fine: Decimal | None
    procedure: str  # 01 简易程序, 02 一般程序
    major: bool
    text: str  # name, facts, basis and result, for the violation types and domains of the schemes
    result: str

    @classmethod
    def of(cls, penalty: Any) -> PenaltyFacts:
        return cls(decided_on=penalty.date, kinds=frozenset(str(k) for k in penalty.penalty_kinds or ()),
                   fine=penalty.fine, procedure=penalty.procedure, major=penalty.major,
                   text=" ".join((penalty.name, penalty.facts, penalty.basis, penalty.result)), result=penalty.result)


@dataclass(frozen=True)
class Publication:
    published: bool
    months: int  # 0 when not published
    ends_on: dt.date | None
    reason: str


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of a shorter month)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _restriction_months(result: str) -> int:
    """The length of a 限制开展生产经营活动 / 限制从业 written in the decision's result, in months (0: none found)."""
    found = RESTRICTION.search(result)
    if not found:
        return 0
    value = found.group(1)
    years = int(value) if value.isdigit() else sum(NUMERALS.get(c, 0) for c in value)
    return years * 12


def low_fine_only(p: PenaltyFacts, low_fine: Decimal) -> bool:
    """通报批评, or a 较低数额罚款 (with a warning at most): the 3-month kind (令第45号 art. 14)."""
    if not p.kinds or not p.kinds <= {WARNING, NOTICE, FINE}:
        return False
    return FINE not in p.kinds or (p.fine is not None and p.fine <= low_fine)


def publication(p: PenaltyFacts, *, low_fine: Decimal) -> Publication:
    """The publication period of a penalty on the public credit platforms (令第45号 arts. 7, 14)."""
    if p.procedure == "01":
        return Publication(False, 0, None, "简易程序作出的处罚决定不公示（令第45号第七条）")
    if p.kinds == {WARNING} or not p.kinds:
        return Publication(False, 0, None, "仅给予警告的处罚决定不公示（令第45号第七条）")
    if low_fine_only(p, low_fine):
        return Publication(True, 3, add_months(p.decided_on, 3), "通报批评或较低数额罚款，公示 3 个月")
    months = max(36, _restriction_months(p.result))
    reason = "公示 3 年" if months == 36 else f"限制期限长于 3 年，公示至期满（{months // 12} 年）"
    return Publication(True, months, add_months(p.decided_on, months), reason)


def category(p: PenaltyFacts, *, low_fine: Decimal) -> str:
    """轻微 (the 3-month kind), 严重 (a heavier kind or a 重大案件), otherwise 一般 [unconfirmed mapping, ADR 0045]."""
    if low_fine_only(p, low_fine):
        return "minor"
    if p.kinds & HEAVY_KINDS or p.major:
        return "serious"
    return "general"


def channel_of(department_kind: str) -> str:
    """GSXT for a 市场监督管理 department's penalties (令第45号), 信用中国 for the others."""
    return "gsxt" if department_kind == "scjg" else "creditchina"


def not_repairable(row: SchemeRow, p: PenaltyFacts) -> str:
    """Why the row does not allow repairing the penalty (empty when it does)."""
    if not row.repairable:
        return f"{row.title}：{CATEGORIES[row.category]}类处罚信息不适用信用修复"
    heavy = sorted(p.kinds & row.non_repairable_kinds)
    if heavy:
        return f"{row.title}：处罚种类 {'、'.join(heavy)} 不可修复"
    word = next((w for w in row.non_repairable_violations if w in p.text), "")
    if word:
        return f"{row.title}：涉及“{word}”的违法行为不可修复"
    domain = next((d for d in row.heavy_domains if d in p.text), "")
    if domain and p.kinds & row.heavy_kinds:
        return f"{row.title}：{domain}领域的责令停产停业或吊销处罚不可修复"
    return ""


def minimum_months(row: SchemeRow, p: PenaltyFacts) -> int:
    """The months the information must be published before an early end: the row's, longer in its domains."""
    if row.longer_months and any(d in p.text for d in row.longer_domains):
        return max(row.min_months, row.longer_months)
    return row.min_months
