"""Checks of single values that many services share; each refusal names the field and the rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from .errors import ValidationFailed


def parse_date(value: Any, field: str, label: str | None = None) -> dt.date:
    """A date given as a date or as `YYYY-MM-DD` (`date_invalid` otherwise)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(f"“{label or field}”应为日期（YYYY-MM-DD），实为“{value}”", code="date_invalid",
                               field=field) from None


def not_future(day: dt.date, field: str, label: str | None = None) -> dt.date:
    """A date of something that has happened: not after today (`date_in_future`)."""
    if day > timezone.localdate():
        raise ValidationFailed(f"“{label or field}”不能晚于今天", code="date_in_future", field=field)
    return day


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
