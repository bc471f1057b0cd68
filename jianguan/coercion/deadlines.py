"""The clocks of 行政强制 (行政强制法, 2011), each with its article; values marked [config] are easy to change.

Counting (enforcement.md, "Counting days"): art. 69 makes the law's periods of ten days or less working days
(`jianguan.core.calendar`); longer periods (the 30 days of a measure, the 3 months of a court application) are
calendar days. A period counted in days or months starts on the day after its event (民法典 第二百零一条:
开始的当日不计入). A calendar-day period is not moved off a holiday here: the administration is held to the
earlier date, never the party.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from jianguan.core.calendar import add_working_days

# 行政强制法 第二十五条 (查封、扣押) and 第三十二条 (冻结): at most 30 days, extended once by at most 30 on the head's
# approval with written reasons. Applied to 其他 measures too, as the conservative default. [law]
MEASURE_MAX_DAYS = 30
EXTENSION_MAX_DAYS = 30
# 第十九条: a measure taken on the spot in an emergency is reported to the head within 24 hours for approval. [law]
EMERGENCY_REPORT_HOURS = 24
# 第五十四条 with 第六十九条: the 催告书 is served 10 working days before the application to court. [law]
COURT_DEMAND_WORKING_DAYS = 10
# 第五十三条: within 3 months after the period for review and lawsuit has ended. [law]
COURT_APPLICATION_MONTHS = 3
# 行政复议法 (2023) 第二十条: 60 days; 行政诉讼法 第四十六条: 6 months from knowing the decision. [law]
REVIEW_DAYS = 60
LAWSUIT_MONTHS = 6
# 行政处罚法 第七十二条: 3 % of the fine a day; 行政强制法 第四十五条: never above the principal. [law]
LATE_FEE_RATE = Decimal("0.03")
# 第四十六条: late fees for more than 30 days and a new 催告 before enforcing them. [law]
LATE_FEE_ENFORCE_DAYS = 30
# 第三十六条 gives the right to state and defend; the period is not fixed by law. Common 催告书 forms give three
# days from receipt. [practice] [config]
STATEMENT_WORKING_DAYS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has none (31 Aug + 6 months = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def measure_due(*, starts_on: dt.date, days: int, extension_days: int = 0, excluded_days: int = 0) -> dt.date:
    """The last day of a measure: `days` (+ an approved extension) after the day it began, not counting the
    announced periods of 检测、检验、检疫、技术鉴定 (第二十五条第三款)."""
    return starts_on + dt.timedelta(days=days + extension_days + excluded_days)


def emergency_approval_due(acted_at: dt.datetime) -> dt.datetime:
    """第十九条: the moment by which the head must have been reported to and approved an emergency measure."""
    return acted_at + dt.timedelta(hours=EMERGENCY_REPORT_HOURS)


def statement_due(served_on: dt.date) -> dt.date:
    """The last day the party may state and defend after the 催告书 was served (第三十六条; [config] period)."""
    return add_working_days(served_on, STATEMENT_WORKING_DAYS)


def court_earliest(served_on: dt.date) -> dt.date:
    """第五十四条: the first day an application to court may be made — after 10 working days (第六十九条) have
    passed since the 催告书 was served."""
    return add_working_days(served_on, COURT_DEMAND_WORKING_DAYS) + dt.timedelta(days=1)


def remedy_period_ends(known_on: dt.date) -> dt.date:
    """The last day the party may apply for review (60 days) or sue (6 months) against a decision it learned of
    on `known_on`: whichever ends later."""
    return max(known_on + dt.timedelta(days=REVIEW_DAYS), add_months(known_on, LAWSUIT_MONTHS))


def court_window(remedy_ends: dt.date) -> tuple[dt.date, dt.date]:
    """第五十三条: the application is made after the review/lawsuit period has ended, within 3 months of that."""
    return remedy_ends + dt.timedelta(days=1), add_months(remedy_ends, COURT_APPLICATION_MONTHS)


def late_fee(*, principal: Decimal, payment_due: dt.date, on: dt.date, rate: Decimal = LATE_FEE_RATE) -> Decimal:
    """加处罚款 accrued by `on` for a sum that fell due on `payment_due`: `rate` of the principal for each day
    after it, never above the principal (第四十五条第二款)."""
    days = max(0, (on - payment_due).days)
    accrued = (principal * rate * days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(accrued, principal)


def late_fee_days(*, payment_due: dt.date, on: dt.date) -> int:
    """Days of late fees by `on` (第四十六条 counts them before enforcing)."""
    return max(0, (on - payment_due).days)
