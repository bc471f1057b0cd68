"""`/api/v1/knowledge/articles`: the knowledge base's search and one provision by its stable id (ADR 0059), for
people signed in and systems whose key may read (`read`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from jianguan.core.api import ErrorOut, PageQuery, page_bounds, require_reader
from jianguan.core.roles import ApiScope

from . import inputs, search, selectors
from .models import Provision
from .resolving import cite_url

router = Router(tags=["知识库 knowledge"])


class ArticleQuery(PageQuery):
    q: str = ""
    level: str = ""
    issuer: str = ""
    on: str = ""


class LawArticleOut(Schema):
    id: str
    law: str
    level: str
    issuer: str
    version: str
    number: str
    effective_from: dt.date
    effective_to: dt.date | None
    label: str
    status: str
    text: str
    highlight: list[tuple[str, bool]]
    url: str


class LawArticlePage(Schema):
    limit: int
    offset: int
    has_next: bool
    items: list[LawArticleOut]


class PartOut(Schema):
    id: str
    kind: str
    label: str
    status: str
    text: str


class LawArticleDetailOut(LawArticleOut):
    parts: list[PartOut]
    versions: list[dict[str, Any]]


def _article(row: Provision, q: str = "") -> dict[str, Any]:
    version = row.version
    return {"id": row.pid, "law": version.law.title, "level": version.law.level, "issuer": version.law.issuer,
            "version": version.label, "number": version.number, "effective_from": version.effective_from,
            "effective_to": version.effective_to, "label": row.label, "status": row.status, "text": row.text,
            "highlight": search.pieces(search.snippet(row.text, q), q) if q else [],
            "url": cite_url(row.pid, on=version.effective_from)}


@router.get("/knowledge/articles", response={200: LawArticlePage, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut})
def article_search(request: HttpRequest, filters: Query[ArticleQuery]) -> Any:
    """Articles whose law title, 文号 or text holds `q` (at most 100 characters), filtered by `level`, `issuer`
    and `on` (in force that day); `has_next` says whether another page follows."""
    reader = require_reader(request, ApiScope.READ)
    found = inputs.filters_of(filters.dict())
    limit, offset = page_bounds(filters.limit, filters.offset)
    rows, has_next = selectors.article_list(reader=reader, filters=found, offset=offset, size=limit)
    return {"limit": limit, "offset": offset, "has_next": has_next, "items": [_article(r, found.q) for r in rows]}


@router.get("/knowledge/articles/{path:article_id}", response={200: LawArticleDetailOut, 400: ErrorOut, 401: ErrorOut,
                                                                403: ErrorOut, 404: ErrorOut})
def article_detail(request: HttpRequest, article_id: str, on: str = "") -> Any:
    """One provision by its stable id in the version in force on `on` (or the newest holding it), with the parts
    of its article and the law's versions; an unknown id is 404 `article_not_found`."""
    reader = require_reader(request, ApiScope.READ)
    day = inputs.filters_of({"on": on}).on
    page = selectors.provision_get(reader=reader, pid=article_id, on=day)
    return {**_article(page.target), "parts": [
        {"id": p.pid, "kind": p.kind, "label": p.label, "status": p.status, "text": p.text}
        for p, _ in page.tree], "versions": [
        {"label": v.label, "number": v.number, "effective_from": v.effective_from.isoformat(),
         "effective_to": v.effective_to.isoformat() if v.effective_to else None, "holds": v.pk in page.held}
        for v in page.versions]}
