"""Credit records in an entity's information chain (public records: scoped by region only)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.urls import reverse

from jianguan.core.registry import ChainEntry, ChainQuery, chain_records, chain_rows

from .models import CreditKind, CreditRecord

KINDS = dict(CreditKind.choices)
FIELDS = ("pk", "kind", "date", "title", "detail", "source", "authority")


def read(query: ChainQuery) -> tuple[list[ChainEntry], dict[str, int]]:
    wanted = [kind for kind in KINDS if query.wants(kind)]
    if not wanted:
        return [], {}
    records = CreditRecord.objects.all() if len(wanted) == len(KINDS) else CreditRecord.objects.filter(
        kind__in=wanted)
    rows, total = chain_rows(records, query, date_field="date", fields=FIELDS)
    if total == len(rows):
        counts = dict(Counter(row["kind"] for row in rows))
    else:  # a long history: the database counts
        counts = dict(chain_records(records, query, "date").visible_to(query.reader).values_list("kind").annotate(
            n=Count("id")).order_by())
    return [ChainEntry(row["kind"], str(KINDS[row["kind"]]), row["date"], row["title"], row["detail"],
                       source=row["source"], department=row["authority"],
                       url=reverse("credit:record", args=[row["pk"]])) for row in rows], counts
