"""Search of the articles (ADR 0059, the approach of ADR 0052): each 条 keeps its search text (the law's title, the
version's 文号, the article's label and whole text, casefolded) and the distinct trigrams of it in `ArticleTerm`,
with how many articles hold each trigram in `TermCount`. A query of three characters or more reads the articles of
its rarest trigram (none: nothing found, without reading an article) and checks each by `contains` on the search
text; a shorter one, or one whose every trigram is common (more than `CANDIDATES_MAX` articles), reads the
articles in order with the same check (a common word fills a page quickly). The terms only choose which articles are
read, so the results are those of the plain `contains`, in the same order (by construction, and compared by the
tests and the benchmark). Segmenting by words (rjieba) was not chosen: a query's words and a text's words can be
cut differently, and an officer searching 处罚 expects 行政处罚 to be found."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from jianguan.core.trigrams import query_grams
from jianguan.core.validation import require

from .models import ArticleTerm, Kind, Provision, TermCount

QUERY_MAX = 100  # characters of a search
CHUNK = 500
CANDIDATES_MAX = 5000  # articles of the rarest trigram read as candidates; above it, the articles in order


def search_text(article: Provision) -> str:
    version = article.version
    return f"{version.law.title} {version.number} {article.label} {article.text}".casefold()


def articles_index(articles: Sequence[Provision]) -> None:
    """Store the search text and the terms of `articles` (of versions already saved) and recount their terms."""
    for article in articles:
        article.search_text = search_text(article)
    Provision.objects.bulk_update(articles, ["search_text"], batch_size=CHUNK)
    rows = [ArticleTerm(term=t, article_id=a.pk) for a in articles for t in sorted(query_grams(a.search_text))]
    ArticleTerm.objects.bulk_create(rows, batch_size=CHUNK)
    recount({row.term for row in rows})


def terms_remove(article_ids: list[int]) -> None:
    terms: set[str] = set()
    for start in range(0, len(article_ids), CHUNK):
        chunk = ArticleTerm.objects.filter(article_id__in=article_ids[start:start + CHUNK])
        terms |= set(chunk.values_list("term", flat=True).distinct())
        chunk.delete()
    recount(terms)


def recount(terms: Iterable[str]) -> None:
    """Each term's count of articles, read again from the terms."""
    ordered = sorted(terms)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        counts = dict(ArticleTerm.objects.filter(term__in=chunk).values_list("term").annotate(n=Count("id")))
        TermCount.objects.filter(term__in=chunk).delete()
        TermCount.objects.bulk_create([TermCount(term=t, articles=counts[t]) for t in chunk if counts.get(t)])


@dataclass(frozen=True)
class Filters:
    q: str = ""
    level: str = ""
    issuer: str = ""
    on: dt.date | None = None


def check_query(q: str) -> str:
    q = (q or "").strip()
    require(len(q) <= QUERY_MAX, f"检索词不能超过 {QUERY_MAX} 字（现为 {len(q)} 字）", "query_too_long", "q")
    return q


def in_force(on: dt.date, prefix: str = "version__") -> Q:
    return Q(**{f"{prefix}effective_from__lte": on}) & (
        Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gt": on}))


def articles(filters: Filters) -> QuerySet[Provision]:
    """The articles matching `filters`, in the order of the texts (law by law, article by article)."""
    q = check_query(filters.q)
    rows = Provision.objects.filter(kind=Kind.ARTICLE)
    if filters.level:
        rows = rows.filter(version__law__level=filters.level)
    if filters.issuer:
        rows = rows.filter(version__law__issuer=filters.issuer)
    if filters.on:
        rows = rows.filter(in_force(filters.on))
    rows = rows.select_related("version__law").order_by("pk")
    if not q:
        return rows
    folded = q.casefold()
    plain = rows.filter(search_text__contains=folded)
    if len(folded) < 3:
        return plain if _held(folded) else plain.none()
    wanted = query_grams(folded)
    counts = dict(TermCount.objects.filter(term__in=sorted(wanted)).values_list("term", "articles"))
    if len(counts) < len(wanted):
        return plain.none()
    rarest = min(wanted, key=lambda t: (counts[t], t))
    if counts[rarest] > CANDIDATES_MAX:  # every trigram common: the words are too, a page fills reading in order
        return plain
    return plain.filter(pk__in=list(ArticleTerm.objects.filter(term=rarest).values_list("article_id", flat=True)))


def _held(short: str) -> bool:
    """Whether some article may hold `short` (one or two characters): every search text has three characters or
    more (title, 文号, label), so each of its characters begins or ends one of its trigrams. The prefix is read as a
    range of the counts' key; the suffix scans the counts (the distinct trigrams, far fewer than the articles).
    A word no article holds then costs no pass over the articles."""
    terms = TermCount.objects.filter(articles__gt=0)
    return (terms.filter(term__gte=short, term__lt=short + "\U0010ffff").exists()
            or terms.filter(term__endswith=short).exists()
            or (len(short) == 1 and terms.filter(term__contains=short).exists()))


def plain_articles(filters: Filters) -> QuerySet[Provision]:
    """The same search without the terms (the benchmark's baseline, the tests' reference)."""
    rows = Provision.objects.filter(kind=Kind.ARTICLE, search_text__icontains=check_query(filters.q).casefold())
    if filters.level:
        rows = rows.filter(version__law__level=filters.level)
    if filters.issuer:
        rows = rows.filter(version__law__issuer=filters.issuer)
    if filters.on:
        rows = rows.filter(in_force(filters.on))
    return rows.order_by("pk")


def pieces(text: str, q: str) -> list[tuple[str, bool]]:
    """`text` cut around the places `q` occurs (any case), each piece marked when it is one: the highlight."""
    if not q:
        return [(text, False)] if text else []
    parts = re.split(f"({re.escape(q)})", text, flags=re.IGNORECASE)
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


def snippet(text: str, q: str, width: int = 60) -> str:
    """The part of `text` around the first place `q` occurs (the whole text when short)."""
    at = text.casefold().find(q.casefold()) if q else -1
    if len(text) <= 2 * width or at < 0:
        return text[:2 * width] + ("…" if len(text) > 2 * width else "")
    start = max(0, at - width // 2)
    return ("…" if start else "") + text[start:start + 2 * width] + ("…" if start + 2 * width < len(text) else "")
