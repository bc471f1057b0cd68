"""Reads of the case library (ADR 0061), always scoped: the entries found by words (trigrams, `core.trigrams`, as
the public decision search does), one entry, and the similar cases of a case with the distribution of their fines.

"Like cases treated alike" (国办发〔2022〕27号): similar cases are entries of the same catalog item and article,
first in the same discretion band (nearby circumstances), widened to every band when the band alone has fewer than
`FEW` entries. The distribution is read from the index `casebook_similar`: a count, an offset for each quartile
and a range count for each bucket of the histogram, never the fines one by one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope
from jianguan.core.trigrams import query_grams
from jianguan.core.validation import require

from .models import Entry, EntryStatus, EntryTerm

MAX_QUERY = 100
FEW = 5
BUCKETS = 10
CANDIDATES_MAX = 2000  # entries of the rarest term read as candidates


def entry_list(*, reader: HasScope, q: str = "") -> QuerySet[Entry]:
    """The entries the reader may read, newest decision first; `q` (at most `MAX_QUERY` characters, else
    `query_too_long`) in the title, violation type, article or the (redacted) party."""
    q = (q or "").strip()
    require(len(q) <= MAX_QUERY, f"检索词不能超过 {MAX_QUERY} 字", "query_too_long", "q")
    rows = Entry.objects.visible_to(reader).filter(status=EntryStatus.PUBLISHED).defer("facts")
    if not q:
        return rows
    wanted = sorted(query_grams(q))
    if wanted:  # the rarest term's entries are the candidates (each count stops at CANDIDATES_MAX + 1)
        held = {t: EntryTerm.objects.filter(term=t)[:CANDIDATES_MAX + 1].count() for t in wanted}
        rarest = min(wanted, key=lambda t: (held[t], t))
        if not held[rarest]:
            return rows.none()
        if held[rarest] <= CANDIDATES_MAX:
            rows = rows.filter(pk__in=list(EntryTerm.objects.filter(term=rarest).values_list("entry_id", flat=True)))
        # else every term is common: so is the word, the newest entries (index `casebook_recent`) fill a page
    return rows.filter(Q(title__icontains=q) | Q(violation__icontains=q) | Q(article__icontains=q) |
                       Q(party__icontains=q))


def entry_get(*, reader: HasScope, entry_id: int) -> Entry:
    entry: Entry | None = Entry.objects.visible_to(reader).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("没有这个案例", code="not_found")
    return entry


@dataclass(frozen=True)
class Distribution:
    count: int
    minimum: Decimal | None = None
    lower_quartile: Decimal | None = None
    median: Decimal | None = None
    upper_quartile: Decimal | None = None
    maximum: Decimal | None = None
    buckets: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Similar:
    catalog_code: str
    article: str
    band: str
    widened: bool  # the band alone had fewer than FEW entries: every band of the violation
    distribution: Distribution
    entries: tuple[Entry, ...]


def _at(fined: QuerySet[Entry], index: int) -> Decimal:
    value = fined.order_by("fine").values_list("fine", flat=True)[index]
    assert value is not None  # `fined` holds fines only
    return value


def distribution(rows: QuerySet[Entry]) -> Distribution:
    """The fines of `rows`: count, minimum, quartiles (nearest rank), maximum, and a histogram of `BUCKETS` equal
    buckets from minimum to maximum."""
    fined = rows.filter(fine__isnull=False)
    count = fined.count()
    if not count:
        return Distribution(0)
    low, high = _at(fined, 0), _at(fined, count - 1)
    lower, median, upper = (_at(fined, min(count - 1, (count * k) // 4)) for k in (1, 2, 3))
    step = (high - low) / BUCKETS
    buckets = []
    for i in range(BUCKETS if step else 1):
        start, end = low + step * i, low + step * (i + 1)
        within = fined.filter(fine__gte=start, fine__lte=high) if i == BUCKETS - 1 or not step else \
            fined.filter(fine__gte=start, fine__lt=end)
        buckets.append((f"{start:,.0f}", within.count()))
    return Distribution(count, low, lower, median, upper, high, tuple(buckets))


def similar(*, reader: HasScope, catalog_code: str, article: str, band: str = "", limit: int = 10) -> Similar:
    """The similar cases the reader may read, with the distribution of their fines."""
    violation = Entry.objects.visible_to(reader).filter(catalog_code=catalog_code, article=article,
                                                         status=EntryStatus.PUBLISHED)
    rows, widened = violation.filter(band=band), False
    if not band or rows.count() < FEW:
        rows, widened = violation, bool(band)
    return Similar(catalog_code, article, band, widened, distribution(rows),
                   tuple(rows.defer("facts").order_by("-decided_on", "-pk")[:limit]))
