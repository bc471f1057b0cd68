"""Search of market entities by code, name (former names too), legal representative and address.

The index (`EntityTerm`) holds every two-character gram of those texts, letters and digits upper-cased and
everything else dropped, as the integer `ord(a) << 21 | ord(b)`. A query is split on spaces into words that must
all be found; the candidates come from the rarest grams of the query (each looked up with a capped count), and
the candidates are then checked with a substring match on the texts themselves, so the index only narrows and never
decides. When every gram of the query is common (more than `COMMON` entities), the index would not narrow, so the
entities are scanned in code order up to `SCAN_CAP` matches instead: such queries match many entities and the first
page is found early.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise

from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, When

from jianguan.core.bulk import bulk_insert

from .models import EntityTerm, FormerName, MarketEntity

_DROP = re.compile(r"[\W_]+")
_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{4,18}")
COMMON = 20_000  # a gram found in more entities than this does not narrow a search
SCAN_CAP = 1_000  # results of a scan (a query of common grams only) stop here
DRIVERS = 3  # at most this many of the rarest grams choose the candidates
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


def _capped_count(cursor, term: int) -> int:
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {_TABLE} WHERE term = %s LIMIT {COMMON + 1}) t",  # noqa: S608
                   [term])
    return cursor.fetchone()[0]


def _candidates(terms: set[int]) -> QuerySet | None:
    """A sub-select of the ids of entities having the rarest grams, or None when all are common."""
    with connection.cursor() as cursor:
        counts = sorted((_capped_count(cursor, term), term) for term in terms)
    rare = [term for count, term in counts if count <= COMMON][:DRIVERS]
    if not rare:
        return None
    postings = EntityTerm.objects.filter(term=rare[0])
    for term in rare[1:]:
        postings = postings.filter(entity_id__in=EntityTerm.objects.filter(term=term).values("entity_id"))
    return postings.values("entity_id")


def _matches(word: str) -> Q:
    former = FormerName.objects.filter(entity=OuterRef("pk"), name__contains=word)
    return (Q(name__contains=word) | Q(legal_representative__contains=word) | Q(registered_address__contains=word)
            | Exists(former))


def filter_entities(entities: QuerySet[MarketEntity], query: str) -> tuple[QuerySet[MarketEntity], bool]:
    """Entities of `entities` matching `query`; the flag says the result stopped at `SCAN_CAP`."""
    parts = words(query)
    if not parts:
        return entities, False
    if len(parts) == 1 and _CODE.fullmatch(parts[0]) and any(c.isdigit() for c in parts[0]):
        by_code = entities.filter(uscc__gte=parts[0], uscc__lt=parts[0] + "\uffff")
        if by_code.exists():
            return by_code, False
    matched = entities
    for word in parts:
        matched = matched.filter(_matches(word))
    candidates = _candidates(set().union(*(grams(word) for word in parts)))
    if candidates is not None:
        return matched.filter(pk__in=candidates), False
    first = matched.order_by("uscc").values_list("pk", flat=True)[:SCAN_CAP]
    return entities.filter(pk__in=list(first)), True


def ranking(query: str) -> list:
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
