"""Pages of articles on the public portal (ADR 0049): each column's published articles page by page, the 曝光台,
one article with its publication date, and its images served as stored (the type checked at upload, never
sniffed, never run)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from jianguan.core.http import page_of

from . import exposure, selectors
from .models import ArticleImage, ArticleKind, ArticleStatus

PER_PAGE = 15
SLUGS = {"news": ArticleKind.NEWS, "notices": ArticleKind.NOTICE, "cases": ArticleKind.CASE}


def column_url(kind: ArticleKind) -> str:
    """The public page of a column."""
    if kind == ArticleKind.EXPOSURE:
        return reverse("articles:public_exposure")
    return reverse("articles:public_list", args=[next(slug for slug, k in SLUGS.items() if k == kind)])


def image_response(image: ArticleImage) -> HttpResponse:
    response = HttpResponse(bytes(image.data), content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="image-{image.pk}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _column(request: HttpRequest, kind: ArticleKind) -> HttpResponse:
    page = page_of(request, selectors.public_article_list(kind=kind), PER_PAGE)
    return render(request, "articles/public_list.html", {"page": page, "kind": kind, "kinds": SLUGS})


def public_list(request: HttpRequest, column: str) -> HttpResponse:
    """新闻动态 (`news`), 通知公告 (`notices`) or 典型案例 (`cases`)."""
    kind = SLUGS.get(column)
    if kind is None:
        raise Http404()
    return _column(request, kind)


def public_exposure(request: HttpRequest) -> HttpResponse:
    """曝光台: the published articles made from closed cases' penalty decisions."""
    return _column(request, ArticleKind.EXPOSURE)


def public_article(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.public_article_get(article_id=article_id)
    published = article.status == ArticleStatus.PUBLISHED
    return render(request, "articles/public_article.html", {
        "article": article, "published": published,
        "images": selectors.image_list(article=article) if published else [],
        "decision_url": exposure.public_decision_url(article.disclosure_number)})


def public_image(request: HttpRequest, image_id: int) -> HttpResponse:
    return image_response(selectors.public_image_get(image_id=image_id))
