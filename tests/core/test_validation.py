"""The shared checks of single values (`core.validation`): each refusal names the field and the rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jianguan.core.errors import ValidationFailed
from jianguan.core.validation import day, not_future, parse_amount, require, text


def _refusal(call, *args, **kwargs) -> tuple[str, str | None, str]:
    with pytest.raises(ValidationFailed) as refused:
        call(*args, **kwargs)
    return refused.value.code, refused.value.field, refused.value.message


def test_require_refuses_with_the_code_and_field_given():
    require(True, "不会出现", "never")
    assert _refusal(require, [], "缺少处罚种类", "required", "penalty_kinds") == (
        "required", "penalty_kinds", "缺少处罚种类")


def test_text_is_stripped_required_unless_optional_and_bounded():
    assert text("  案由  ", "cause", "案由") == "案由"
    assert text(None, "opinion", "意见", required=False) == ""
    assert _refusal(text, "   ", "cause", "案由") == ("required", "cause", "缺少必填字段“案由”")
    assert _refusal(text, None, "cause", "案由") == ("required", "cause", "缺少必填字段“案由”")
    assert text("很" * 20, "kind", "期间类型", max_len=20) == "很" * 20
    assert _refusal(text, "很" * 21, "kind", "期间类型", max_len=20) == ("too_long", "kind", "“期间类型”不能超过 20 字")
    assert _refusal(text, "很" * 4001, "facts", "违法事实")[0] == "too_long"  # 4000 unless told


def test_day_parses_defaults_and_refuses_the_future_unless_allowed():
    today = dt.date(2026, 3, 10)
    assert day("2026-03-01", "on", "日期", today=today) == dt.date(2026, 3, 1)
    assert day(dt.date(2026, 3, 10), "on", "日期", today=today) == today
    assert day("", "on", "日期", default=today) == today
    assert day(None, "on", "日期", default=dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert _refusal(day, "", "on", "日期") == ("required", "on", "缺少必填字段“日期”")
    assert _refusal(day, "2026-02-30", "on", "日期")[:2] == ("date_invalid", "on")
    assert _refusal(day, "2026-03-11", "on", "日期", today=today) == ("date_in_future", "on", "“日期”不能晚于今天")
    assert day("2026-03-11", "deadline", "改正期限", today=today, future=True) == dt.date(2026, 3, 11)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert _refusal(day, tomorrow.isoformat(), "on", "日期")[0] == "date_in_future"  # today unless told


def test_not_future_takes_the_callers_today():
    assert not_future(dt.date(2026, 3, 10), "on", today=dt.date(2026, 3, 10)) == dt.date(2026, 3, 10)
    assert _refusal(not_future, dt.date(2026, 3, 11), "on", today=dt.date(2026, 3, 10))[0] == "date_in_future"


def test_amounts_are_kept_to_the_fen_and_never_negative():
    assert parse_amount("3000", "fine", "罚款金额") == Decimal("3000.00")
    assert parse_amount("", "fine") is None
    assert _refusal(parse_amount, "-1", "fine", "罚款金额")[:2] == ("amount_invalid", "fine")
    assert _refusal(parse_amount, "NaN", "fine", "罚款金额")[0] == "amount_invalid"
