"""Rule classes of the exchange standards (behaviour-records.md §7), each with a stable id, an English error code,
a Chinese message naming the field and the rule, and its SAMR dimension.

Each rule has a per-value (or per-record) test, `fails` / `test`, which is the definition, and a batch form,
`find`, which the engine calls on a whole column and which must find exactly the values `fails` would.
Field rules run in order and the first one a value breaks is reported (one issue per field at most); record
rules see the field values that passed their own rules ("clean" values: codes for dictionary labels, dates for
date texts), or the raw value where they say so.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence
from itertools import accumulate, compress, count, repeat
from operator import and_, ge, getitem, gt, le, ne, not_
from typing import TYPE_CHECKING, Any, NamedTuple

from . import values as v

if TYPE_CHECKING:
    from .base import Standard

DIMENSIONS = {"completeness": "完整性", "conformity": "规范性", "redundancy": "冗余性", "relevance": "关联性",
              "accuracy": "准确性", "timeliness": "及时性", "comprehensiveness": "全面性"}

_CACHE_LIMIT = 300_000  # distinct values remembered per field, then forgotten at once


class Issue(NamedTuple):
    """One broken rule in one record: the field (ascii id), the English code, the Chinese message, the rule id and
    the SAMR dimension."""

    field: str
    code: str
    message: str
    rule: str
    dimension: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message, "rule": self.rule,
                "dimension": self.dimension}


class Rule:
    """What every rule carries; `bind` gives it its id and the titles of its fields."""

    kind = ""
    code = ""
    dimension = "conformity"
    label = ""  # the rule's name in Chinese, for documentation and notes

    def __init__(self, field: str) -> None:
        self.field = field
        self.id = ""
        self.pos = 0
        self.title = field

    def bind(self, standard: Standard, pos: int) -> None:
        self.id = f"{standard.name}.{self.field}.{self.kind}"
        self.pos = pos
        self.title = standard.field(self.field).title if standard.has_field(self.field) else self.field

    def issue(self, code: str, message: str) -> Issue:
        return Issue(self.field, code, message, self.id, self.dimension)

    def describe(self) -> dict[str, str]:
        return {"id": self.id, "code": self.code, "dimension": self.dimension, "field": self.field,
                "label": self.label}


# Field rules ---------------------------------------------------------------------------------------------------


class Required(Rule):
    kind, code, dimension, label = "required", "required", "completeness", "必填"

    def message(self, _value: Any = None) -> str:
        return f"“{self.title}”为必填项，不能为空"


class TypeRule(Rule):
    kind, code, label = "type", "type_invalid", "类型"

    def __init__(self, field: str, type_: str) -> None:
        super().__init__(field)
        self.type = type_
        if type_ == "bool":
            self.code = "bool_invalid"

    def message(self, value: Any) -> str:
        if self.type == "bool":
            return f"“{self.title}”的值“{v.shown(value)}”不是有效的是/否值（是/否、1/0、true/false）"
        return f"“{self.title}”的值类型不符：应为{v.TYPE_LABELS[self.type]}"


class ValueRule(Rule):
    """A test of one present value (an item, for list fields)."""

    def fails(self, value: str) -> bool:
        raise NotImplementedError

    def find(self, values: Sequence[str]) -> list[int]:
        """Positions in `values` whose value fails."""
        return list(compress(count(), map(self.fails, values)))

    def message(self, value: str) -> str:
        raise NotImplementedError


class FixedLength(ValueRule):
    kind, code, label = "fixed_length", "wrong_length", "定长"

    def __init__(self, field: str, length: int) -> None:
        super().__init__(field)
        self.length = length

    def fails(self, value: str) -> bool:
        return len(value) != self.length

    def find(self, values: Sequence[str]) -> list[int]:
        if not values or set(map(len, values)) == {self.length}:
            return []
        return list(compress(count(), map(self.length.__ne__, map(len, values))))

    def message(self, value: str) -> str:
        return f"“{self.title}”应为 {self.length} 位，实为 {len(value)} 位"


class MaxLength(ValueRule):
    kind, code, label = "max_length", "too_long", "最大长度"

    def __init__(self, field: str, length: int) -> None:
        super().__init__(field)
        self.length = length

    def fails(self, value: str) -> bool:
        return len(value) > self.length

    def find(self, values: Sequence[str]) -> list[int]:
        if not values or max(map(len, values)) <= self.length:
            return []
        return list(compress(count(), map(self.length.__lt__, map(len, values))))

    def message(self, value: str) -> str:
        return f"“{self.title}”超过最大长度 {self.length}（实为 {len(value)}）"


_NEWLINE_PRONE = re.compile(r"\[\^|\\[sDWnr]|\(\?[a-zA-Z]*s")


class Pattern(ValueRule):
    """The value matches a regular expression whole (ASCII classes). On a column the values are joined by newlines
    and matched at once; only when that fails are the failing lines searched, again by one expression."""

    kind, code, label = "pattern", "pattern_mismatch", "格式"

    def __init__(self, field: str, pattern: str, note: str, *, code: str | None = None, kind: str | None = None,
                 dimension: str | None = None, label: str | None = None) -> None:
        super().__init__(field)
        self.pattern, self.note = pattern, note
        self.code = code or self.code
        self.kind = kind or self.kind
        self.dimension = dimension or self.dimension
        self.label = label or self.label
        self._one = re.compile(pattern, re.ASCII)
        # Joining is safe when no match of the pattern can contain a newline.
        self.joinable = not _NEWLINE_PRONE.search(pattern)
        self._all = re.compile(rf"(?:(?:{pattern})\n)*+(?:{pattern})", re.ASCII)
        self._bad_lines = re.compile(rf"^(?!(?:{pattern})$)", re.ASCII | re.MULTILINE)

    def fails(self, value: str) -> bool:
        return self._one.fullmatch(value) is None

    def find(self, values: Sequence[str]) -> list[int]:
        if not values:
            return []
        joined = "\n".join(values)
        if not self.joinable or joined.count("\n") != len(values) - 1:
            return list(compress(count(), map(not_, map(self._one.fullmatch, values))))
        if self._all.fullmatch(joined):
            return []
        starts = list(accumulate(map((1).__add__, map(len, values)), initial=0))
        return [bisect_right(starts, m.start()) - 1 for m in self._bad_lines.finditer(joined)]

    def message(self, value: str) -> str:
        return f"“{self.title}”格式不符：{self.note}（值“{v.shown(value)}”）"


class InDictionary(ValueRule):
    """The value is a code of the field's dictionary (or an accepted label); a multi-valued field joins several."""

    kind, code, label = "dictionary", "not_in_dictionary", "字典"

    def __init__(self, field: str, dictionary: str, separator: str = "") -> None:
        super().__init__(field)
        self.dictionary = dictionary
        self.separator = separator
        self.accepted: frozenset[str] = frozenset()
        self.to_code: dict[str, str] = {}

    def load(self, accepted: frozenset[str], to_code: dict[str, str]) -> None:
        self.accepted, self.to_code = accepted, to_code

    def _multi_ok(self, value: str) -> bool:
        return bool(self.separator) and self.separator in value and all(
            part in self.accepted for part in value.split(self.separator))

    def fails(self, value: str) -> bool:
        return value not in self.accepted and not self._multi_ok(value)

    def find(self, values: Sequence[str]) -> list[int]:
        if self.accepted.issuperset(values):
            return []
        bad = {value for value in set(values) - self.accepted if not self._multi_ok(value)}
        return list(compress(count(), map(bad.__contains__, values))) if bad else []

    def message(self, value: str) -> str:
        return f"“{self.title}”的值“{v.shown(value)}”不在字典“{self.dictionary}”中"


class CheckChar(ValueRule):
    """Check characters (USCC, ID number, the USCC inside a 实施清单编码). On a column, the distinct values not
    seen before are judged together (values.kinds_of computes USCC check characters column-wise) and the valid
    ones remembered."""

    kind, code, dimension, label = "check", "check_char", "accuracy", "校验位"
    instances: list[set[str]] = []  # every instance's remembered values (forgotten together)
    _WANTED = {"uscc": v.USCC, "ric": v.RIC, "uscc_or_ric": v.USCC | v.RIC, "impl_code": v.USCC}

    def __init__(self, field: str, check: str) -> None:
        super().__init__(field)
        self.check = check
        self.code = {"uscc": "uscc_check_char", "ric": "id_number_invalid", "uscc_or_ric": "party_code_check_char",
                     "impl_code": "impl_code_check_char"}[check]
        self._valid: Callable[[str], bool] = v.CHECKS[check]
        # the values of this field that passed (all of its rules: this is the last one), for whole-column proofs
        self.seen: set[str] = set()
        CheckChar.instances.append(self.seen)
        self._wanted = self._WANTED[check]

    def fails(self, value: str) -> bool:
        return not self._valid(value)

    def find(self, values: Sequence[str]) -> list[int]:
        if len(self.seen) > _CACHE_LIMIT:
            self.seen.clear()
        new = list(set(values).difference(self.seen))
        if not new:
            return []
        keys = new if self.check != "impl_code" else list(map(getitem, new, repeat(_HEAD)))
        right = list(map(and_, v.kinds_of(keys), repeat(self._wanted)))
        bad = set() if all(right) else set(compress(new, map(not_, right)))
        self.seen.update(new)
        if not bad:
            return []
        self.seen.difference_update(bad)
        return list(compress(count(), map(bad.__contains__, values)))

    def message(self, value: str) -> str:
        if self.check == "ric" or (self.check == "uscc_or_ric" and not re.fullmatch(v.USCC_SHAPE, value, re.A)):
            return f"“{self.title}”不是有效的公民身份号码（{v.CHECK_LABELS['ric']}）"
        return f"“{self.title}”“{v.shown(value)}”未通过{v.CHECK_LABELS[self.check]}"


_HEAD = slice(0, 18)
TEN = slice(0, 10)
# A date, or a date and a time without offset whose fields are in range: its day is the day of its first ten
# characters (what parse_date answers for it), so texts of this shape are dated by their distinct days.
_NAIVE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?)?"
NAIVE_DATES = re.compile(rf"(?:{_NAIVE}\n)*+{_NAIVE}", re.ASCII)
NAIVE_BAD = re.compile(rf"^(?!{_NAIVE}$)", re.ASCII | re.MULTILINE)
# The two usual spellings, which an expression without alternatives checks faster (each is a case of _NAIVE).
_DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_MOMENT = _DAY + r" (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
USUAL_DATES = (re.compile(rf"(?:{_DAY}\n)*+{_DAY}", re.ASCII), re.compile(rf"(?:{_MOMENT}\n)*+{_MOMENT}", re.ASCII))


class DateValue(ValueRule):
    """A date or date-time text that names a real day. Each field remembers the texts it has dated (per distinct
    text, up to a limit: a column of unique date-times is dated by its days instead, see NAIVE_DATES)."""

    kind, code, label = "date", "date_invalid", "日期"
    days: dict[str, dt.date | None] = {}  # the first ten characters of a text -> their day (shared, small)
    instances: list[DateValue] = []
    LIMIT = 50_000

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.parsed: dict[str, dt.date] = {}
        self.valid: set[str] = set()  # the keys of `parsed`, as a set for whole-column proofs
        self.invalid: set[str] = set()
        DateValue.instances.append(self)

    def forget(self) -> None:
        self.parsed.clear()
        self.valid.clear()
        self.invalid.clear()

    def fails(self, value: str) -> bool:
        return v.parse_date(value) is None

    def _learn(self, new: list[str]) -> None:
        parsed, invalid = self.parsed, self.invalid
        joined = "\n".join(new)
        if joined.count("\n") == len(new) - 1 and NAIVE_DATES.fullmatch(joined):
            parts = list(map(getitem, new, repeat(TEN)))
            for part in set(parts).difference(self.days):
                self.days[part] = v.parse_date(part)
            found = list(map(self.days.__getitem__, parts))
        else:
            found = list(map(v.parse_date, new))
        for value, day in zip(new, found, strict=True):
            if day is None:
                invalid.add(value)
            else:
                parsed[value] = day
                self.valid.add(value)

    def find(self, values: Sequence[str]) -> list[int]:
        if len(self.parsed) + len(self.invalid) > self.LIMIT:
            self.forget()
        distinct = set(values)
        new = list(distinct.difference(self.parsed, self.invalid))
        if new:
            self._learn(new)
        bad = distinct & self.invalid
        return list(compress(count(), map(bad.__contains__, values))) if bad else []

    def message(self, value: str) -> str:
        return f"“{self.title}”的值“{v.shown(value)}”不是有效日期（应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM:SS）"


class ItemBlank(ValueRule):
    kind, code, label = "item_blank", "item_blank", "列表空项"

    def fails(self, value: str) -> bool:
        return value == ""

    def find(self, values: Sequence[str]) -> list[int]:
        if "" not in values:
            return []
        return list(compress(count(), map("".__eq__, values)))

    def message(self, _value: str) -> str:
        return f"“{self.title}”含空项"


# Record rules --------------------------------------------------------------------------------------------------


class RecordRule(Rule):
    """A rule over several fields of one record. `inputs` are (field id, "clean" | "raw")."""

    inputs: tuple[tuple[str, str], ...] = ()
    dimension = "accuracy"

    def bind(self, standard: Standard, pos: int) -> None:
        super().bind(standard, pos)
        self.id = f"{standard.name}.{self.kind}.{self.field}"
        self.titles = {fid: standard.field(fid).title for fid, _ in self.inputs}
        self.labels = {fid: standard.labels(fid) for fid, _ in self.inputs}

    def label_of(self, field_id: str, value: Any) -> str:
        """A dictionary code as shown to people (its label), any other value as is."""
        return self.labels.get(field_id, {}).get(value, str(value))

    def test(self, *values: Any) -> tuple[str, str] | None:
        """(code, message) when the record breaks the rule, else None."""
        raise NotImplementedError

    def find(self, cols: Sequence[Sequence[Any]]) -> list[tuple[int, tuple[str, str]]]:
        """(row, (code, message)) for every failing row: the test runs once per distinct combination."""
        keys = list(zip(*cols, strict=True))
        try:
            distinct = set(keys)
        except TypeError:  # an unhashable raw value: test row by row
            return [(i, found) for i, key in enumerate(keys) if (found := self.test(*key))]
        bad = {key: found for key in distinct if (found := self.test(*key))}
        if not bad:
            return []
        return [(i, bad[keys[i]]) for i in compress(count(), map(bad.__contains__, keys))]


class _Lowest:
    """Below every date (stands for a missing one in column-wise comparisons)."""

    def __lt__(self, other: object) -> bool:
        return other is not self

    def __le__(self, other: object) -> bool:
        return True

    def __gt__(self, other: object) -> bool:
        return False

    def __ge__(self, other: object) -> bool:
        return other is self


class _Highest:
    """Above every date."""

    def __lt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return other is self

    def __gt__(self, other: object) -> bool:
        return other is not self

    def __ge__(self, other: object) -> bool:
        return True


LOWEST, HIGHEST = _Lowest(), _Highest()
NONE_LOWEST: dict[Any, Any] = {None: LOWEST}
NONE_HIGHEST: dict[Any, Any] = {None: HIGHEST}


class DateOrder(RecordRule):
    """`later` is not before `earlier` (or strictly after, when `strict`); both dates present and valid."""

    kind, code, label = "date_order", "date_order", "时间先后"

    def __init__(self, earlier: str, later: str, *, strict: bool = False) -> None:
        super().__init__(later)
        self.earlier, self.later, self.strict = earlier, later, strict
        self.inputs = ((earlier, "clean"), (later, "clean"))

    def bind(self, standard: Standard, pos: int) -> None:
        super().bind(standard, pos)
        self.id = f"{standard.name}.date_order.{self.earlier}.{self.later}"

    def test(self, earlier: dt.date | None, later: dt.date | None) -> tuple[str, str] | None:
        if earlier is None or later is None or (later > earlier if self.strict else later >= earlier):
            return None
        a, b = self.titles[self.earlier], self.titles[self.later]
        word = "应晚于" if self.strict else "不得早于"
        return self.code, f"“{b}”（{later}）{word}“{a}”（{earlier}）"

    def find(self, cols: Sequence[Sequence[Any]]) -> list[tuple[int, tuple[str, str]]]:
        earlier, later = cols
        wrong = ge if self.strict else gt
        if not (all(earlier) and all(later)):  # a missing date (dates are always true)
            # a missing earlier date is below and a missing later one above every date: never wrong
            earlier = list(map(NONE_LOWEST.get, earlier, earlier))
            later = list(map(NONE_HIGHEST.get, later, later))
        if not any(map(wrong, earlier, later)):
            return []
        return [(i, self.test(*(None if d is LOWEST or d is HIGHEST else d for d in (earlier[i], later[i]))))
                for i in compress(count(), map(wrong, earlier, later))]


class _CodeKindRule(RecordRule):
    """A rule over (a dictionary value, a party code) that depends on the code only through its first two
    characters and its kind (valid USCC, valid ID number): on a column it is judged once per distinct
    (value, prefix, kind), which are few."""

    def judge(self, value: str | None, prefix: str, kind: int) -> tuple[str, str] | None:
        raise NotImplementedError

    def test(self, value: str | None, code: str | None) -> tuple[str, str] | None:
        return self.judge(value, code[:2] if code else "", v.code_kind(code) if code else 0)

    def find(self, cols: Sequence[Sequence[Any]]) -> list[tuple[int, tuple[str, str]]]:
        values, codes = cols
        numbers = v.prefix_kinds(codes)
        pairs = v.PREFIX_KIND_VALUES
        bad = {(value, number): found for value in set(values) for number in set(numbers)
               if (found := self.judge(value, *pairs[number]))}
        found = []
        for (value, number), result in bad.items():  # a few combinations: rows by their number, then value
            found += [(i, result) for i in compress(count(), map(number.__eq__, numbers)) if values[i] == value]
        return found



class CategoryCode(_CodeKindRule):
    """The party's category decides its code: 法人及非法人组织 ⇒ a USCC of an organisation (not 92), 个体工商户 ⇒ a
    USCC starting 92, 自然人 ⇒ an 18-character ID number (behaviour-records.md §7, a provincial exchange [practice];
    the prefixes are [config] in data/quality.json). `only` limits the rule to some categories (双公示 tables keep
    a person's number in another field)."""

    kind, code, label = "category_code", "category_code_mismatch", "类别与代码"

    def __init__(self, category: str, code_field: str, *, only: Collection[str] | None = None) -> None:
        super().__init__(code_field)
        self.category, self.code_field, self.only = category, code_field, only
        self.inputs = ((category, "clean"), (code_field, "clean"))
        self.prefixes: dict[str, tuple[str, ...]] = {}

    def bind(self, standard: Standard, pos: int) -> None:
        super().bind(standard, pos)
        self.prefixes = {category: prefixes for category, prefixes in standard.category_prefixes().items()
                         if self.only is None or category in self.only}

    def judge(self, category: str | None, prefix: str, kind: int) -> tuple[str, str] | None:
        if not category or not prefix or category not in self.prefixes:
            return None
        prefixes = self.prefixes[category]
        if prefixes == ("ric",):
            if kind & v.RIC:
                return None
            expected = "应为公民身份号码"
        elif prefix in prefixes and kind & v.USCC:
            return None
        else:
            expected = f"应为以 {'、'.join(prefixes)} 开头的统一社会信用代码"
        return self.code, (f"“{self.titles[self.code_field]}”与“{self.titles[self.category]}”"
                           f"（{self.label_of(self.category, category)}）不符：{expected}")


class IdTypeCode(_CodeKindRule):
    """证件类型 001 ⇒ a USCC, 111 ⇒ a 居民身份证 number (reference-codes.md §6)."""

    kind, code, label = "id_type_code", "id_type_mismatch", "证件类型与号码"

    def __init__(self, id_type: str, code_field: str) -> None:
        super().__init__(code_field)
        self.id_type, self.code_field = id_type, code_field
        self.inputs = ((id_type, "clean"), (code_field, "clean"))

    def judge(self, id_type: str | None, prefix: str, kind: int) -> tuple[str, str] | None:
        if not id_type or not prefix:
            return None
        if id_type == "001" and not kind & v.USCC:
            expected = "统一社会信用代码"
        elif id_type == "111" and not kind & v.RIC:
            expected = "居民身份证号码"
        else:
            return None
        return self.code, (f"“{self.titles[self.code_field]}”与“{self.titles[self.id_type]}”"
                           f"（{self.label_of(self.id_type, id_type)}）不符：应为{expected}")


class RequiredWhen(RecordRule):
    """`then` must be filled when `when` has one of `values` (e.g. 行政强制种类 强制措施 ⇒ 强制措施类型)."""

    kind, code, dimension, label = "required_when", "conditional_required", "completeness", "条件必填"

    def __init__(self, when: str, values: Collection[str], then: str) -> None:
        super().__init__(then)
        self.when, self.values, self.then = when, frozenset(values), then
        self.inputs = ((when, "clean"), (then, "raw"))

    def test(self, when: str | None, then: Any) -> tuple[str, str] | None:
        if when not in self.values or not v.blank(then):
            return None
        return self.code, (f"“{self.titles[self.when]}”为“{self.label_of(self.when, when)}”时，"
                           f"“{self.titles[self.then]}”必填")


class SamePrefix(RecordRule):
    """The first characters of `field` repeat `other` (实施清单编码 begins with the 实施主体编码, catalog.md §3)."""

    kind, code, label = "same_prefix", "prefix_mismatch", "编码前缀"

    def __init__(self, field: str, other: str) -> None:
        super().__init__(field)
        self.other = other
        self.inputs = ((field, "clean"), (other, "clean"))

    def test(self, value: str | None, other: str | None) -> tuple[str, str] | None:
        if not value or not other or value.startswith(other):
            return None
        return self.code, f"“{self.titles[self.field]}”应以“{self.titles[self.other]}”（{other}）开头"


class VersionDate(RecordRule):
    """A 14-character 版本ID (yyyyMMddHHmmss [unconfirmed]) starts with its 版本日期."""

    kind, code, label = "version_date", "version_date_mismatch", "版本日期"

    def __init__(self, version_id: str, version_date: str) -> None:
        super().__init__(version_id)
        self.version_date = version_date
        self.inputs = ((version_id, "clean"), (version_date, "clean"))

    def test(self, version_id: str | None, day: dt.date | None) -> tuple[str, str] | None:
        if not version_id or day is None or version_id[:8] == f"{day:%Y%m%d}":
            return None
        return self.code, f"“{self.titles[self.field]}”的前 8 位应为“{self.titles[self.version_date]}”（{day:%Y%m%d}）"


# References (关联性): batch look-ups through a Refs object -------------------------------------------------------

Window = tuple[dt.date, dt.date | None]  # in force from the first day until (not including) the second


def in_windows(windows: Sequence[Window], day: dt.date) -> bool:
    return any(start <= day and (end is None or day < end) for start, end in windows)


class RefRule(RecordRule):
    """A reference that must resolve. `lookup` judges a set of distinct keys with one call to `refs` (the
    per-record reference path calls it with one key); `find_refs` judges whole columns, one call to `refs` per
    rule and batch, the rows in force decided column-wise and only the others looked at one by one."""

    dimension = "relevance"
    needed = 1  # how many leading inputs must be present for the reference to be looked up

    def lookup(self, refs: Any, keys: set[tuple]) -> dict[tuple, tuple[str, str]]:
        raise NotImplementedError

    def test(self, *values: Any) -> tuple[str, str] | None:
        raise TypeError("a reference rule needs refs: use find_refs or lookup")

    def find_refs(self, cols: Sequence[Sequence[Any]], refs: Any) -> list[tuple[int, tuple[str, str]]]:
        keys = list(zip(*cols, strict=True))
        distinct = {key for key in set(keys) if None not in key[:self.needed]}
        bad = self.lookup(refs, distinct) if distinct else {}
        if not bad:
            return []
        return [(i, bad[keys[i]]) for i in compress(count(), map(bad.__contains__, keys))]

    @staticmethod
    def _bounds(windows: dict[str, Sequence[Window]]) -> tuple[dict[str, dt.date], dict[str, Any]]:
        """First and end day of the codes in force over a single period (the usual case)."""
        starts, ends = {}, {}
        for code, found in windows.items():
            if len(found) == 1:
                starts[code], ends[code] = found[0][0], HIGHEST if found[0][1] is None else found[0][1]
        return starts, ends

    @staticmethod
    def _inside(codes: Sequence[Any], days: Sequence[Any], starts: dict, ends: dict) -> list[bool]:
        """Per row: the day lies in its code's single period (False for any other row: no code, no day, an
        unknown code or one with several periods — those are judged one by one)."""
        d = list(map(NONE_LOWEST.get, days, days))  # no day: below every start
        low = map(starts.get, codes, repeat(HIGHEST))  # no single period: above every day
        if all(end is HIGHEST for end in ends.values()):  # no period ends: only its start matters
            return list(map(le, low, d))
        high = map(ends.get, codes, repeat(LOWEST))
        return list(map(and_, map(le, low, d), map(gt, high, d)))


class CatalogRef(RefRule):
    """The 监管事项目录编码 exists and its 子项 was in force on the action date (照单监管, catalog.md §3)."""

    kind, code, label = "catalog_ref", "catalog_code_unknown", "目录编码引用"
    needed = 2

    def __init__(self, code_field: str, date_field: str) -> None:
        super().__init__(code_field)
        self.date_field = date_field
        self.inputs = ((code_field, "clean"), (date_field, "clean"))

    def _judge(self, windows: dict[str, Sequence[Window]], code: str, day: dt.date) -> tuple[str, str] | None:
        if code not in windows:
            return "catalog_code_unknown", f"“{self.title}”“{code}”在监管事项目录中不存在"
        if not in_windows(windows[code], day):
            return ("catalog_code_not_in_force",
                    f"“{self.title}”“{code}”在 {day}（{self.titles[self.date_field]}）不在用")
        return None

    def lookup(self, refs: Any, keys: set[tuple]) -> dict[tuple, tuple[str, str]]:
        windows = refs.catalog_windows({code for code, _ in keys})
        return {key: found for key in keys if (found := self._judge(windows, *key))}

    def find_refs(self, cols: Sequence[Sequence[Any]], refs: Any) -> list[tuple[int, tuple[str, str]]]:
        codes, days = cols
        wanted = set(codes)
        wanted.discard(None)
        windows = refs.catalog_windows(wanted) if wanted else {}
        inside = self._inside(codes, days, *self._bounds(windows))
        if all(inside):
            return []
        found = []
        for i in compress(count(), map(not_, inside)):
            if codes[i] is not None and days[i] is not None and (result := self._judge(windows, codes[i], days[i])):
                found.append((i, result))
        return found


class ImplementationRef(RefRule):
    """The 检查实施清单编码 exists, was in force on the action date, belongs to the cited 子项 and (when the record
    names its 实施机构编码) to that body (require_in_force, catalog contracts)."""

    kind, code, label = "implementation_ref", "implementation_code_unknown", "实施清单编码引用"
    needed = 2

    def __init__(self, code_field: str, date_field: str, catalog_field: str, body_field: str) -> None:
        super().__init__(code_field)
        self.date_field, self.catalog_field, self.body_field = date_field, catalog_field, body_field
        self.inputs = ((code_field, "clean"), (date_field, "clean"), (catalog_field, "clean"), (body_field, "clean"))

    def _judge(self, info: dict[str, tuple], code: str, day: dt.date, catalog: str | None,
               body: str | None) -> tuple[str, str] | None:
        if code not in info:
            return "implementation_code_unknown", f"“{self.title}”在检查实施清单中不存在"
        item, owner, windows = info[code]
        if not in_windows(windows, day):
            return ("implementation_code_not_in_force",
                    f"“{self.title}”在 {day}（{self.titles[self.date_field]}）不在用")
        if catalog and item and catalog != item:
            return ("implementation_item_mismatch",
                    f"“{self.title}”属于子项 {item}，与“{self.titles[self.catalog_field]}”（{catalog}）不一致")
        if body and owner and body != owner:
            return ("implementation_other_body",
                    f"“{self.title}”不属于“{self.titles[self.body_field]}”（{body}）所指的实施机构")
        return None

    def lookup(self, refs: Any, keys: set[tuple]) -> dict[tuple, tuple[str, str]]:
        info = refs.implementation_windows({key[0] for key in keys})
        return {key: found for key in keys if (found := self._judge(info, *key))}

    def find_refs(self, cols: Sequence[Sequence[Any]], refs: Any) -> list[tuple[int, tuple[str, str]]]:
        codes, days, catalogs, bodies = cols
        wanted = set(codes)
        wanted.discard(None)
        info = refs.implementation_windows(wanted) if wanted else {}
        inside = self._inside(codes, days, *self._bounds({code: found[2] for code, found in info.items()}))
        # the 子项 and the body of a row depend on its code alone: judged once per distinct (code, 子项, body)
        triples = list(zip(codes, catalogs, bodies, strict=True))
        mismatched = {key for key in set(triples) if key[0] in info and (
            (key[1] and key[1] != info[key[0]][0]) or (key[2] and key[2] != info[key[0]][1]))}
        good = list(map(and_, inside, map(not_, map(mismatched.__contains__, triples)))) if mismatched else inside
        if all(good):
            return []
        found = []
        for i in compress(count(), map(not_, good)):
            if codes[i] is not None and days[i] is not None and (
                    result := self._judge(info, codes[i], days[i], catalogs[i], bodies[i])):
                found.append((i, result))
        return found


class InspectionRef(RefRule):
    """The 检查行为编号 a 处罚/强制/其他 record points back to exists in the behaviour library."""

    kind, code, label = "inspection_ref", "inspection_number_unknown", "检查行为编号引用"

    def __init__(self, number_field: str) -> None:
        super().__init__(number_field)
        self.inputs = ((number_field, "clean"),)

    def _message(self, number: str) -> tuple[str, str]:
        return self.code, f"“{self.title}”“{number}”在行政检查行为中不存在"

    def lookup(self, refs: Any, keys: set[tuple]) -> dict[tuple, tuple[str, str]]:
        known = refs.known_inspections({number for (number,) in keys})
        return {(number,): self._message(number) for (number,) in keys if number not in known}

    def find_refs(self, cols: Sequence[Sequence[Any]], refs: Any) -> list[tuple[int, tuple[str, str]]]:
        (numbers,) = cols
        wanted = set(numbers)
        wanted.discard(None)
        if not wanted:
            return []
        unknown = wanted.difference(refs.known_inspections(wanted))
        if not unknown:
            return []
        return [(i, self._message(numbers[i])) for i in compress(count(), map(unknown.__contains__, numbers))]


# Redundancy (冗余性) --------------------------------------------------------------------------------------------


class Dedup(Rule):
    """No two records of a batch share a key. `parts` are alternatives per key part (the first filled field of
    each part is used, e.g. 当事人证件号 or else 名称); `keep` says which occurrence stands: "first" flags the later
    ones, "last" (双公示: keep the latest) the earlier ones."""

    kind, code, dimension, label = "duplicate", "duplicate", "redundancy", "重复"

    def __init__(self, *parts: tuple[str, ...] | str, keep: str = "first") -> None:
        self.parts = tuple((p,) if isinstance(p, str) else tuple(p) for p in parts)
        super().__init__(self.parts[0][0])
        self.keep = keep

    def bind(self, standard: Standard, pos: int) -> None:
        super().bind(standard, pos)
        self.id = f"{standard.name}.duplicate." + "+".join("|".join(p) for p in self.parts)
        self.key_title = "、".join("或".join(standard.field(f).title for f in part) for part in self.parts)

    def key(self, texts: dict[str, Any]) -> tuple | None:
        """The record's key from its fields' texts (None where blank or not text), or None when a part is empty."""
        key = []
        for part in self.parts:
            found = next((texts.get(f) for f in part if texts.get(f)), None)
            if found is None:
                return None
            key.append(found)
        return tuple(key)

    def flag_column(self, column: Sequence[Any]) -> list[tuple[int, int]]:
        """flag() for a one-field key, given the field's texts: the first (or last) row of each value is found by
        building one dict, and the rows are looked at only when some value repeats."""
        n = len(column)
        if self.keep == "first":
            standing = dict(zip(reversed(column), range(n - 1, -1, -1), strict=True))
        else:
            standing = dict(zip(column, range(n), strict=True))
        blank = (None in standing) + ("" in standing)
        if len(standing) - blank == n - column.count(None) - column.count(""):
            return []
        rows = compress(count(), map(ne, map(standing.__getitem__, column), count()))
        return [(i, standing[column[i]]) for i in rows if column[i]]

    @property
    def streams(self) -> bool:
        """A one-field key keeping the first occurrence can be judged chunk by chunk (see flag_chunk)."""
        return self.keep == "first" and len(self.parts) == 1 and len(self.parts[0]) == 1

    def flag_chunk(self, column: Sequence[Any], base: int, first: dict[Any, int]) -> list[tuple[int, int]]:
        """flag() for a chunk of a one-field key keeping the first occurrence: `first` holds the first row of
        each value in the chunks before (and is updated); rows are numbered from `base`. One `setdefault` per
        value both remembers it and answers where it first appeared."""
        standing = list(map(first.setdefault, column, count(base)))
        rows = compress(count(base), map(ne, standing, count(base)))
        return [(i, standing[i - base]) for i in rows if column[i - base]]

    def flag(self, keys: Sequence[tuple | None]) -> list[tuple[int, int]]:
        """(row, the row it duplicates) for each flagged row, in row order."""
        flagged = []
        if self.keep == "first":
            first: dict[tuple, int] = {}
            for i, key in enumerate(keys):
                if key is None:
                    continue
                if key in first:
                    flagged.append((i, first[key]))
                else:
                    first[key] = i
        else:
            last = {key: i for i, key in enumerate(keys) if key is not None}
            flagged = [(i, last[key]) for i, key in enumerate(keys) if key is not None and last[key] != i]
        return flagged

    def message(self, other: int) -> str:
        if self.keep == "first":
            return f"“{self.key_title}”与第 {other + 1} 条记录重复"
        return f"“{self.key_title}”与第 {other + 1} 条记录重复，以后者为准"


class UnknownField(Rule):
    kind, code, label = "unknown_field", "unknown_field", "未知字段"

    def bind(self, standard: Standard, pos: int) -> None:
        self.id, self.pos, self.standard_title = f"{standard.name}.unknown_field", pos, standard.title

    def for_key(self, key: str) -> Issue:
        return Issue(key, self.code, f"未知字段“{v.shown(key)}”：不属于“{self.standard_title}”", self.id,
                     self.dimension)


__all__ = [
    "DIMENSIONS",
    "CatalogRef",
    "CategoryCode",
    "CheckChar",
    "DateOrder",
    "DateValue",
    "Dedup",
    "FixedLength",
    "IdTypeCode",
    "ImplementationRef",
    "InDictionary",
    "InspectionRef",
    "Issue",
    "ItemBlank",
    "MaxLength",
    "Pattern",
    "RecordRule",
    "RefRule",
    "Required",
    "RequiredWhen",
    "Rule",
    "SamePrefix",
    "TypeRule",
    "UnknownField",
    "ValueRule",
    "VersionDate",
    "Window",
]
