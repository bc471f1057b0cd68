"""`/api/v1/catalog/mappings…`: mapping a department's own item list onto the catalog (template, import, rows'
decisions).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status, UploadedFile

from jianguan.accounts.contracts import allow
from jianguan.core.api import ErrorOut, InputSchema, require_person
from jianguan.core.errors import ValidationFailed
from jianguan.core.roles import Role

from . import exports, mapping_imports, selectors
from .api import xlsx_response
from .models import MappingImport

router = Router(tags=["监管事项清单 catalog"])


@router.get("/catalog/mappings/template.xlsx")
def mapping_template(request: HttpRequest):
    """The Excel template for a department's own item list."""
    require_person(request)
    return xlsx_response(exports.mapping_template(), "自建事项清单模板.xlsx")


class CandidateOut(Schema):
    rank: int
    item_code: str
    item_name: str
    score: float
    evidence: dict[str, Any]

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item_name(obj) -> str:
        version = obj.item.versions.order_by("-version").first()
        return version.name if version else ""


class MappingRowOut(Schema):
    id: int
    row_number: int
    name: str
    basis: str
    decision: str
    confirmed_item: str | None
    candidates: list[CandidateOut]

    @staticmethod
    def resolve_confirmed_item(obj) -> str | None:
        return obj.confirmed_item.code if obj.confirmed_item_id else None

    @staticmethod
    def resolve_candidates(obj) -> list:
        return list(obj.candidates.all())


class MappingOut(Schema):
    id: int
    file_name: str
    created_at: dt.datetime
    rows: list[MappingRowOut]
    coverage: dict[str, int]

    @staticmethod
    def resolve_rows(obj: MappingImport) -> list:
        return list(obj.rows.select_related("confirmed_item").prefetch_related("candidates__item"))

    @staticmethod
    def resolve_coverage(obj: MappingImport) -> dict[str, int]:
        return selectors.mapping_coverage(mapping=obj)


@router.post("/catalog/mappings",
             auth=allow(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN),
             response={201: MappingOut, 400: ErrorOut, 403: ErrorOut})
def mapping_import(request: HttpRequest, file: File[UploadedFile]):
    """Import a department's own list (xlsx or CSV, see the template); rows get ranked catalog candidates."""
    if file.size and file.size > 10 * 1024 * 1024:
        raise ValidationFailed("文件超过 10 MB", code="too_large", field="file")
    mapping = mapping_imports.mapping_import(actor=require_person(request), file_name=file.name or "upload",
                                             data=file.read())
    return Status(201, mapping)


@router.get("/catalog/mappings/{mapping_id}", response={200: MappingOut, 404: ErrorOut})
def mapping_get(request: HttpRequest, mapping_id: int):
    return MappingImport.objects.get_visible(require_person(request), pk=mapping_id)


class DecisionIn(InputSchema):
    item: str | None = None


@router.post("/catalog/mappings/{mapping_id}/rows/{row_id}/decision",
             auth=allow(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN),
             response={200: MappingRowOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def mapping_decide(request: HttpRequest, mapping_id: int, row_id: int, data: DecisionIn):
    """Confirm a row's 子项 (`item`), or record that none applies (`item` null)."""
    user = require_person(request)
    MappingImport.objects.get_visible(user, pk=mapping_id)
    return mapping_imports.mapping_decide(actor=user, row_id=row_id, item_code=data.item)
