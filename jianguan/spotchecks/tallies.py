"""The leaders' dashboard figure of 双随机 spot checks (`core.tallies`): the drawn objects per month of their
task's window end, checked (a result entered) or not yet; the coverage is the checked share."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Value, When
from django.urls import reverse

from jianguan.core.tallies import Tally, TallyRow, by_month

from .models import CheckResult


def _coverage(first: dt.date, last: dt.date) -> list[TallyRow]:
    rows = CheckResult.objects.annotate(state=Case(When(entered_at__isnull=False, then=Value("checked")),
                                                   default=Value("unchecked")))
    return by_month(rows, date="draw__task__window_end", key="state", first=first, last=last,
                    department="draw__task__lead_id")


TALLIES = [Tally("spotchecks", "双随机抽查覆盖（按检查结束月份）", _coverage,
                 {"checked": "已检查", "unchecked": "未检查"}, lambda key, month: reverse("spotchecks:index"),
                 order=60)]
