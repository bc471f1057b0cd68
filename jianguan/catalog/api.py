"""`/api/v1/catalog/…`: the published list (readable by every signed-in person and by systems with the
catalog scope) — items, their history and differences, implementation rows, and the list as an Excel file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from jianguan.accounts.models import Department
from jianguan.core.api import ErrorOut, Page, PageQuery, paginate, require_reader
from jianguan.core.roles import ApiScope
from jianguan.core.tabular import XLSX

from . import exports, selectors
from .models import CatalogVersion, ImplementationVersion

router = Router(tags=["监管事项清单 catalog"])


class BasisOut(Schema):
    law: str
    law_title: str
    article: str
    clause: str
    text: str

    @staticmethod
    def resolve_law(obj) -> str:
        return obj.law.key

    @staticmethod
    def resolve_law_title(obj) -> str:
        return obj.law.title


class ItemOut(Schema):
    code: str
    parent_code: str | None
    line: str
    name: str
    action_type: str
    status: str
    version: int
    version_id: str
    effective_from: dt.date
    cancel_on: dt.date | None
    supervised_object: str
    supervision_method: str
    supervision_process: str
    supervision_result: str
    levels: list[int]
    basis: list[BasisOut]

    @staticmethod
    def resolve_code(obj: CatalogVersion) -> str:
        return obj.item.code

    @staticmethod
    def resolve_parent_code(obj: CatalogVersion) -> str | None:
        return obj.item.parent.code if obj.item.parent_id else None

    @staticmethod
    def resolve_line(obj: CatalogVersion) -> str:
        return obj.item.line

    @staticmethod
    def resolve_basis(obj: CatalogVersion) -> list:
        return list(obj.basis.all())


class ItemFilter(PageQuery):
    q: str | None = None
    department: str | None = None
    type: str | None = None
    as_of: dt.date | None = None


def line_key(department: str | None) -> str | None:
    """A line key (scjg …) or a department id (its line)."""
    if department and department.isdigit():
        return Department.objects.filter(pk=int(department)).values_list("kind", flat=True).first() or "-"
    return department or None


@router.get("/catalog/items", response=Page[ItemOut])
def item_list(request: HttpRequest, filters: Query[ItemFilter]):
    """The 子项 in force on `as_of` (today by default): keyword `q`, `department` (a line such as `scjg`, or a
    department id), `type` (check, penalty, coercion, other)."""
    require_reader(request, ApiScope.CATALOG_READ)
    versions = selectors.item_list(as_of=filters.as_of, q=filters.q, line=line_key(filters.department),
                                       action_type=filters.type)
    return paginate(versions, filters)


@router.get("/catalog/items/{code}", response={200: ItemOut, 404: ErrorOut})
def item_get(request: HttpRequest, code: str, as_of: dt.date | None = None):
    """The version of an item that applies on `as_of` (today by default), whatever its status."""
    require_reader(request, ApiScope.CATALOG_READ)
    return selectors.item_get(code=code, as_of=as_of)


@router.get("/catalog/items/{code}/history", response={200: list[ItemOut], 404: ErrorOut})
def item_history(request: HttpRequest, code: str):
    require_reader(request, ApiScope.CATALOG_READ)
    return selectors.item_version_list(code=code)


class DiffOut(Schema):
    field: str
    label: str
    old: Any
    new: Any


@router.get("/catalog/items/{code}/diff", response={200: list[DiffOut], 404: ErrorOut})
def item_diff(request: HttpRequest, code: str, a: int, b: int):
    """The fields that differ between versions `a` and `b`."""
    require_reader(request, ApiScope.CATALOG_READ)
    return selectors.version_diff(code=code, a=a, b=b)


class ImplementationOut(Schema):
    code: str
    item_code: str
    body: int
    body_name: str
    level: int
    version: int
    status: str
    effective_from: dt.date
    cancel_on: dt.date | None
    delegated_by: int | None
    check_category: str
    check_method: str
    in_random_checks: bool
    check_ratio: str
    check_frequency: str
    content_routine: str
    content_special: str
    sampling: bool
    sampling_content: str
    cooperative: bool

    @staticmethod
    def resolve_code(obj: ImplementationVersion) -> str:
        return obj.implementation.code

    @staticmethod
    def resolve_item_code(obj: ImplementationVersion) -> str:
        return obj.implementation.item.code

    @staticmethod
    def resolve_body(obj: ImplementationVersion) -> int:
        return obj.implementation.body_id

    @staticmethod
    def resolve_body_name(obj: ImplementationVersion) -> str:
        return obj.implementation.body.name

    @staticmethod
    def resolve_level(obj: ImplementationVersion) -> int:
        return obj.implementation.level

    @staticmethod
    def resolve_delegated_by(obj: ImplementationVersion) -> int | None:
        return obj.delegated_by_id


class ImplementationFilter(PageQuery):
    body: int | None = None
    level: int | None = None
    item: str | None = None
    as_of: dt.date | None = None


@router.get("/catalog/implementations", response=Page[ImplementationOut])
def implementation_list(request: HttpRequest, filters: Query[ImplementationFilter]):
    """Implementation rows (检查实施清单) in force on `as_of`: by `body` (department id), `level` (1–5), `item`."""
    require_reader(request, ApiScope.CATALOG_READ)
    versions = selectors.implementation_list(as_of=filters.as_of, body=filters.body, level=filters.level,
                                                 item=filters.item)
    return paginate(versions, filters)


@router.get("/catalog/export.xlsx")
def export(request: HttpRequest, as_of: dt.date | None = None):
    """The list in force on `as_of` as an Excel file."""
    require_reader(request, ApiScope.CATALOG_READ)
    day = as_of or selectors.today()
    data = exports.catalog_xlsx(selectors.item_list(as_of=day), selectors.implementation_list(as_of=day), day)
    return xlsx_response(data, f"监管事项清单-{day}.xlsx")


def xlsx_response(data: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    return response
