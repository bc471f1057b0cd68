"""检查比例 and 检查频次 of an implementation row, read from the published text.

The list publishes both as text ("5%", "每年不少于1次"); the platform keeps the text as published and reads it into
values it can act on: a ratio (0–1) that a spot-check task starts from, and a period (year, half year, quarter,
month) with the least number of checks in it, which the due-for-a-check list counts against.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

PERIODS = {"year": "每年", "half_year": "每半年", "quarter": "每季度", "month": "每月"}
_PERIOD_WORDS = {"年": "year", "一年": "year", "半年": "half_year", "季": "quarter", "季度": "quarter",
                 "一季度": "quarter", "月": "month", "个月": "month", "一个月": "month"}
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_FREQUENCY = re.compile(r"^\s*每\s*(一年|半年|年|一季度|季度|季|一个月|个月|月)\s*(?:不少于|不低于|至少|最少)?\s*"
                        r"([0-9]+|[一二两三四五六七八九十])\s*次\s*(?:以上)?\s*$")
_CLAUSES = re.compile(r"[；;，,。]")
_PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*[%％]\s*$")
_DECIMAL = re.compile(r"^\s*(0(?:\.[0-9]+)?|1(?:\.0+)?)\s*$")


def parse_frequency(text: str) -> tuple[str, int] | None:
    """"每年不少于1次" → ("year", 1); "每季度至少两次" → ("quarter", 2); the first clause decides ("每年不少于1次；
    风险等级高的增加频次" → ("year", 1)); None when it says no such thing ("春秋季开学前后各1次")."""
    found = _FREQUENCY.match(_CLAUSES.split(text or "", maxsplit=1)[0])
    if not found:
        return None
    word, times = found.groups()
    count = int(times) if times.isdigit() else _NUMERALS[times]
    return (_PERIOD_WORDS[word], count) if count >= 1 else None


def parse_ratio(text: str) -> Decimal | None:
    """"5%" → 0.05, "0.05" → 0.05; None when the text is not a ratio between 0 and 1."""
    text = text or ""
    try:
        if found := _PERCENT.match(text):
            value = Decimal(found.group(1)) / 100
        elif found := _DECIMAL.match(text):
            value = Decimal(found.group(1))
        else:
            return None
    except InvalidOperation:
        return None
    return value.normalize() if 0 < value <= 1 else None


def period_start(period: str, day: dt.date) -> dt.date:
    """The first day of the period (calendar year, half year, quarter or month) that holds `day`."""
    if period == "year":
        return day.replace(month=1, day=1)
    if period == "half_year":
        return day.replace(month=1 if day.month <= 6 else 7, day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def label(period: str, times: int) -> str:
    return f"{PERIODS[period]}不少于{times}次"
