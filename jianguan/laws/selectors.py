"""Reads of the knowledge base. The texts of law are read by everyone signed in; who cites an article is read in
the reader's scope (a department's cases only by those who see the department's records)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope

from . import search
from .models import Citation, Kind, Law, LawVersion, Provision


def article_list(*, reader: HasScope, filters: search.Filters, offset: int, size: int) -> tuple[list[Provision], bool]:
    """One page of the articles found (`size` of them from `offset`) and whether another page follows."""
    rows = list(search.articles(filters)[offset:offset + size + 1])
    return rows[:size], len(rows) > size


def issuers() -> list[str]:
    return sorted(set(Law.objects.values_list("issuer", flat=True)))


@dataclass(frozen=True)
class ProvisionPage:
    target: Provision  # the provision asked for
    article: Provision  # the 条 holding it (or the 章/节 itself)
    tree: list[tuple[Provision, int]]  # the article's provisions in order, with their depth
    versions: list[LawVersion]  # every version of the law, oldest first
    held: set[int]  # the versions that hold the provision
    citers: list[Citation]


def _article_of(provision: Provision) -> Provision:
    article = provision
    while article.kind in (Kind.PARAGRAPH, Kind.ITEM) and article.parent_id:
        article = article.parent  # type: ignore[assignment]
    return article


def provision_get(*, reader: HasScope, pid: str, on: dt.date | None) -> ProvisionPage:
    """The provision `pid` in the version in force on `on` (without a date, or when none was in force that day:
    the newest version that holds it); unknown everywhere: `article_not_found` (404)."""
    rows = Provision.objects.filter(pid=pid).select_related("version__law", "parent__parent")
    chosen = rows.filter(search.in_force(on)).first() if on else None
    chosen = chosen or rows.order_by("-version__effective_from").first()
    if chosen is None:
        raise NotFound(f"条文“{pid[:120]}”不存在", code="article_not_found", field="id")
    article = _article_of(chosen)
    parts = list(Provision.objects.filter(version=chosen.version, pid__startswith=f"{article.pid}/")
                 .order_by("position")) if article.kind == Kind.ARTICLE else []
    versions = list(chosen.version.law.versions.order_by("effective_from"))
    held = set(rows.values_list("version_id", flat=True))
    return ProvisionPage(chosen, article, [(article, 0)] + [(p, p.pid.count("/") - 1) for p in parts], versions,
                         held, citer_list(reader=reader, pid=article.pid))


def citer_list(*, reader: HasScope, pid: str) -> list[Citation]:
    """What cites the article `pid` or a provision inside it, in the reader's scope."""
    rows: QuerySet[Citation] = Citation.objects.visible_to(reader)
    return list(rows.filter(Q(pid=pid) | Q(pid__startswith=f"{pid}/")).order_by("source", "label")[:200])


def children_of(version: LawVersion) -> QuerySet[Provision]:
    return Provision.objects.filter(version=version, kind__in=[Kind.CHAPTER, Kind.SECTION, Kind.ARTICLE])
