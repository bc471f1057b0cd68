"""Reads of articles (ADR 0049): a department's articles for its people (scoped like every record), one article
with its images and steps, and what the public portal shows — published articles only, newest first."""

from __future__ import annotations

from django.db.models import QuerySet

from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope

from .models import Article, ArticleImage, ArticleKind, ArticleStatus, ArticleStep

PUBLIC_FIELDS = ("kind", "title", "summary", "published_at", "department__name")


def article_list(*, reader: HasScope, status: str = "", kind: str = "") -> QuerySet[Article]:
    """The articles the reader may see (by department and region), newest first."""
    rows = Article.objects.visible_to(reader).select_related("department", "author")
    if status in ArticleStatus.values:
        rows = rows.filter(status=status)
    if kind in ArticleKind.values:
        rows = rows.filter(kind=kind)
    return rows.order_by("-updated_at", "-pk")


def article_get(*, reader: HasScope, article_id: int) -> Article:
    article: Article = Article.objects.select_related(
        "department", "author", "submitted_by", "reviewed_by").get_visible(reader, pk=article_id)
    return article


def image_list(*, article: Article) -> QuerySet[ArticleImage]:
    return article.images.defer("data").order_by("pk")


def step_list(*, article: Article) -> QuerySet[ArticleStep]:
    return article.steps.select_related("actor").order_by("pk")


def image_get(*, reader: HasScope, image_id: int) -> ArticleImage:
    """An image of an article the reader may see; NotFound otherwise."""
    image = ArticleImage.objects.filter(pk=image_id).select_related("article").first()
    if image is None or not Article.objects.visible_to(reader).filter(pk=image.article_id).exists():
        raise NotFound("图片不存在")
    return image


def public_article_list(*, kind: str) -> QuerySet[Article]:
    """The published articles of a column, newest first (titles, summaries, days, departments)."""
    return (Article.objects.filter(status=ArticleStatus.PUBLISHED, kind=kind).select_related("department")
            .only(*PUBLIC_FIELDS).order_by("-published_at", "-pk"))


def public_latest(*, per_kind: int = 5) -> dict[str, list[Article]]:
    """The newest published articles of each column, for the public home page."""
    return {kind.value: list(public_article_list(kind=kind)[:per_kind]) for kind in ArticleKind}


def public_article_get(*, article_id: int) -> Article:
    """A published article, or one withdrawn after publication (its page then says so and gives the reason, without
    its text); NotFound for a draft or one under review."""
    shown = (ArticleStatus.PUBLISHED, ArticleStatus.WITHDRAWN)
    article: Article | None = (Article.objects.filter(pk=article_id, status__in=shown, published_at__isnull=False)
               .select_related("department").first())
    if article is None:
        raise NotFound("文章不存在或未发布")
    return article


def public_image_get(*, image_id: int) -> ArticleImage:
    image: ArticleImage | None = ArticleImage.objects.filter(
        pk=image_id, article__status=ArticleStatus.PUBLISHED).first()
    if image is None:
        raise NotFound("图片不存在")
    return image
