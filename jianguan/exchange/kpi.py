"""The department evaluation's figure of the exchange repair queue (`core.measures`): records refused by our checks
or the receiver's, repaired and re-reported by their department within `REPAIR_DAYS` days of being found.

The platform sets no statutory deadline for a repair; `REPAIR_DAYS` is the default the evaluation office uses until
it sets one. An item's due day is the local day it was found plus `REPAIR_DAYS`; a dismissed item (作废) is not
counted; an item still open when its due day passed counts as due and not done."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianguan.core.measures import Counts, Measure

from .models import RepairItem, RepairStatus

REPAIR_DAYS = 7


def _repaired(first: dt.date, last: dt.date) -> Counts:
    last = min(last, timezone.localdate())
    if last < first:
        return {}
    days = dt.timedelta(days=REPAIR_DAYS)
    rows = (RepairItem.objects.exclude(status=RepairStatus.DISMISSED)
            .filter(created_at__date__range=(first - days, last - days)).order_by()
            .values_list("department_id", "created_at", "fixed_at", "status"))
    counts: dict[int, list[int]] = {}
    for department, found, fixed, status in rows.iterator(chunk_size=2000):
        due = timezone.localdate(found) + days
        tally = counts.setdefault(department, [0, 0])
        tally[1] += 1
        if status == RepairStatus.FIXED and fixed is not None and timezone.localdate(fixed) <= due:
            tally[0] += 1
    return {department: (done, due_n) for department, (done, due_n) in counts.items()}


MEASURES = [Measure("repairs_on_time", "问题数据按期整改率",
                    f"整改期限（发现后 {REPAIR_DAYS} 日）在本月的问题数据中，在期限内整改重报的", _repaired)]
