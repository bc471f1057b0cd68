"""The reference registers the models read: drug approvals (药品批准文号), device registrations and filings
(医疗器械注册证/备案), the 药品经营许可证, the 医疗器械经营许可证 and 第二类医疗器械经营备案 with their scope, the
医疗机构执业许可证 with its 诊疗科目, and the 广告审查证明 (广审号).

Each kind is a list of columns (the Chinese header of the import template, the English name of the API and of the
scan command's register file); a row is checked column by column into an `Entry` or refused with every problem
named by row, column and rule (`core.tabular.Problem`, an English code). Numbers and names are compared by their
normalised key (`normalise.key`: width, case, brackets and spaces do not count). A row's `status` other than 有效
(注销, 吊销, 撤销, 暂停) or a `valid_until` before the day judged makes it invalid on that day.

`Registers` is what a rule asks: whether a kind is loaded at all (`loaded`; where it is not, the model keeps its
"需核对" note), the newest entry of a number (`find`) and the entries held by a seller or advertiser (`held_by`:
by 统一社会信用代码 when it is one, else by name). `MemoryRegisters` holds entries given to it (a file, a test);
the database's are `selectors.StoredRegisters`. No Django here: `jianguan risk scan` runs without a database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from jianguan.core.codes import uscc_error
from jianguan.core.tabular import Problem
from jianguan.risk.inputs import InputInvalid, lines
from jianguan.risk.normalise import key
from jianguan.risk.rules_listings import device_class_of

VALID = "有效"
STATUSES = (VALID, "注销", "吊销", "撤销", "暂停")
MAX_TEXT = 200
MAX_LIST = 2000
_SPLIT = re.compile(r"[、，,；;\n]+")
_CLASSES = {"1": 1, "一": 1, "i": 1, "2": 2, "二": 2, "ii": 2, "3": 3, "三": 3, "iii": 3}
_RX = {"处方药": "rx", "非处方药": "otc", "甲类非处方药": "otc", "乙类非处方药": "otc", "rx": "rx", "otc": "otc"}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    label: str
    type: str = "text"  # text, code, date, list, device_class, rx, status
    required: bool = False


def _columns(*items: tuple[str, str, str, bool]) -> tuple[Column, ...]:
    return tuple(Column(*item) for item in items)


CODE, STATUS = ("holder_code", "统一社会信用代码", "code", False), ("status", "状态", "status", False)
UNTIL, UNTIL_REQUIRED = ("valid_until", "有效期至", "date", False), ("valid_until", "有效期至", "date", True)

KINDS: dict[str, tuple[str, tuple[Column, ...]]] = {
    "drug_approval": ("药品批准文号", _columns(
        ("number", "批准文号", "text", True), ("name", "通用名称", "text", True),
        ("dosage_form", "剂型", "text", False),
        ("rx", "处方药/非处方药", "rx", False), ("holder", "上市许可持有人", "text", True), UNTIL, STATUS)),
    "device_registration": ("医疗器械注册证、备案", _columns(
        ("number", "注册证编号或备案编号", "text", True), ("name", "产品名称", "text", True),
        ("device_class", "管理类别", "device_class", True), ("holder", "注册人或备案人", "text", True), UNTIL,
        STATUS)),
    "drug_business_licence": ("药品经营许可证", _columns(
        ("number", "许可证编号", "text", True), ("holder", "企业名称", "text", True), CODE,
        ("scope", "经营范围", "list", True), UNTIL_REQUIRED, STATUS)),
    "device_business_licence": ("医疗器械经营许可证", _columns(
        ("number", "许可证编号", "text", True), ("holder", "企业名称", "text", True), CODE,
        ("scope", "经营范围", "list", False), UNTIL_REQUIRED, STATUS)),
    "device_business_filing": ("第二类医疗器械经营备案", _columns(
        ("number", "备案编号", "text", True), ("holder", "企业名称", "text", True), CODE,
        ("scope", "经营范围", "list", False), STATUS)),
    "medical_institution_licence": ("医疗机构执业许可证", _columns(
        ("number", "登记号", "text", True), ("holder", "机构名称", "text", True), CODE,
        ("departments", "诊疗科目", "list", True), UNTIL_REQUIRED, STATUS)),
    "ad_review": ("广告审查证明", _columns(
        ("number", "广告审查证明文号", "text", True), ("holder", "广告主", "text", True), CODE,
        ("name", "产品或服务名称", "text", False), UNTIL_REQUIRED, STATUS)),
}
COMMON = ("number", "holder", "holder_code", "name", "valid_until", "status")


def label(kind: str) -> str:
    return KINDS[kind][0]


def columns(kind: str) -> tuple[Column, ...]:
    return KINDS[kind][1]


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a register: the common columns and the kind's own (`details`: dosage form, Rx/OTC, device class,
    scope, departments)."""

    kind: str
    number: str
    holder: str
    holder_code: str = ""
    name: str = ""
    valid_until: dt.date | None = None
    status: str = VALID
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def number_key(self) -> str:
        return key(self.number)

    @property
    def holder_key(self) -> str:
        return key(self.holder)

    def valid_on(self, day: dt.date) -> bool:
        return self.status == VALID and (self.valid_until is None or self.valid_until >= day)

    def why_invalid(self, day: dt.date) -> str:
        """Why the entry is not valid on `day` ("" when it is)."""
        if self.status != VALID:
            return f"状态为{self.status}"
        if self.valid_until is not None and self.valid_until < day:
            return f"已于 {self.valid_until.isoformat()} 到期"
        return ""

    def as_columns(self) -> dict[str, Any]:
        """The entry as the columns of its kind (what the file said, checked)."""
        values = {"number": self.number, "holder": self.holder, "holder_code": self.holder_code, "name": self.name,
                  "valid_until": self.valid_until.isoformat() if self.valid_until else "", "status": self.status}
        return {column.name: values.get(column.name, self.details.get(column.name)) for column in columns(self.kind)}


def _problem(row: int | None, column: Column, code: str, message: str) -> Problem:
    return Problem(row, column.label, code, f"“{column.label}”{message}")


def _date(text: str) -> dt.date | None:
    found = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not found:
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def _value(column: Column, raw: Any) -> tuple[Any, tuple[str, str] | None]:
    """The checked value of one cell, or (None, (code, message)) naming the rule it breaks."""
    if column.type == "list":
        items = raw if isinstance(raw, list) else _SPLIT.split(str(raw))
        values = [str(item).strip() for item in items if str(item).strip()]
        if sum(len(item) for item in values) > MAX_LIST:
            return None, ("too_long", f"超过 {MAX_LIST} 个字符")
        return values, None
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        return None, ("too_long", f"超过 {MAX_TEXT} 个字符")
    if column.type == "date":
        day = _date(text)
        return (day, None) if day else (None, ("date_invalid", f"“{text}”不是日期（应如 2027-06-30）"))
    if column.type == "device_class":
        number = _CLASSES.get(key(text).removeprefix("第").removesuffix("类"))
        return (number, None) if number else (None, ("class_invalid", f"“{text}”应为第一类、第二类或第三类（1、2、3）"))
    if column.type == "rx":
        kind = _RX.get(key(text))
        return (kind, None) if kind else (None, ("rx_invalid", f"“{text}”应为处方药、甲类非处方药或乙类非处方药"))
    if column.type == "status":
        if text not in STATUSES:
            return None, ("status_invalid", f"“{text}”应为{'、'.join(STATUSES)}之一")
        return text, None
    if column.type == "code":
        text = text.upper()
        if uscc_error(text) is not None:
            return None, ("uscc_invalid", f"“{text}”不是有效的统一社会信用代码")
    return text, None


def check_row(kind: str, values: Mapping[str, Any], row: int | None = None) -> tuple[Entry | None, list[Problem]]:
    """One row of `kind` (values by column name) as an `Entry`, or None with every problem of the row."""
    problems: list[Problem] = []
    checked: dict[str, Any] = {}
    for column in columns(kind):
        raw = values.get(column.name)
        if raw is None or raw == "" or raw == []:
            if column.required:
                problems.append(_problem(row, column, "required", "不能为空"))
            continue
        value, broken = _value(column, raw)
        if broken:
            problems.append(_problem(row, column, *broken))
        else:
            checked[column.name] = value
    if not problems and kind == "device_registration":
        stated = device_class_of(checked["number"])
        if stated is not None and stated != checked["device_class"]:
            given = "一二三"[checked["device_class"] - 1]
            problems.append(_problem(row, columns(kind)[2], "class_mismatch",
                                     f"为第{given}类，编号表明第{'一二三'[stated - 1]}类"))
    if problems:
        return None, problems
    details = {name: value for name, value in checked.items() if name not in COMMON}
    return Entry(kind, checked["number"], checked["holder"], checked.get("holder_code", ""), checked.get("name", ""),
                 checked.get("valid_until"), checked.get("status", VALID), details), []


def check_rows(kind: str, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> tuple[list[tuple[int, Entry]],
                                                                                   list[Problem]]:
    """Every row checked (a number twice in one file refused at its second row)."""
    entries: list[tuple[int, Entry]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    number = columns(kind)[0]
    for row, values in rows:
        entry, found = check_row(kind, values, row)
        problems += found
        if entry is None:
            continue
        if entry.number_key in seen:
            problems.append(_problem(row, number, "duplicate", f"与第 {seen[entry.number_key]} 行重复"))
            continue
        seen[entry.number_key] = row
        entries.append((row, entry))
    return entries, problems


def is_code(who: str) -> bool:
    """Whether a seller or advertiser is named by a valid 统一社会信用代码 (else it is a name or a shop's id)."""
    return uscc_error(who.strip().upper()) is None


class Registers(Protocol):
    """What the rules ask of the registers, as of `day` (the day the item was seen)."""

    day: dt.date

    def loaded(self, kind: str) -> bool: ...

    def find(self, kind: str, number: str) -> Entry | None: ...

    def held_by(self, kind: str, who: str) -> list[Entry]: ...


class MemoryRegisters:
    """Registers from a list of entries (a later entry of the same number replaces an earlier one)."""

    def __init__(self, entries: Iterable[Entry], day: dt.date) -> None:
        self.day = day
        self._numbers: dict[tuple[str, str], Entry] = {}
        for entry in entries:
            self._numbers[(entry.kind, entry.number_key)] = entry
        self._kinds = {kind for kind, _ in self._numbers}

    def loaded(self, kind: str) -> bool:
        return kind in self._kinds

    def find(self, kind: str, number: str) -> Entry | None:
        return self._numbers.get((kind, key(number)))

    def held_by(self, kind: str, who: str) -> list[Entry]:
        code, name = who.strip().upper(), key(who)
        return [entry for (each, _), entry in self._numbers.items() if each == kind
                and (entry.holder_code == code if is_code(who) else entry.holder_key == name)]


def read_lines(raw: bytes, day: dt.date) -> MemoryRegisters:
    """The registers of a JSON Lines file (one entry a line: `kind` and its columns by English name, e.g.
    `{"kind": "ad_review", "number": "…", "holder": "…", "valid_until": "2027-06-30"}`), checked whole;
    `InputInvalid` naming the first bad line, its field and rule."""
    entries: list[Entry] = []
    for number, data in lines(raw):
        if not isinstance(data, dict) or data.get("kind") not in KINDS:
            raise InputInvalid(f"（登记文件）kind 应为 {'、'.join(KINDS)} 之一", code="register_kind_unknown",
                               field="kind", line=number)
        kind = data["kind"]
        known = {column.name for column in columns(kind)} | {"kind"}
        if unknown := sorted(set(data) - known):
            raise InputInvalid(f"（登记文件）{unknown[0]} 不是{label(kind)}的字段", code="unknown_field",
                               field=unknown[0], line=number)
        entry, problems = check_row(kind, data, number)
        if entry is None:
            raise InputInvalid(f"（登记文件）{problems[0].message}", code=problems[0].code,
                               field=problems[0].column, line=number)
        entries.append(entry)
    return MemoryRegisters(entries, day)


def raw_row(values: Mapping[str, Any]) -> dict[str, str]:
    """A row as received (by the file's headers), for keeping: each cell as text."""
    return {str(header): str(value) for header, value in values.items()}
