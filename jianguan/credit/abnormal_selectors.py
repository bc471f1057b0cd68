"""Reads of the platform's own 经营异常名录 (ADR 0043): a department's entries with their clocks and counts, one
entry, the entries due for a proposal to the 严重违法失信名单 after 3 years in the list, and the public entries.

The 3 years (《企业经营异常名录管理暂行办法》第十五条; 《企业信息公示暂行条例》第十七条: 届满3年仍未履行相关
义务的, 列入严重违法（失信）企业名单) are calendar years counted as the law counts periods
(《民法典》第二百零一条、第二百零二条): the day of listing is not counted, the period's last day is the same date
three years on (the month's last day where that date does not exist, 29 February → 28 February), and the entry
is due from the day after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from jianguan.core.scoping import HasScope

from .abnormal_workflow import IN_LIST
from .models import AbnormalEntry, AbnormalReason, AbnormalStatus

YEARS_TO_SERIOUS = 3
PENDING = (AbnormalStatus.PROPOSED, AbnormalStatus.APPROVED)


def period_end(listed_on: dt.date, years: int = YEARS_TO_SERIOUS) -> dt.date:
    """The last day of `years` in the list from `listed_on` (民法典 第二百零二条)."""
    try:
        return listed_on.replace(year=listed_on.year + years)
    except ValueError:  # 29 February: no such day that year, the month's last day
        return listed_on.replace(year=listed_on.year + years, day=28)


@dataclass(frozen=True)
class AbnormalCard:
    """An entry still in the list whose 3 years have run out: what the 严重违法失信名单's proposal needs."""

    entry_id: int
    number: str
    entity_id: int
    uscc: str
    name: str
    reason: str
    reason_label: str
    department_id: int
    department_name: str
    decided_on: dt.date
    period_end: dt.date

    @property
    def due_from(self) -> dt.date:
        return self.period_end + dt.timedelta(days=1)


def entry_list(*, reader: HasScope, status: str = "", reason: str = "") -> QuerySet[AbnormalEntry]:
    """The entries the reader may see (by department and the entity's region), newest first."""
    rows = AbnormalEntry.objects.visible_to(reader).select_related("entity", "department")
    if status:
        rows = rows.filter(status=status)
    if reason:
        rows = rows.filter(reason=reason)
    return rows.order_by("-created_at", "-pk")


def entry_get(*, reader: HasScope, entry_id: int) -> AbnormalEntry:
    entry: AbnormalEntry = AbnormalEntry.objects.select_related(
        "entity", "department__region", "proposed_by", "approved_by", "removal_proposed_by", "removed_by",
    ).get_visible(reader, pk=entry_id)
    return entry


def entity_entry_list(*, entry: AbnormalEntry, reader: HasScope) -> QuerySet[AbnormalEntry]:
    """The other entries of the entry's entity the reader may see."""
    return entry_list(reader=reader).filter(entity_id=entry.entity_id).exclude(pk=entry.pk)


def abnormal_counts(*, reader: HasScope, today: dt.date) -> dict[str, int]:
    """Entries by status, and those past their clock: a listing not decided by its due day (暂行办法 第六条至第九条)
    and a removal applied for and not decided by its due day (第十一条至第十四条)."""
    rows = AbnormalEntry.objects.visible_to(reader)
    counts = rows.aggregate(
        **{status.value: Count("id", filter=Q(status=status)) for status in AbnormalStatus},
        listing_overdue=Count("id", filter=Q(status__in=PENDING, listing_due__lt=today)),
        removal_overdue=Count("id", filter=Q(status=AbnormalStatus.REMOVAL_APPLIED, removal_due__lt=today)))
    counts["due_for_serious"] = len(abnormal_due_for_serious(reader=reader, on=today))
    return counts


def abnormal_due_for_serious(*, reader: HasScope, on: dt.date) -> list[AbnormalCard]:
    """The entries the reader may see still in the list on `on` whose 3 years ended before it: to be proposed for
    the 严重违法失信名单 (暂行办法 第十五条). Oldest first."""
    latest = period_end(on, -YEARS_TO_SERIOUS)  # listed on or before it: perhaps due (checked exactly below)
    rows = (AbnormalEntry.objects.visible_to(reader).filter(status__in=IN_LIST, decided_on__lte=latest)
            .select_related("entity", "department").order_by("decided_on", "pk"))
    return [AbnormalCard(e.pk, e.number, e.entity_id, e.entity.uscc, e.entity.name, e.reason,
                         str(AbnormalReason(e.reason).label), e.department_id, e.department.name, e.decided_on,
                         period_end(e.decided_on))
            for e in rows if e.decided_on is not None and period_end(e.decided_on) < on]


def public_abnormal_list() -> QuerySet[AbnormalEntry]:
    """The entries in the list now, as the public may read them (暂行办法 第五条: name, code, day of listing,
    ground, deciding body) — no person's data. Newest first."""
    return (AbnormalEntry.objects.filter(status__in=IN_LIST).select_related("entity", "department")
            .only("number", "reason", "decided_on", "entity__name", "entity__uscc", "department__name")
            .order_by("-decided_on", "-pk"))
