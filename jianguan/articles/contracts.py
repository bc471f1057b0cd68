"""What other apps may use of articles: the newest published articles of each column (the public home page), and
the public reads the open data serves (a column's published articles, one public article, its images)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import ArticleKind
from .public_views import column_url
from .selectors import image_list as image_list
from .selectors import public_article_get as public_article_get
from .selectors import public_article_list as public_article_list
from .selectors import public_latest


@dataclass(frozen=True)
class Headline:
    id: int
    kind: str
    kind_label: str
    title: str
    published_on: str


def headlines(*, per_kind: int = 3) -> list[tuple[str, str, list[Headline]]]:
    """(the column's public page, its label, its newest published articles) for each column, in order."""
    latest = public_latest(per_kind=per_kind)
    return [(column_url(kind), str(kind.label), [
        Headline(a.pk, a.kind, str(kind.label), a.title, f"{a.published_at:%Y-%m-%d}" if a.published_at else "")
        for a in latest[kind.value]]) for kind in ArticleKind]


__all__ = ["Headline", "column_url", "headlines", "image_list", "public_article_get", "public_article_list"]
