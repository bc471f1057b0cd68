"""Amounts set by law or by configuration, each with the date it takes effect, so that an act is judged by the
rule in force on its day.

- 简易程序 (当场处罚): a warning, or a fine of at most 200 yuan for a citizen / 3,000 yuan for an organisation
  (行政处罚法 2021 第五十一条, in force 2021-07-15); 50 / 1,000 yuan before (1996 第三十三条).
- 较大数额罚款 that gives the right to a hearing (行政处罚法 第六十三条): set per province or sector. Default
  5,000 yuan for a citizen and 100,000 yuan for an organisation, an example from one city [config, unconfirmed]
  (enforcement.md §2); the Hubei market-supervision value is not known.
- 重大案件 (collective discussion 第五十七条, legal review 第五十八条): default thresholds [config, unconfirmed].

Add a row with a later `effective_from` to change a value; never edit a row that has been used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Amounts:
    effective_from: dt.date
    person: Decimal
    organisation: Decimal
    citation: str

    def for_party(self, party_kind: str) -> Decimal:
        return self.person if party_kind == "person" else self.organisation


SIMPLE_FINE_LIMITS: tuple[Amounts, ...] = (
    Amounts(dt.date(1996, 10, 1), Decimal("50"), Decimal("1000"), "《行政处罚法》（1996年）第三十三条"),
    Amounts(dt.date(2021, 7, 15), Decimal("200"), Decimal("3000"), "《行政处罚法》第五十一条"),
)

HEARING_THRESHOLDS: tuple[Amounts, ...] = (  # [config, unconfirmed]
    Amounts(dt.date(2021, 7, 15), Decimal("5000"), Decimal("100000"), "《行政处罚法》第六十三条（较大数额罚款）"),
)

MAJOR_CASE_FINES: tuple[Amounts, ...] = (  # [config, unconfirmed]
    Amounts(dt.date(2021, 7, 15), Decimal("10000"), Decimal("100000"), "《行政处罚法》第五十七条、第五十八条"),
)

# 处罚种类 (behaviour.services.PENALTY_KINDS codes) allowed on the spot: 警告, 罚款.
SIMPLE_KINDS = frozenset({"01", "02"})
# Heavy penalties that give the right to a hearing whatever the amount (第六十三条): 责令停产停业, 吊销许可证,
# 降低资质等级, 限制开展经营活动, 限制从业, 责令关闭.
HEARING_KINDS = frozenset({"04", "05", "10", "12", "13", "14"})
# Penalties that make a case major whatever the amount [config].
MAJOR_KINDS = frozenset({"04", "05", "14"})


def in_force(table: tuple[Amounts, ...], on: dt.date) -> Amounts:
    """The row of `table` in force on `on` (the latest that has started)."""
    rows = [row for row in table if row.effective_from <= on]
    return max(rows, key=lambda row: row.effective_from) if rows else table[0]


def hearing_due(*, party_kind: str, kinds: list[str], fine: Decimal | None, confiscation: Decimal | None,
                on: dt.date) -> bool:
    """Whether the intended penalty gives the party the right to a hearing (第六十三条)."""
    threshold = in_force(HEARING_THRESHOLDS, on).for_party(party_kind)
    return bool(set(kinds) & HEARING_KINDS) or (fine or 0) >= threshold or (confiscation or 0) >= threshold


def major_case(*, party_kind: str, kinds: list[str], fine: Decimal | None, on: dt.date) -> bool:
    """Whether the intended penalty makes the case major by the configured thresholds."""
    return bool(set(kinds) & MAJOR_KINDS) or (fine or 0) >= in_force(MAJOR_CASE_FINES, on).for_party(party_kind)
