"""The public read API of open data (开放数据, ADR 0051) under `/api/v1/public/`: no sign-in, at most
`JIANGUAN_OPENDATA_REQUESTS_PER_MINUTE` requests per client address and minute (429 `rate_limited` with
Retry-After), pages of at most 100 rows without counting every match (`has_next` and the `next` page's URL), and
the same content as the public portal: the published decisions with the portal's search (`disclosure.contracts.
parse_query`: a parameter out of range is refused naming the field and the rule), the published articles of each
column and the departments. CORS headers are added by `cors.PublicCors`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jianguan.accounts.models import Department
from jianguan.articles import contracts as articles
from jianguan.articles.models import ArticleKind
from jianguan.core import ratelimit
from jianguan.core.validation import require
from jianguan.disclosure import contracts as disclosure

from . import rows

router = Router(tags=["开放数据 open data"])
PREFIX = "/public/"


class RateLimited(ratelimit.Throttled):
    """Too many open-data requests from one address within the minute."""

    code = "rate_limited"


def throttle(request: HttpRequest) -> None:
    """Count the request against its address's minute; RateLimited (429, Retry-After) past the limit."""
    try:
        ratelimit.hit(request, "opendata", limit=settings.JIANGUAN_OPENDATA_REQUESTS_PER_MINUTE, window=60)
    except ratelimit.Throttled as exc:
        raise RateLimited(exc.retry_after) from None


class PageParams(Schema):
    page: str | None = Field(None, description="页码，1–1000，默认 1")
    size: str | None = Field(None, description="每页条数，1–100，默认 20")


class DecisionParams(PageParams):
    kind: str | None = Field(None, description="决定类别：penalty、licence、inspection、coercion")
    department: str | None = Field(None, description="公示部门代码（见 /public/departments）")
    region: str | None = Field(None, description="行政区划代码")
    entity: str | None = Field(None, description="统一社会信用代码")
    q: str | None = Field(None, description="关键词：行政相对人名称或决定文书号，至多 50 字")
    since: str | None = Field(None, description="公示日期起（YYYY-MM-DD）")
    until: str | None = Field(None, description="公示日期止（YYYY-MM-DD）")


class ArticleParams(PageParams):
    kind: str = Field(..., description="栏目：news 新闻动态、notice 通知公告、case 典型案例、exposure 曝光台")


class DecisionOut(Schema):
    number: str
    kind: str
    kind_label: str
    department: int
    department_name: str
    region: str
    party_name: str
    decision_number: str
    decided_on: dt.date | None
    published_on: dt.date | None
    period_ends_on: dt.date | None
    status: str
    status_label: str
    withdrawn_on: dt.date | None
    withdraw_reason: str
    content: dict[str, Any]
    updated_at: str | None
    url: str


class ArticleOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    summary: str
    department_name: str
    published_at: str | None
    url: str


class ImageOut(Schema):
    alt: str
    url: str


class ArticleDetailOut(ArticleOut):
    status: str
    body: str
    withdrawn_at: str | None
    withdrawal_reason: str
    decision_number: str
    party_name: str
    penalty: str
    decided_on: dt.date | None
    images: list[ImageOut]


class PublicDepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    region: str
    region_name: str


class PageOut(Schema):
    page: int
    size: int
    has_next: bool
    next: str | None


class DecisionPage(PageOut):
    items: list[DecisionOut]


class ArticlePage(PageOut):
    items: list[ArticleOut]


class DepartmentPage(PageOut):
    items: list[PublicDepartmentOut]


def _params(request: HttpRequest) -> dict[str, Any]:
    return dict(request.GET.items())


def _page(request: HttpRequest, items: list[dict[str, Any]], page: int, size: int, has_next: bool) -> dict[str, Any]:
    following = None
    if has_next:
        params = request.GET.copy()
        params["page"] = str(page + 1)
        following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"items": items, "page": page, "size": size, "has_next": has_next, "next": following}


def _slice(request: HttpRequest, found: QuerySet[Any], row: Any) -> dict[str, Any]:
    """A page of `found` by the portal's page rules (`page` 1–1000, `size` 1–100), `size + 1` rows read."""
    bounds = disclosure.parse_query({"page": request.GET.get("page"), "size": request.GET.get("size")})
    start = (bounds.page - 1) * bounds.size
    taken = list(found[start:start + bounds.size + 1])
    return _page(request, [row(r) for r in taken[:bounds.size]], bounds.page, bounds.size, len(taken) > bounds.size)


@router.get(f"{PREFIX}decisions", auth=None, response=DecisionPage)
def decision_list(request: HttpRequest, params: Query[DecisionParams]) -> dict[str, Any]:
    """The published decisions (行政处罚, 行政许可, 行政检查, 行政强制), newest first, with the public portal's search;
    withdrawn ones stay with their date and reason. Only the published copy (masked) is served."""
    throttle(request)
    result = disclosure.public_search(disclosure.parse_query(_params(request)))
    return _page(request, [rows.decision_row(item) for item in result.items], result.query.page, result.query.size,
                 result.has_next)


@router.get(f"{PREFIX}decisions/{{number}}", auth=None, response=DecisionOut)
def decision_get(request: HttpRequest, number: str) -> dict[str, Any]:
    """One published decision by its 公示编号; 404 for any number not published."""
    throttle(request)
    return rows.decision_row(disclosure.public_item_get(number=number))


@router.get(f"{PREFIX}articles", auth=None, response=ArticlePage)
def article_list(request: HttpRequest, params: Query[ArticleParams]) -> dict[str, Any]:
    """The published articles of a column (新闻动态, 通知公告, 典型案例, 曝光台), newest first."""
    throttle(request)
    require(params.kind in ArticleKind.values, f"“栏目”应为 {'、'.join(ArticleKind.values)} 之一", "kind_invalid",
            "kind")
    return _slice(request, articles.public_article_list(kind=params.kind), rows.article_row)


@router.get(f"{PREFIX}articles/{{article_id}}", auth=None, response=ArticleDetailOut)
def article_get(request: HttpRequest, article_id: int) -> dict[str, Any]:
    """One published article with its text and images, or one withdrawn after publication with its reason; 404 for
    drafts and articles under review."""
    throttle(request)
    return rows.article_detail(articles.public_article_get(article_id=article_id))


@router.get(f"{PREFIX}departments", auth=None, response=DepartmentPage)
def department_list(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    """The departments that publish (their codes filter the decisions), by region and line."""
    throttle(request)
    found = Department.objects.filter(is_active=True).select_related("region").order_by("region_id", "kind", "pk")
    return _slice(request, found, rows.department_row)
