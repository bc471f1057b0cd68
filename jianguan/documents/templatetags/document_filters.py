"""Filters every document template has without `{% load %}`: blanks to fill by hand, Chinese dates and amounts.

A value the caller did not pass renders as a ruled blank (`fill`), never as an error: a 文书 printed with a gap
can be completed by pen, a crash cannot.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

_WIDTHS = {"xs": "3em", "s": "6em", "m": "10em", "l": "16em", "xl": "24em"}


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _blank(width: str) -> SafeString:
    size = _WIDTHS.get(width, width if width.endswith("em") else "10em")
    return format_html('<span class="blank" style="width:{}"></span>', size)


@register.filter(is_safe=True)
def fill(value: Any, width: str = "m") -> str:
    """The value, or a ruled blank of `width` (xs, s, m, l, xl or an em size) to fill by hand."""
    if _is_blank(value):
        return _blank(str(width))
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value if not _is_blank(v))
    return conditional_escape(value)


@register.filter(is_safe=True)
def paragraphs(value: Any, blank_lines: int = 3) -> str:
    """Text as paragraphs (one per line; a list gives one each), or `blank_lines` ruled lines to write on."""
    if isinstance(value, (list, tuple)):
        lines = [str(v).strip() for v in value]
    else:
        lines = [] if _is_blank(value) else str(value).splitlines()
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return format_html_join("", '<div class="{}"></div>', (("ruled",) for _ in range(_count(blank_lines))))
    return format_html_join("", '<p class="para">{}</p>', ((line,) for line in lines))


def _count(value: Any, default: int = 3) -> int:
    try:
        return max(0, min(int(value), 40))
    except (TypeError, ValueError):
        return default


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


@register.filter(is_safe=True)
def cn_date(value: Any) -> str:
    """An ISO date as 2026年3月5日; missing → 　　年　　月　　日 to fill in; text that is no date is kept."""
    day = _as_date(value)
    if day is not None:
        return f"{day.year}年{day.month}月{day.day}日"
    if isinstance(value, str) and value.strip():
        return conditional_escape(value)
    return format_html('{}年{}月{}日', _blank("3.5em"), _blank("2em"), _blank("2em"))


@register.filter(is_safe=True)
def cn_datetime(value: Any) -> str:
    """An ISO date-time as 2026年3月5日9时30分; missing → blanks."""
    if isinstance(value, str) and len(value.strip()) > 10:
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return conditional_escape(value)
        return f"{moment.year}年{moment.month}月{moment.day}日{moment.hour}时{moment.minute:02d}分"
    return cn_date(value)


def _decimal(value: Any) -> Decimal | None:
    if _is_blank(value) or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None


@register.filter(is_safe=True)
def yuan(value: Any) -> str:
    """An amount as 5,000.00元 (a value that is no number is shown as given; missing → blank)."""
    amount = _decimal(value)
    if amount is None:
        return fill(value, "s")
    return f"{amount:,.2f}元"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿", "万亿"]


def rmb_upper_text(amount: Decimal) -> str:
    """人民币大写 as on Chinese financial documents: 5000 → 伍仟元整, 1234.5 → 壹仟贰佰叁拾肆元伍角."""
    if amount < 0:
        return "负" + rmb_upper_text(-amount)
    cents = int((amount * 100).quantize(Decimal(1)))
    whole, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = ""
    if whole:
        groups = []
        while whole:
            groups.append(whole % 10000)
            whole //= 10000
        parts: list[str] = []
        zero_pending = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                zero_pending = bool(parts)
                continue
            chunk = ""
            digits = [group // 1000 % 10, group // 100 % 10, group // 10 % 10, group % 10]
            started = False
            zero = zero_pending or (bool(parts) and group < 1000)
            for position, digit in enumerate(digits):
                if digit == 0:
                    zero = zero or started
                    continue
                if zero:
                    chunk += "零"
                    zero = False
                chunk += _DIGITS[digit] + _SMALL[3 - position]
                started = True
            parts.append(chunk + _BIG[index])
            zero_pending = False
        text = "".join(parts) + "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return text


@register.filter(is_safe=True)
def rmb_upper(value: Any) -> str:
    """人民币大写 of an amount (missing → blank)."""
    amount = _decimal(value)
    if amount is None:
        return fill(value, "l")
    return conditional_escape(rmb_upper_text(amount))


@register.filter(is_safe=True)
def check(value: Any) -> str:
    """☑ when truthy, ☐ otherwise (check boxes on forms)."""
    return "☑" if value and value not in ("false", "0", "no") else "☐"
