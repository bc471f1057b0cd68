"""Words in the public search (ADR 0052): the trigrams of each public item's party name and decision number, kept
beside the items, so that a search for words reads the items of its rarest trigram, newest first, instead of
every published item.

A text's terms are the trigrams of its casefolded characters followed by `END`, so that every two characters of
the text begin some term. A search of three characters or more starts from the rarest of its trigrams (a trigram
no public item holds: nothing found, without reading an item); one of two characters reads the items of the terms
that begin with them when they are few, and otherwise the list in order, as does one of a single character. Every
candidate is checked by the same `icontains` as before, so the results are those of the plain filter, in the same
order; the terms only choose which items are read. Casefolding covers the databases' case rules (SQLite: ASCII
letters; PostgreSQL: `UPPER`) for the letters of these texts.

`terms_sync` keeps the terms in the transaction that changes an item's publication (publish, withdraw, expire,
end early) or its texts: the terms of the item as it was are removed and those of the item as it is are added,
with their counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from jianguan.core.trigrams import END as END
from jianguan.core.trigrams import grams

from .models import DisclosureItem, ItemStatus, SearchTerm, SearchTermCount

PUBLIC = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
ALL = ""  # the count row of every public item


def item_terms(party_name: str, decision_number: str) -> set[str]:
    return grams(party_name) | grams(decision_number)


@dataclass(frozen=True)
class Indexed:
    """What an item puts in the terms: nothing unless it is public."""

    published_on: dt.date | None
    terms: frozenset[str]


def indexed(item: DisclosureItem) -> Indexed:
    if item.status not in PUBLIC or item.published_on is None:
        return Indexed(None, frozenset())
    return Indexed(item.published_on, frozenset(item_terms(item.party_name, item.decision_number)))


def _count(terms: Iterable[str], change: int) -> None:
    """Add `change` to each term's count (and to the count of public items); in a fixed order, so that two
    transactions never wait on each other's rows."""
    table = connection.ops.quote_name(SearchTermCount._meta.db_table)
    rows = [(term, term[:2], change) for term in sorted({ALL, *terms})]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (term, head, items) VALUES (%s, %s, %s) "  # noqa: S608
                           f"ON CONFLICT (term) DO UPDATE SET items = {table}.items + excluded.items", rows)


def terms_sync(item: DisclosureItem, before: Indexed) -> None:
    """The item's terms after a change, from `before` (what `indexed` said before it)."""
    after = indexed(item)
    if after == before:
        return
    if before.published_on is not None:
        SearchTerm.objects.filter(term__in=sorted(before.terms), published_on=before.published_on,
                                  item_id=item.pk).delete()
        _count(before.terms, -1)
    if after.published_on is not None:
        SearchTerm.objects.bulk_create([SearchTerm(term=t, published_on=after.published_on, item_id=item.pk)
                                        for t in sorted(after.terms)])
        _count(after.terms, 1)


def terms_add(items: Sequence[DisclosureItem]) -> None:
    """The terms of items made public in bulk (the demo's history), with their counts."""
    for item in items:
        terms_sync(item, Indexed(None, frozenset()))


def _counts(terms: Iterable[str]) -> dict[str, int]:
    return dict(SearchTermCount.objects.filter(term__in=list(terms)).values_list("term", "items"))


def words(rows: QuerySet[DisclosureItem], q: str, need: int) -> QuerySet[DisclosureItem]:
    """`rows` (public items, filtered) whose party name or decision number contains `q`, newest first; `need`
    rows (the page's end) are what the caller will read."""
    plain = rows.filter(Q(party_name__icontains=q) | Q(decision_number__icontains=q))
    folded = q.casefold()
    if len(folded) >= 3:
        wanted = {folded[i:i + 3] for i in range(len(folded) - 2)}
        counts = _counts(wanted)
        if len(counts) < len(wanted) or not all(counts.values()):
            return plain.none()
        rarest = min(wanted, key=lambda t: (counts[t], t))
        return plain.filter(search_terms__term=rarest).order_by("-search_terms__published_on",
                                                                 "-search_terms__item_id")
    if len(folded) == 2:
        return _pair(plain, folded, need)
    return plain


def _pair(plain: QuerySet[DisclosureItem], pair: str, need: int) -> QuerySet[DisclosureItem]:
    """Two characters: the items of the terms that begin with them when reading them costs less than reading the
    list in order until `need` rows are found (the list holds about one match in every `public / found` items)."""
    counts = dict(SearchTermCount.objects.filter(head=pair).exclude(term=ALL).values_list("term", "items"))
    found = sum(counts.values())
    if not found:
        return plain.none()
    public = _counts([ALL]).get(ALL, 0)
    if found > need * public / found:
        return plain
    return plain.filter(pk__in=SearchTerm.objects.filter(term__in=sorted(counts)).values("item_id"))
