"""A step's input read by the shared rules (`core.validation`): texts, dates, amounts, flags, 处罚种类, and the
people of the department who act."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from jianguan.accounts.models import User
from jianguan.behaviour.contracts import PENALTY_KINDS
from jianguan.core.actors import Actor
from jianguan.core.errors import AccessDenied
from jianguan.core.validation import day, parse_amount, text
from jianguan.core.validation import require as _require


def text_in(data: dict, key: str, label: str, **rules: Any) -> str:
    """The text `data[key]` by the shared rules (`core.validation.text`)."""
    return text(data.get(key), key, label, **rules)


def date_in(data: dict, key: str, label: str, *, today: dt.date, default: dt.date | None = None,
          future: bool = False) -> dt.date:
    """The date `data[key]` by the shared rules (`core.validation.day`), not after the step's `today`."""
    return day(data.get(key), key, label, today=today, default=default, future=future)


def money_in(data: dict, key: str, label: str) -> Decimal | None:
    return parse_amount(data.get(key), key, label)


def flag_in(data: dict, key: str) -> bool:
    value = data.get(key)
    return value is True or str(value).lower() in ("true", "1", "on", "yes")


def kinds_in(data: dict, key: str = "penalty_kinds") -> list[str]:
    kinds = data.get(key) or []
    if isinstance(kinds, str):
        kinds = [k for k in kinds.replace("、", ",").replace(" ", ",").split(",") if k]
    unknown = sorted(set(kinds) - set(PENALTY_KINDS))
    _require(not unknown, f"处罚种类无效：{'、'.join(unknown)}", "penalty_kind_invalid", key)
    return sorted(set(kinds))


def person_actor(actor: Actor) -> User:
    if not isinstance(actor, User):
        raise AccessDenied("案件办理须由本部门人员进行", code="not_permitted")
    return actor


def colleague(username: str, department_id: int, field: str) -> User:
    user = User.objects.filter(username=str(username).strip(), department_id=department_id, is_active=True).first()
    _require(user is not None, f"“{username}”不是本部门人员", "user_unknown", field)
    return user  # type: ignore[return-value]
