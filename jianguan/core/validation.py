"""Checks of single values that many services share; each refusal names the field and the rule.

`require` (a condition, else the refusal), `text` (required or optional, stripped, at most so many characters),
`day` (a date: given, defaulted or required; not in the future unless allowed), `parse_date`, `not_future`,
`parse_amount` (money to the fen). Every service checks its inputs with these, not with copies of them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from .errors import ValidationFailed


def require(condition: Any, message: str, code: str, field: str | None = None) -> None:
    """Refuse (`ValidationFailed` with `code` and `field`) unless `condition` holds."""
    if not condition:
        raise ValidationFailed(message, code=code, field=field)


def text(value: Any, field: str, label: str, *, required: bool = True, max_len: int = 4000) -> str:
    """A text stripped of surrounding blanks (None is empty): refused when required and empty (`required`) or
    longer than `max_len` characters (`too_long`)."""
    stripped = "" if value is None else str(value).strip()
    require(stripped or not required, f"缺少必填字段“{label}”", "required", field)
    require(len(stripped) <= max_len, f"“{label}”不能超过 {max_len} 字", "too_long", field)
    return stripped


def day(value: Any, field: str, label: str, *, default: dt.date | None = None, future: bool = False,
        today: dt.date | None = None) -> dt.date:
    """A date (`parse_date`); empty means `default`, refused as `required` without one; a date after `today`
    (default: today) is refused unless `future` (`date_in_future`)."""
    if value in (None, ""):
        require(default is not None, f"缺少必填字段“{label}”", "required", field)
        return default  # type: ignore[return-value]
    parsed = parse_date(value, field, label)
    return parsed if future else not_future(parsed, field, label, today=today)


def parse_date(value: Any, field: str, label: str | None = None) -> dt.date:
    """A date given as a date or as `YYYY-MM-DD` (`date_invalid` otherwise)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(f"“{label or field}”应为日期（YYYY-MM-DD），实为“{value}”", code="date_invalid",
                               field=field) from None


def not_future(value: dt.date, field: str, label: str | None = None, *, today: dt.date | None = None) -> dt.date:
    """A date of something that has happened: not after `today` (default: today) (`date_in_future`)."""
    if value > (today or timezone.localdate()):
        raise ValidationFailed(f"“{label or field}”不能晚于今天", code="date_in_future", field=field)
    return value


def parse_amount(value: Any, field: str, label: str | None = None, *, code: str = "amount_invalid") -> Decimal | None:
    """An amount of money: empty means none; otherwise a finite number not below 0, kept to the fen."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        raise ValidationFailed(f"“{label or field}”应为不小于 0 的金额，实为“{value}”", code=code, field=field)
    return amount.quantize(Decimal("0.01"))
