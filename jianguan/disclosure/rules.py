"""The rules of law a disclosure item follows (disclosure-credit.md §3–§5): its clock, the rules that keep it
unpublished, its publicity period and the withdrawal clock.

- Clock: 行政许可 (received through the exchange, ADR 0062: counted from its 许可决定日期) and 行政处罚 decisions
  are published (双公示) within 7 working days of the decision, other enforcement decisions (行政检查 results,
  行政强制) within 20 working days (国办发〔2018〕118号《关于全面推行行政执法
  公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》); a 市场监督管理 penalty reaches 国家企业信用信息
  公示系统 within 20 working days (SAMR 令第45号 第十条), later than the 7 of 双公示, so the 7 binds. Working days
  follow the platform's holiday calendar (`core.calendar`).
- Not published: the party is a minor (《未成年人保护法》第一百零三条), the facts involve state or commercial
  secrets or personal privacy (《政府信息公开条例》第十四条、第十五条), a reviewer rules it unsuitable (with a
  reason); a 市场监督管理 decision that is warning-only or made under the 简易程序 (SAMR 令第45号 第七条).
- Period: a penalty as credit computes it (`credit.contracts.penalty_publication`, 令第45号 第十四条: 3 months for
  通报批评 or a 较低数额罚款, otherwise 3 years, a longer 限制 measure its own length); an entered 限制 end later
  than that extends it; other decisions 3 years [unconfirmed: no national period; the 双公示 default].
- Withdrawal: within `JIANGUAN_DISCLOSURE_WITHDRAW_WORKING_DAYS` (3) working days of the decision being changed,
  revoked, confirmed illegal or void, with the reason shown publicly (《行政处罚法》第四十八条; 令第45号 第十五条).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from jianguan.accounts.models import DepartmentKind
from jianguan.core.calendar import add_working_days
from jianguan.core.protect import unseal
from jianguan.credit import contracts as credit

from .models import SourceKind, WithheldRule

GUIDANCE = "国办发〔2018〕118号"
SAMR_45 = "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）"
CLOCKS = {
    SourceKind.PENALTY: (7, f"{GUIDANCE}：行政处罚决定 7 个工作日内公示（双公示）"),
    SourceKind.LICENCE: (7, f"{GUIDANCE}：行政许可决定 7 个工作日内公示（双公示）"),
    SourceKind.INSPECTION: (20, f"{GUIDANCE}：其他行政执法决定 20 个工作日内公示"),
    SourceKind.COERCION: (20, f"{GUIDANCE}：其他行政执法决定 20 个工作日内公示"),
}
WITHHELD_BASIS = {
    WithheldRule.MINOR: "《未成年人保护法》第一百零三条",
    WithheldRule.SECRETS: "《政府信息公开条例》第十四条、第十五条",
    WithheldRule.UNSUITABLE: f"{GUIDANCE}；经审核认定不宜公开",
    WithheldRule.WARNING_ONLY: f"{SAMR_45}第七条",
    WithheldRule.SIMPLE_PROCEDURE: f"{SAMR_45}第七条",
}
# The rules a reviewer applies by hand (the others are found when the item is made).
REVIEWER_RULES = (WithheldRule.SECRETS, WithheldRule.UNSUITABLE)
WITHDRAW_BASIS = f"《行政处罚法》第四十八条；{SAMR_45}第十五条"
OTHER_PERIOD_MONTHS = 36
ADULT_YEARS = 18


def clock(kind: str, decided_on: dt.date) -> tuple[int, str, dt.date]:
    """(working days, basis, due day) of a decision of `kind` made on `decided_on`: published on the due day
    itself is in time, the day after is late."""
    days, basis = CLOCKS[SourceKind(kind)]
    return days, basis, add_working_days(decided_on, days)


def withdraw_due(changed_on: dt.date) -> dt.date:
    """The last day to withdraw an item whose decision was changed, revoked or found illegal on `changed_on`."""
    return add_working_days(changed_on, settings.JIANGUAN_DISCLOSURE_WITHDRAW_WORKING_DAYS)


def birth_date(id_number: str) -> dt.date | None:
    """The birth date in an 18-digit 居民身份证 number (GB 11643 digits 7–14), None when it has none."""
    digits = id_number[6:14]
    if len(id_number) != 18 or not digits.isdigit():
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def is_minor(id_number: str, on: dt.date) -> bool:
    """Whether the holder of `id_number` was under 18 on `on` (the eighteenth birthday makes an adult)."""
    born = birth_date(id_number)
    if born is None:
        return False
    try:
        adult_on = born.replace(year=born.year + ADULT_YEARS)
    except ValueError:  # born 29 February: an adult from 1 March
        adult_on = dt.date(born.year + ADULT_YEARS, 3, 1)
    return on < adult_on


def _party_id(record: Any) -> str:
    """The natural person party's ID number: the registered person's, or the one a received licence carries."""
    person = getattr(record, "person", None)
    return unseal(person.id_sealed) if person is not None else str(getattr(record, "party_id_number", "") or "")


@dataclass(frozen=True)
class Withheld:
    rule: str
    basis: str
    reason: str


def withheld_at_creation(kind: str, record: Any, department_kind: str) -> Withheld | None:
    """The rule that keeps a decision unpublished from the start, None when it is to be published."""
    if is_minor(_party_id(record), record.date):
        return Withheld(WithheldRule.MINOR, WITHHELD_BASIS[WithheldRule.MINOR], "当事人作出决定时未满十八周岁")
    if kind != SourceKind.PENALTY or department_kind != DepartmentKind.SCJG:
        return None
    if record.procedure == "01":
        rule = WithheldRule.SIMPLE_PROCEDURE
    elif {str(k) for k in record.penalty_kinds or ()} == {"01"}:
        rule = WithheldRule.WARNING_ONLY
    else:
        return None
    return Withheld(rule, WITHHELD_BASIS[rule], str(WithheldRule(rule).label))


def period(kind: str, record: Any, restriction_ends_on: dt.date | None) -> tuple[str, dt.date]:
    """(label, last day) of the publicity period of a decision of `kind` (`record` its behaviour row)."""
    if kind == SourceKind.PENALTY:
        found = credit.penalty_publication(record)
        label, ends = found.reason, found.ends_on or credit.add_months(record.date, OTHER_PERIOD_MONTHS)
    else:
        label, ends = "公示 3 年", credit.add_months(record.date, OTHER_PERIOD_MONTHS)
    if restriction_ends_on is not None and restriction_ends_on > ends:
        return "限制期限长于公示期限，公示至限制期满", restriction_ends_on
    return label, ends
