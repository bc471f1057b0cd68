"""Keeping the dashboard's figures: every app's tallies (`core.tallies`) counted once for all regions and
departments over the months shown, and the overdue items of the evaluation's measures (`core.measures`, due and
not done in time) per department and month; the rows replace the previous refresh's in one transaction and the
refresh is recorded in the audit chain. Run by the periodic task (`tasks.py`), after the demo seed and when a
data administrator asks."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department, Region, RegionLevel
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref, person
from jianguan.core.errors import AccessDenied
from jianguan.core.months import month_days, months_before
from jianguan.core.registry import evaluation_measures, leader_tallies
from jianguan.core.roles import Role

from .models import Figure, Refresh

MONTHS = 12  # the months the charts show, ending with this month
OVERDUE_MONTHS = 6
OVERDUE = "overdue"

Key = tuple[str, str, int | None, str, str]  # chart, county-level region, department, month, key


def counties() -> dict[str, str]:
    """Each region's county-level region (itself at county level or above)."""
    tree = {code: (level, parent) for code, level, parent in Region.objects.values_list("code", "level", "parent_id")}

    def county(code: str) -> str:
        level, parent = tree[code]
        while level > RegionLevel.COUNTY and parent is not None:
            code = parent
            level, parent = tree[code]
        return code

    return {code: county(code) for code in tree}


def months_shown(today: dt.date) -> list[str]:
    return months_before(today.strftime("%Y-%m"), MONTHS)


def count_all(today: dt.date) -> Counter[Key]:
    """Every figure of the dashboard counted from the apps' records as of `today` (no row read per record)."""
    months = months_shown(today)
    first = month_days(months[0])[0]
    county = counties()
    totals: Counter[Key] = Counter()
    for tally in leader_tallies().values():
        for region, department, month, key, n in tally.count(first, today):
            totals[(tally.code, county.get(region, region), department, month, key)] += n
    home = {pk: county.get(region, region) for pk, region in Department.objects.values_list("pk", "region_id")}
    for code, measure in evaluation_measures().items():
        for month in months[-OVERDUE_MONTHS:]:
            start, end = month_days(month)
            for department, (done, due) in measure.count(start, end).items():
                if due > done and department in home:
                    totals[(OVERDUE, home[department], department, month, code)] += due - done
    return totals


@transaction.atomic
def figures_refresh(*, actor: Actor) -> Refresh:
    """Count the figures again and replace the stored ones."""
    someone = person(actor)
    if someone is not None and not someone.has_role(Role.DATA_ADMIN, Role.SYSTEM_ADMIN):
        raise AccessDenied("只有数据管理员或系统管理员可以刷新驾驶舱数据", code="role_required")
    today = timezone.localdate()
    totals = count_all(today)
    Figure.objects.all().delete()
    Figure.objects.bulk_create(
        (Figure(chart=chart, region_id=region, department_id=department, month=month, key=key, value=n)
         for (chart, region, department, month, key), n in totals.items() if n > 0), batch_size=1000)
    months = months_shown(today)
    refresh = Refresh.objects.create(computed_by=actor_ref(actor).label[:100], first_month=months[0],
                                     last_month=months[-1], rows=len(totals))
    record(actor=actor, verb="leaders.refreshed", target=refresh,
           data={"first_month": months[0], "last_month": months[-1], "rows": len(totals)})
    return refresh
