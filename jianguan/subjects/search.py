"""Search of market entities by code, name (former names too), legal representative and address.

The index (`EntityTerm`) holds every two-character gram of those texts, letters and digits upper-cased and
everything else dropped, as the integer `ord(a) << 21 | ord(b)`. A query is split on spaces into words that must
all be found. The candidates are the entities having all the query's grams: the rarest gram's postings are walked
in key order and the other grams looked up for each (how rare each gram is, is counted once per process). They are
checked a chunk at a time with a substring match on the texts themselves, so the index only narrows and never
decides. A search lists at most `SCAN_CAP` entities and says when there were more, as a search box should
("请补充关键字"), so the walk stops there.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Q, QuerySet, When

from jianguan.core.bulk import bulk_insert

from .models import EntityTerm, FormerName, MarketEntity

_DROP = re.compile(r"[\W_]+")
_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{4,18}")
CHUNK = 2_000  # candidates checked per statement
PROBES = 6  # grams looked up besides the rarest one (the rarest first)
COUNT_CAP = 100_000  # gram counts stop here: past it a gram is "very common" and its exact count does not matter
SCAN_CAP = 1_000  # a search lists at most this many entities (and says so)
_TABLE = EntityTerm._meta.db_table


def normalise(text: str) -> str:
    return _DROP.sub("", text or "").upper()


def grams(*texts: str) -> set[int]:
    """The index terms of some texts (grams never span two texts)."""
    found: set[int] = set()
    for text in texts:
        text = normalise(text)
        found.update(ord(a) << 21 | ord(b) for a, b in pairwise(text))
    return found


def words(query: str) -> list[str]:
    """The words of a query, each normalised; a word must be found whole in one of the texts."""
    return [w for w in (normalise(part) for part in (query or "").split()) if w]


@functools.lru_cache(maxsize=100_000)
def _gram_count(term: int) -> int:
    """How many entities have `term`, counted up to `COUNT_CAP`. Kept in the process: it only chooses the plan (a
    stale count can make a search slower, never wrong)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {_TABLE} WHERE term = %s LIMIT %s) t",  # noqa: S608
                       [term, COUNT_CAP])
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def _candidate_chunks(terms: set[int]) -> Iterator[list[int]]:
    """Ids of the entities having every gram of the query (up to `PROBES` + 1 of them), in key order, `CHUNK` at a
    time: the rarest gram's postings are walked in order and the others looked up by key for each, so a chunk costs
    about what it holds and the walk stops as soon as the caller has enough."""
    ordered = [term for _, term in sorted((_gram_count(term), term) for term in terms)]
    driver, others = ordered[0], ordered[1:PROBES + 1]
    # The table's name comes from the model; every value is a parameter.
    probe = f" AND EXISTS (SELECT 1 FROM {_TABLE} q WHERE q.term = %s AND q.entity_id = p.entity_id)"  # noqa: S608
    sql = (f"SELECT p.entity_id FROM {_TABLE} p WHERE p.term = %s AND p.entity_id > %s{probe * len(others)} "  # noqa: S608
           f"ORDER BY p.entity_id LIMIT {int(CHUNK)}")
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [driver, after, *others])
            chunk = [row[0] for row in cursor.fetchall()]
        if chunk:
            yield chunk
        if len(chunk) < CHUNK:
            return
        after = chunk[-1]


def _matches(word: str) -> Q:
    # Former names are few (a renamed entity keeps one or two): one pass over them beats a sub-query per entity.
    former = FormerName.objects.filter(name__contains=word).values("entity_id")
    return (Q(name__contains=word) | Q(legal_representative__contains=word) | Q(registered_address__contains=word)
            | Q(pk__in=former))


def filter_entities(entities: QuerySet[MarketEntity],
                    query: str) -> tuple[QuerySet[MarketEntity], bool, int | None]:
    """Entities of `entities` matching `query`; the flag says there were more than `SCAN_CAP` (the first of them,
    in no particular order, are returned); and how many are returned, known without counting them again (None
    for no query: the whole of `entities`)."""
    parts = words(query)
    if not parts:
        return entities, False, None
    ids: list[int] = []
    if len(parts) == 1 and _CODE.fullmatch(parts[0]) and any(c.isdigit() for c in parts[0]):
        ids = _keys(entities.filter(uscc__gte=parts[0], uscc__lt=parts[0] + "\uffff"), order="uscc")
    if not ids:
        matched = entities.filter(*(_matches(word) for word in parts))
        terms = set().union(*(grams(word) for word in parts))
        if not terms:  # one-character words only: check entities in key order up to the cap
            ids = _keys(matched)
        else:
            for chunk in _candidate_chunks(terms):
                ids += _keys(matched.filter(pk__among=chunk), SCAN_CAP + 1 - len(ids))
                if len(ids) > SCAN_CAP:
                    break
    return entities.filter(pk__among=ids[:SCAN_CAP]), len(ids) > SCAN_CAP, min(len(ids), SCAN_CAP)


def _keys(matched: QuerySet[MarketEntity], limit: int | None = None, order: str = "pk") -> list[int]:
    """The keys of the first matches in the order of an index, up to `SCAN_CAP` + 1: counting and paging a short
    list of keys is cheap, and the check stops there."""
    return list(matched.order_by(order).values_list("pk", flat=True)[:limit or SCAN_CAP + 1])


def ranking(query: str) -> list[Any]:
    """Order of the results: the name equal to the first word, then names containing it, then the rest."""
    parts = (query or "").split()
    if not parts:
        return []
    return [Case(When(name=parts[0], then=0), When(name__contains=parts[0], then=1), default=2)]


def _postings(rows: Iterable[tuple[int, str, str, str]]) -> Iterator[int]:
    for entity_id, *texts in rows:
        for term in grams(*texts):
            yield term << 32 | entity_id


@transaction.atomic
def reindex(entity_id: int, old_texts: Iterable[str], new_texts: Iterable[str]) -> None:
    """Bring one entity's postings from its old texts to its new ones (call inside the writing transaction)."""
    old, new = grams(*old_texts), grams(*new_texts)
    if gone := old - new:
        EntityTerm.objects.filter(entity_id=entity_id, term__in=gone).delete()
    EntityTerm.objects.bulk_create([EntityTerm(term=term, entity_id=entity_id) for term in new - old],
                                   ignore_conflicts=True)


def texts_of(entity: MarketEntity) -> list[str]:
    return [entity.name, entity.legal_representative, entity.registered_address,
            *entity.former_names.values_list("name", flat=True)]


@transaction.atomic
def rebuild() -> int:
    """The whole index anew, postings written in key order (fast on both databases); returns their number."""
    EntityTerm.objects.all().delete()
    rows = MarketEntity.objects.values_list("id", "name", "legal_representative", "registered_address")
    postings = list(_postings(rows.iterator(chunk_size=20_000)))
    postings.extend(_postings((e, n, "", "") for e, n in FormerName.objects.values_list("entity_id", "name")))
    postings.sort()
    mask = (1 << 32) - 1
    return bulk_insert(EntityTerm, ("term", "entity_id"), _unique((p >> 32, p & mask) for p in postings))


def _unique(pairs: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    last = None
    for pair in pairs:
        if pair != last:
            yield pair
            last = pair
