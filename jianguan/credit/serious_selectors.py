"""Reads of the 严重违法失信名单: a department's entries (scoped) with their counts and clocks, one entry with its
steps, the public entries (no personal data), and the punishment flags other apps read (令第44号, 管理措施)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jianguan.core.scoping import HasScope

from .models import CreditKind, CreditRecord, SeriousEntry, SeriousStatus
from .serious_rules import IN_FORCE, MEASURES
from .serious_workflow import add_years


def serious_list(*, reader: HasScope, status: str = "") -> QuerySet[SeriousEntry]:
    """The entries of the reader's scope (the deciding departments they see), newest first; one status if given."""
    entries = (SeriousEntry.objects.visible_to(reader).select_related("entity", "department")
               .order_by("-created_at", "-pk"))
    return entries.filter(status=status) if status in SeriousStatus.values else entries


def serious_get(*, reader: HasScope, entry_id: int) -> SeriousEntry:
    entry: SeriousEntry = (SeriousEntry.objects.select_related("entity", "department__parent", "penalty",
                                                               "proposed_by", "approved_by", "upper_by")
                           .get_visible(reader, pk=entry_id))
    return entry


def serious_counts(*, reader: HasScope) -> dict[str, int]:
    """Entries by status within the reader's scope, plus the clocks: notices whose period has run out (ready to
    submit) and entries in force due to end within 30 days."""
    today = timezone.localdate()
    visible = SeriousEntry.objects.visible_to(reader)
    counts = dict(visible.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    figures = {status: int(counts.get(status, 0)) for status in SeriousStatus.values}
    figures["statement_over"] = visible.filter(status=SeriousStatus.NOTIFIED, statement_due__lt=today).count()
    figures["ending_soon"] = visible.filter(status__in=IN_FORCE,
                                            ends_on__lte=today + dt.timedelta(days=30)).count()
    return figures


@dataclass(frozen=True)
class Clocks:
    statement_due: dt.date | None
    early_removal_from: dt.date | None
    ends_on: dt.date | None


def clocks(entry: SeriousEntry) -> Clocks:
    """The entry's dates that matter: the end of the statement period, the first day early removal may be asked
    for (列入满一年), the end of the period."""
    early = add_years(entry.listed_on, 1) if entry.listed_on else None
    return Clocks(entry.statement_due, early, entry.ends_on)


@dataclass(frozen=True)
class PublicEntry:
    """An entry as the public sees it: the entity's name and code, the reason, the deciding body and the dates —
    no natural person's data (legal representative, addresses, the officers)."""

    name: str
    uscc: str
    reason: str
    authority: str
    decision_number: str
    listed_on: dt.date
    published_on: dt.date
    ends_on: dt.date | None


def serious_public_rows(*, on: dt.date | None = None) -> QuerySet[SeriousEntry]:
    """The platform's entries published and in force on `on` (default today), by listing day, newest first."""
    day = on or timezone.localdate()
    return (SeriousEntry.objects.filter(status=SeriousStatus.PUBLISHED, published_on__lte=day,
                                        listed_on__isnull=False)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day)).select_related("entity", "department")
            .order_by("-listed_on", "-pk"))


def serious_public_list(*, uscc: str = "", on: dt.date | None = None) -> list[PublicEntry]:
    """The platform's published entries in force on `on` (default today), by listing day, newest first; one entity's
    with `uscc`. Public: no reader."""
    entries = serious_public_rows(on=on)
    if uscc:
        entries = entries.filter(entity__uscc=uscc.strip().upper())
    return [PublicEntry(e.entity.name, e.entity.uscc, e.reason, e.department.name, e.decision_number,
                        e.listed_on, e.published_on, e.ends_on)
            for e in entries if e.listed_on is not None and e.published_on is not None]


def punishment_flags(entity_id: int, *, on: dt.date | None = None) -> dict[str, bool]:
    """The measures in force against the entity on `on` (default today) because it is on a 严重违法失信名单 — the
    platform's own entries or imported ones (both are credit records of that kind, in force from their date until
    their end): `listed` and each of `MEASURES` (licences_weighed, procurement_barred, more_checks,
    commitment_refused — 告知承诺不适用 —, honours_barred); all False when it is not listed."""
    day = on or timezone.localdate()
    listed = CreditRecord.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day), kind=CreditKind.SERIOUS,
                                         entity_id=entity_id, date__lte=day).exists()
    return {"listed": listed, **{flag: listed for flag in MEASURES}}
