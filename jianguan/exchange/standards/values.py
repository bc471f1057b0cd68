"""Value primitives shared by the quality engine and its per-record reference: what counts as blank, how a raw
value becomes text, a date, a yes/no or a list, and the check characters.

Every rule decides on these functions, value by value; the engine's column-wise fast paths only avoid calling
them when a whole column provably passes, so both paths give the same answer (tests/exchange/test_quality.py checks it
on random records). Check characters are those of jianguan.core.codes; `fill_kinds` computes the USCC ones for many
codes at once by an equivalent column-wise sum (tested against the kernel) and remembers every code's kind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import compress, repeat
from operator import and_, eq, getitem, is_, mod, not_
from typing import Any
from zoneinfo import ZoneInfo

from jianguan.core.codes import USCC_ALPHABET, mask_ric, ric_error, uscc_check_char

LOCAL = ZoneInfo("Asia/Shanghai")  # a datetime with an offset counts by its date in China

# Shapes, ASCII only (`\d` would accept full-width and other Unicode digits).
USCC_SHAPE = r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}"
RIC_SHAPE = r"[0-9]{17}[0-9Xx]"
IMPL_SHAPE = USCC_SHAPE + r"[1-5][0-9A-Za-z]*"
DATE_SHAPE = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
              r"(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?")
_DATE = re.compile(DATE_SHAPE, re.ASCII)
_USCC = re.compile(USCC_SHAPE, re.ASCII)
_RIC = re.compile(RIC_SHAPE, re.ASCII)

TYPE_LABELS = {"str": "文本", "int": "整数", "decimal": "数值", "date": "日期", "datetime": "日期时间",
               "bool": "是/否", "list": "列表"}

BOOL_VALUES: dict[Any, bool] = {True: True, False: False, "是": True, "否": False, "true": True, "false": False,
                                "True": True, "False": False, "TRUE": True, "FALSE": False, "1": True, "0": False,
                                "Y": True, "N": False, "y": True, "n": False}
LIST_SEPARATORS = re.compile(r"[,，、;；]")


def blank(value: Any) -> bool:
    """Absent: no value, an empty string or an empty list (a string of spaces is a value)."""
    return value is None or (type(value) is str and value == "") or (type(value) in (list, tuple) and not value)


def as_text(value: Any) -> str | None:
    """A scalar as the text it stands for; None when it is not a scalar (a list, a mapping, a yes/no)."""
    kind = type(value)
    if kind is str:
        return value
    if kind is int or kind is Decimal:
        return str(value)
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if kind is dt.datetime:
        return value.isoformat(sep=" ")
    if kind is dt.date:
        return value.isoformat()
    return None


def as_bool(value: Any) -> bool | None:
    try:
        return BOOL_VALUES.get(value)
    except TypeError:  # a list or a mapping
        return None


def as_items(value: Any) -> list[str] | None:
    """A list value: a JSON array, or a text of items separated by commas, 、 or semicolons (as in a CSV cell)."""
    if type(value) is str:
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                return None
            return as_items(parsed) if type(parsed) is list else None
        return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]
    if type(value) in (list, tuple):
        items = []
        for item in value:
            text = as_text(item)
            if text is None:
                return None
            items.append(text)
        return items
    return None


def parse_date(text: str) -> dt.date | None:
    """The calendar date of `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS[.ffffff]][Z|±HH:MM]`; None when invalid."""
    if not _DATE.fullmatch(text):
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL)
    return moment.date()


USCC, RIC = 1, 2  # bits of a code's kind
_CODES_LIMIT = 300_000

# What the rules need of a party code, remembered per code (the engine checks millions of codes): its kind (the
# USCC / RIC bits) and its first two characters, as one small number — an index into PREFIX_KIND_VALUES — so that
# the category rules find a column's distinct combinations without hashing tuples.
PREFIX_KIND_VALUES: list[tuple[str, int]] = [("", 0)]
_KIND_OF: list[int] = [0]  # number -> kind bits
_NUMBER: dict[tuple[str, int], int] = {("", 0): 0}
CODES: dict[str | None, int] = {None: 0}  # code -> number


def _kind(code: str) -> int:
    """One code's kind, by jianguan.core.codes (after an ASCII shape test: the kernel's shape accepts any
    Unicode digit)."""
    kind = USCC if _USCC.fullmatch(code) and uscc_check_char(code[:17]) == code[17] else 0
    if _RIC.fullmatch(code) and ric_error(code) is None:
        kind |= RIC
    return kind


# Σ v_i·3^i (mod 31) is the value of the reversed code read in base 34 (34 ≡ 3 mod 31): `int(…, 34)` computes
# the weighted sum of many codes in C, one call per code, instead of a Python sum per code.
_BASE34 = str.maketrans(USCC_ALPHABET, "0123456789abcdefghijklmnopqrstu")
_CHECK_FOR = [USCC_ALPHABET[(31 - rest) % 31] for rest in range(31)]
_REVERSED_17, _CHECK_AT, _FIRST_TWO = slice(16, None, -1), 17, slice(0, 2)
_USCC_LINES = re.compile(rf"(?:{USCC_SHAPE}\n)*+{USCC_SHAPE}", re.ASCII)


def _remember(codes: list[str], kinds: Iterable[int]) -> None:
    pairs = list(zip(map(getitem, codes, repeat(_FIRST_TWO)), kinds))  # noqa: B905 (kinds may be endless)
    for pair in set(pairs).difference(_NUMBER):
        _NUMBER[pair] = len(PREFIX_KIND_VALUES)
        PREFIX_KIND_VALUES.append(pair)
        _KIND_OF.append(pair[1])
    CODES.update(zip(codes, map(_NUMBER.__getitem__, pairs), strict=True))


def fill_kinds(codes: list[str]) -> None:
    """Compute and remember the kinds of many codes at once: the check characters of those with the USCC shape
    are computed column-wise; a code without that shape, or not a valid USCC, or that could also be an ID number
    (digits only), is judged on its own."""
    if len(CODES) > _CODES_LIMIT:
        CODES.clear()
        CODES[None] = 0
    joined = "\n".join(codes)
    if joined.count("\n") == len(codes) - 1 and _USCC_LINES.fullmatch(joined):
        other: list[str] = []  # every code has the USCC shape (one expression over all of them)
    else:
        shaped = list(map(_USCC.fullmatch, codes))
        other = list(compress(codes, map(not_, shaped)))
        codes = list(compress(codes, shaped))
    _remember(other, map(_kind, other))
    sums = map(int, map(str.translate, map(getitem, codes, repeat(_REVERSED_17)), repeat(_BASE34)), repeat(34))
    right = map(eq, map(_CHECK_FOR.__getitem__, map(mod, sums, repeat(31))), map(getitem, codes, repeat(_CHECK_AT)))
    plain = list(map(and_, right, map(is_, map(_RIC.fullmatch, codes), repeat(None))))  # valid, not digits only
    _remember(list(compress(codes, plain)), repeat(USCC))
    other = list(compress(codes, map(not_, plain)))
    _remember(other, map(_kind, other))


def prefix_kinds(codes: Sequence[str | None]) -> list[int]:
    """For each code of a column (None for none), the number of its (first two characters, kind) in
    PREFIX_KIND_VALUES; each distinct new code is computed once, column-wise, and remembered."""
    try:
        return list(map(CODES.__getitem__, codes))
    except KeyError:  # new codes
        fill_kinds(list(set(codes).difference(CODES)))
        return list(map(CODES.__getitem__, codes))


def kinds_of(codes: Sequence[str]) -> list[int]:
    """The kind (USCC / RIC bits) of each code of a column."""
    return list(map(_KIND_OF.__getitem__, prefix_kinds(codes)))


def code_kind(code: str) -> int:
    """USCC when `code` is a 统一社会信用代码 with a right check character (GB 32100-2015; the `S mod 31 = 0` case
    gives `0`), RIC when it is a 公民身份号码 with a real birth date and a right check character (GB 11643-1999), both
    for an 18-digit code that happens to pass both, 0 otherwise."""
    number = CODES.get(code)
    if number is None:
        fill_kinds([code])
        number = CODES[code]
    return _KIND_OF[number]


def uscc_valid(code: str) -> bool:
    return bool(code_kind(code) & USCC)


def ric_valid(number: str) -> bool:
    return bool(code_kind(number) & RIC)


def uscc_or_ric_valid(code: str) -> bool:
    return code_kind(code) != 0


def impl_code_valid(code: str) -> bool:
    """The first 18 characters of a 实施清单编码 are the implementing body's USCC (catalog.md §3)."""
    return uscc_valid(code[:18])


CHECKS = {"uscc": uscc_valid, "ric": ric_valid, "uscc_or_ric": uscc_or_ric_valid, "impl_code": impl_code_valid}
CHECK_SHAPES = {"uscc": (USCC_SHAPE, "应为 18 位统一社会信用代码"),
                "ric": (RIC_SHAPE, "应为 18 位公民身份号码"),
                "uscc_or_ric": (f"(?:{USCC_SHAPE}|{RIC_SHAPE})", "应为 18 位统一社会信用代码或公民身份号码"),
                "impl_code": (IMPL_SHAPE, "应为实施机构统一社会信用代码（18 位）+ 行使层级（1–5）+ 编码")}
CHECK_LABELS = {"uscc": "统一社会信用代码校验位（GB 32100-2015）",
                "ric": "公民身份号码出生日期与校验码（GB 11643-1999）",
                "uscc_or_ric": "统一社会信用代码或公民身份号码校验位",
                "impl_code": "前 18 位实施机构统一社会信用代码校验位"}


def shown(value: Any, limit: int = 40) -> str:
    """A value as quoted in a message: ID numbers masked (personal data), long texts cut."""
    text = value if isinstance(value, str) else str(value)
    if _RIC.fullmatch(text) and not uscc_valid(text):
        return mask_ric(text)
    return text if len(text) <= limit else text[:limit] + "…"
