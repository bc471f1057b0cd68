"""Credit records in an entity's information chain (public records: scoped by region only)."""

from __future__ import annotations

from django.db.models import Count

from jianguan.core.registry import ChainEntry, ChainQuery

from .models import CreditKind, CreditRecord

KINDS = dict(CreditKind.choices)


def _records(query: ChainQuery):
    records = CreditRecord.objects.visible_to(query.reader).filter(entity_id=query.entity_id)
    wanted = [k for k in KINDS if query.wants(k)]
    if len(wanted) != len(KINDS):
        records = records.filter(kind__in=wanted)
    if query.since:
        records = records.filter(date__gte=query.since)
    if query.until:
        records = records.filter(date__lte=query.until)
    return records


def entries(query: ChainQuery) -> list[ChainEntry]:
    if not any(query.wants(k) for k in KINDS):
        return []
    return [ChainEntry(r.kind, str(KINDS[r.kind]), r.date, r.title, r.detail, source=r.source, department=r.authority)
            for r in _records(query).order_by("-date")[:query.limit]]


def counts(query: ChainQuery) -> dict[str, int]:
    if not any(query.wants(k) for k in KINDS):
        return {}
    return dict(_records(query).values_list("kind").annotate(n=Count("id")).order_by())
