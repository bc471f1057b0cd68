"""The clocks of a penalty case: each open step's due date and the rule it comes from.

Working days count under the Chinese holiday calendar (`core.calendar.add_working_days`): 行政处罚法 第八十五条
makes its 2-, 3-, 5- and 7-day periods working days; the SAMR rules say 工作日 where they mean it. The 15-day
payment period and the 90- and 30-day decision periods are calendar days (enforcement.md, "Counting days").

| step | due | rule |
|---|---|---|
| 立案 decision | by the line's rule set (`procedure.py`); 市场监管: 15 wd, +15 wd on approval | SAMR 第十八条 … |
| 先行登记保存 | decide within 7 wd of taking it | 行政处罚法 第五十六条 |
| 法制审核 | 10 wd from receiving the file [practice] | SAMR 法制审核 practice |
| hearing request | within 5 wd of the notice | 行政处罚法 第六十四条 |
| hearing notice | at least 7 wd before the hearing | 行政处罚法 第六十四条 |
| decision | 90 days from 立案 (+30 on approval where the line's rule set allows it, further by collective
  discussion); hearing, announcement, testing and appraisal not counted | 行政处罚法 第六十条 and the line's rule |
| service | within 7 wd of the decision | 行政处罚法 第六十一条 |
| payment | 15 days from service; late fee 3 %/day, at most the fine | 行政处罚法 第六十七条、第七十二条 |
| 当场处罚备案 | 3 wd [config, unconfirmed] | 行政处罚法 第五十二条 |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from jianguan.core.calendar import add_working_days

from .procedure import Period, RuleSet, for_line

PRESERVATION_WORKING_DAYS = 7  # [law]
LEGAL_REVIEW_WORKING_DAYS = 10  # [practice]
HEARING_REQUEST_WORKING_DAYS = 5  # [law]
HEARING_NOTICE_WORKING_DAYS = 7  # [law]
SERVICE_WORKING_DAYS = 7  # [law]
PAYMENT_DAYS = 15  # [law]
LATE_FEE_RATE = Decimal("0.03")  # [law] per day
SIMPLE_FILING_WORKING_DAYS = 3  # [config, unconfirmed]: the law says only "备案"
DUE_SOON_DAYS = 3  # [config] calendar days ahead that count as "due soon"
LIMITATION_YEARS = 2  # [law] 行政处罚法 第三十六条
LIMITATION_YEARS_GRAVE = 5  # [law] where life, health or financial safety was harmed

RULES = {
    "preservation": "《行政处罚法》第五十六条：先行登记保存的，应当在七日（工作日）内及时作出处理决定",
    "legal_review": "重大执法决定法制审核（《行政处罚法》第五十八条）：收到案卷之日起十个工作日内",
    "hearing_request": "《行政处罚法》第六十四条：当事人在告知后五日（工作日）内提出听证要求",
    "hearing_notice": "《行政处罚法》第六十四条：在举行听证的七日（工作日）前通知当事人",
    "service": "《行政处罚法》第六十一条：七日（工作日）内送达行政处罚决定书",
    "payment": "《行政处罚法》第六十七条：自收到行政处罚决定书之日起十五日内缴纳罚款；第七十二条：逾期每日按罚款数额"
               "的百分之三加处罚款，不超过罚款数额",
    "simple_filing": "《行政处罚法》第五十二条：当场作出的行政处罚决定报所属行政机关备案（期限三个工作日，可配置）",
    "limitation": "《行政处罚法》第三十六条：违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、"
                  "金融安全且有危害后果的，延长至五年",
}


@dataclass(frozen=True)
class Step:
    """An open step of a case: what is due, by when, who acts, and the rule behind the date."""

    key: str
    label: str
    due: dt.date
    rule: str
    who: str = "handler"

    def state(self, today: dt.date) -> str:
        if self.due < today:
            return "overdue"
        if self.due <= today + dt.timedelta(days=DUE_SOON_DAYS):
            return "due_soon"
        return "open"


def _after(start: dt.date, days: int, period: Period) -> dt.date:
    return add_working_days(start, days) if period.working_days else start + dt.timedelta(days=days)


def check_due(received_on: dt.date, *, rules: RuleSet, extended: bool = False) -> dt.date:
    """The 立案 decision's date under the line's rule set, counted from discovery or receipt (the day itself not
    counted), with the approved extension when `extended` (市场监管: 15 working days, 30 when extended,
    《市场监督管理行政处罚程序规定》第十八条)."""
    period = rules.check
    return _after(received_on, period.days + ((period.extension or 0) if extended else 0), period)


def preservation_due(taken_on: dt.date) -> dt.date:
    return add_working_days(taken_on, PRESERVATION_WORKING_DAYS)


def legal_review_due(submitted_on: dt.date) -> dt.date:
    return add_working_days(submitted_on, LEGAL_REVIEW_WORKING_DAYS)


def hearing_request_due(notified_on: dt.date) -> dt.date:
    return add_working_days(notified_on, HEARING_REQUEST_WORKING_DAYS)


def earliest_hearing(notice_sent_on: dt.date) -> dt.date:
    """The first day a hearing may be held when its notice goes out on `notice_sent_on` (7 working days ahead)."""
    return add_working_days(notice_sent_on, HEARING_NOTICE_WORKING_DAYS)


def service_due(decided_on: dt.date) -> dt.date:
    return add_working_days(decided_on, SERVICE_WORKING_DAYS)


def payment_due(served_on: dt.date) -> dt.date:
    return served_on + dt.timedelta(days=PAYMENT_DAYS)


def simple_filing_due(decided_on: dt.date) -> dt.date:
    return add_working_days(decided_on, SIMPLE_FILING_WORKING_DAYS)


def limitation_ends(violation_on: dt.date, *, grave: bool = False) -> dt.date:
    years = LIMITATION_YEARS_GRAVE if grave else LIMITATION_YEARS
    try:
        return violation_on.replace(year=violation_on.year + years)
    except ValueError:  # 29 February
        return violation_on.replace(year=violation_on.year + years, day=28)


def suspended_days(periods: Iterable[tuple[dt.date, dt.date | None]], today: dt.date) -> int:
    """Calendar days covered by the periods (an open period runs to `today`); overlapping periods count once.

    A period from S to E takes E − S days out of the clock: the clock stops on S and runs again on E.
    """
    spans = sorted((start, end or today) for start, end in periods if (end or today) > start)
    total, reach = 0, None
    for start, end in spans:
        if reach is not None and start < reach:
            start = reach
        if end > start:
            total += (end - start).days
            reach = end
    return total


def decision_due(filed_on: dt.date, *, rules: RuleSet, extension_days: int = 0,
                 suspensions: Iterable[tuple[dt.date, dt.date | None]] = (), today: dt.date) -> dt.date:
    """90 days from 立案 (《行政处罚法》第六十条, the line's rule set may differ), plus approved extensions, plus the
    days not counted (hearing, announcement, testing …)."""
    period = rules.decision
    return _after(filed_on, period.days + extension_days + suspended_days(suspensions, today), period)


def late_fee(fine: Decimal, due_on: dt.date, paid_on: dt.date) -> Decimal:
    """加处罚款: 3 % of the fine for every day after `due_on`, never above the fine (行政处罚法 第七十二条)."""
    days = max(0, (paid_on - due_on).days)
    fee = (fine * LATE_FEE_RATE * days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(fee, fine)


def open_steps(case, *, today: dt.date) -> list[Step]:
    """The steps of `case` that have a clock running, with their due dates and rules; the 立案 and decision clocks
    cite the rule set of the acting department's line (`procedure.py`)."""
    status = case.status
    rules = for_line(case.department.kind)
    steps: list[Step] = []
    if status in ("clue", "filing_review"):
        steps.append(Step("check", str(_("核查并决定是否立案")), case.check_due, rules.check.citation,
                          "leader" if status == "filing_review" else "handler"))
    if case.filed_on and not case.decided_on and status not in ("transferred", "closing_review", "closed",
                                                                 "archived"):
        steps.append(Step("decision", str(_("作出处罚决定")), case.decision_due or case.filed_on,
                          rules.decision.citation,
                          "leader"))
    if status == "investigating":
        for preservation in case.preservations.all():
            if preservation.approved_on and not preservation.decided_on:
                steps.append(Step(f"preservation-{preservation.pk}", str(_("对先行登记保存的证据作出处理决定")),
                                  preservation.due, RULES["preservation"]))
    if status == "legal_review" and case.legal_review_submitted_on:
        steps.append(Step("legal_review", str(_("法制审核")), legal_review_due(case.legal_review_submitted_on),
                          RULES["legal_review"], "legal_reviewer"))
    if status == "notified" and case.hearing_right and not case.hearing_waived and case.notified_on:
        steps.append(Step("hearing_request", str(_("当事人申请听证的期限")), hearing_request_due(case.notified_on),
                          RULES["hearing_request"]))
    hearing = getattr(case, "hearing", None) if status in ("hearing_requested", "hearing_scheduled") else None
    if hearing is not None and status == "hearing_scheduled" and hearing.held_on:
        steps.append(Step("hearing", str(_("举行听证")), hearing.held_on, RULES["hearing_notice"]))
    if status == "decided" and case.decided_on:
        steps.append(Step("service", str(_("送达行政处罚决定书")), service_due(case.decided_on), RULES["service"]))
    if status == "handed_over" and case.simple_filing_due:
        steps.append(Step("simple_filing", str(_("当场处罚决定备案")), case.simple_filing_due, RULES["simple_filing"]))
    payment = getattr(case, "payment", None) if status in ("served", "handed_over") else None
    if payment is not None and not payment.paid_on and not payment.enforcement_applied_on:
        steps.append(Step("payment", str(_("缴纳罚款")), payment.due_on, RULES["payment"]))
    return sorted(steps, key=lambda step: step.due)
