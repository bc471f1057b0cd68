"""`/api/v1/catalog/…`: the published list (readable by every signed-in person and by systems with the
catalog scope), the change workflow, publications, exports and the mapping of own lists."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, Status, UploadedFile

from jianguan.accounts.contracts import allow
from jianguan.accounts.models import Department
from jianguan.core.api import ErrorOut, InputSchema, Page, paginate, require_person, require_reader
from jianguan.core.errors import NotFound, ValidationFailed
from jianguan.core.roles import ApiScope, Role

from . import change_requests, exports, fusion_links, mapping_imports, publishing, selectors
from .models import (
    CatalogVersion,
    ChangeKind,
    ChangeRequest,
    ImplementationVersion,
    MappingImport,
    PowerItem,
    Publication,
    SpotCheckItem,
)

router = Router(tags=["监管事项清单 catalog"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


class ItemFilter(Schema):
    q: str | None = None
    department: str | None = None
    type: str | None = None
    as_of: dt.date | None = None
    limit: int = 50
    offset: int = 0


def _line(department: str | None) -> str | None:
    """A line key (scjg …) or a department id (its line)."""
    if department and department.isdigit():
        return Department.objects.filter(pk=int(department)).values_list("kind", flat=True).first() or "-"
    return department or None


@router.get("/catalog/items", response=Page[ItemOut])
def item_list(request: HttpRequest, filters: Query[ItemFilter]):
    """The 子项 in force on `as_of` (today by default): keyword `q`, `department` (a line such as `scjg`, or a
    department id), `type` (check, penalty, coercion, other)."""
    require_reader(request, ApiScope.CATALOG_READ)
    versions = selectors.item_versions(as_of=filters.as_of, q=filters.q, line=_line(filters.department),
                                       action_type=filters.type)
    return paginate(versions, limit=filters.limit, offset=filters.offset)


@router.get("/catalog/items/{code}", response={200: ItemOut, 404: ErrorOut})
def item_get(request: HttpRequest, code: str, as_of: dt.date | None = None):
    """The version of an item that applies on `as_of` (today by default), whatever its status."""
    require_reader(request, ApiScope.CATALOG_READ)
    return selectors.item_get(code=code, as_of=as_of)


@router.get("/catalog/items/{code}/history", response={200: list[ItemOut], 404: ErrorOut})
def item_history(request: HttpRequest, code: str):
    require_reader(request, ApiScope.CATALOG_READ)
    return selectors.item_history(code=code)


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


class ImplementationFilter(Schema):
    body: int | None = None
    level: int | None = None
    item: str | None = None
    as_of: dt.date | None = None
    limit: int = 50
    offset: int = 0


@router.get("/catalog/implementations", response=Page[ImplementationOut])
def implementation_list(request: HttpRequest, filters: Query[ImplementationFilter]):
    """Implementation rows (检查实施清单) in force on `as_of`: by `body` (department id), `level` (1–5), `item`."""
    require_reader(request, ApiScope.CATALOG_READ)
    versions = selectors.implementation_versions(as_of=filters.as_of, body=filters.body, level=filters.level,
                                                 item=filters.item)
    return paginate(versions, limit=filters.limit, offset=filters.offset)


class ChangeIn(InputSchema):
    kind: ChangeKind
    payload: dict[str, Any]
    reason: str = ""


class StepOut(Schema):
    old: str
    new: str
    actor: str
    note: str
    at: dt.datetime

    @staticmethod
    def resolve_actor(obj) -> str:
        return str(obj.actor)


class ChangeOut(Schema):
    id: int
    kind: str
    status: str
    department: int
    department_name: str
    payload: dict[str, Any]
    reason: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    review_note: str
    publication: str | None

    @staticmethod
    def resolve_department(obj: ChangeRequest) -> int:
        return obj.department_id

    @staticmethod
    def resolve_department_name(obj: ChangeRequest) -> str:
        return obj.department.name

    @staticmethod
    def resolve_publication(obj: ChangeRequest) -> str | None:
        return obj.publication.number if obj.publication_id else None


class ChangeDetailOut(ChangeOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: ChangeRequest) -> list:
        return list(obj.steps.all())


@router.post("/catalog/changes",
             auth=allow(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN),
             response={201: ChangeOut, 400: ErrorOut, 403: ErrorOut})
def change_submit(request: HttpRequest, data: ChangeIn):
    """Propose a change (add, modify, split, merge, cancel, suspend an item; claim, modify, cancel an
    implementation row) and send it for review. The payload is validated now and again when published."""
    change = change_requests.change_submit(actor=require_person(request), kind=data.kind, payload=data.payload,
                                           reason=data.reason)
    return Status(201, change)


class ChangeFilter(Schema):
    status: str | None = None
    limit: int = 50
    offset: int = 0


@router.get("/catalog/changes", response=Page[ChangeOut])
def change_list(request: HttpRequest, filters: Query[ChangeFilter]):
    """Changes of the caller's departments and jurisdiction."""
    changes = selectors.change_list(user=require_person(request), status=filters.status)
    return paginate(changes, limit=filters.limit, offset=filters.offset)


@router.get("/catalog/changes/{change_id}", response={200: ChangeDetailOut, 404: ErrorOut})
def change_get(request: HttpRequest, change_id: int):
    return selectors.change_get(user=require_person(request), change_id=change_id)


class ReviewIn(InputSchema):
    approve: bool
    note: str = ""


@router.post("/catalog/changes/{change_id}/review",
             auth=allow(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN),
             response={200: ChangeOut, 400: ErrorOut, 403: ErrorOut,
                                                               404: ErrorOut, 409: ErrorOut})
def change_review(request: HttpRequest, change_id: int, data: ReviewIn):
    """Approve or send back (the level above, or the data administrator)."""
    user = require_person(request)
    selectors.change_get(user=user, change_id=change_id)  # 404 outside the reviewer's scope
    return change_requests.change_review(actor=user, change_id=change_id, approve=data.approve, note=data.note)


@router.post("/catalog/changes/{change_id}/withdraw",
             auth=allow(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN),
             response={200: ChangeOut, 403: ErrorOut, 404: ErrorOut,
                                                                 409: ErrorOut})
def change_withdraw(request: HttpRequest, change_id: int):
    user = require_person(request)
    selectors.change_get(user=user, change_id=change_id)
    return change_requests.change_withdraw(actor=user, change_id=change_id)


class PublicationIn(InputSchema):
    title: str
    changelog: str = ""
    changes: list[int] | None = None


class PublicationOut(Schema):
    number: str
    title: str
    changelog: str
    published_at: dt.datetime
    effective_on: dt.date
    item_count: int
    implementation_count: int
    digest: str


@router.post("/catalog/publications",
             auth=allow(Role.DATA_ADMIN),
             response={201: PublicationOut, 400: ErrorOut, 403: ErrorOut})
def publication_create(request: HttpRequest, data: PublicationIn):
    """Publish the approved changes (all, or those listed) as a new version of the list (data administrator)."""
    publication = publishing.publication_publish(actor=require_person(request), title=data.title,
                                                 changelog=data.changelog, change_ids=data.changes)
    return Status(201, publication)


@router.get("/catalog/publications", response=list[PublicationOut])
def publication_list(request: HttpRequest):
    require_reader(request, ApiScope.CATALOG_READ)
    return Publication.objects.all()[:100]


@router.get("/catalog/export.xlsx")
def export(request: HttpRequest, as_of: dt.date | None = None):
    """The list in force on `as_of` as an Excel file."""
    require_reader(request, ApiScope.CATALOG_READ)
    day = as_of or selectors.today()
    data = exports.catalog_xlsx(selectors.item_versions(as_of=day), selectors.implementation_versions(as_of=day), day)
    return xlsx_response(data, f"监管事项清单-{day}.xlsx")


def xlsx_response(data: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    return response




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


class LinkIn(InputSchema):
    items: list[str]


class LinkOut(Schema):
    id: int
    name: str
    items: list[str]

    @staticmethod
    def resolve_items(obj) -> list[str]:
        return sorted(obj.items.values_list("code", flat=True))


@router.post("/catalog/spot-checks/{row_id}/items",
             auth=allow(Role.DATA_ADMIN),
             response={200: LinkOut, 400: ErrorOut, 403: ErrorOut,
                                                               404: ErrorOut})
def spot_check_link(request: HttpRequest, row_id: int, data: LinkIn):
    """Link a 随机抽查事项 to the 子项 it rests on (data administrator)."""
    row = SpotCheckItem.objects.filter(pk=row_id).first()
    if row is None:
        raise NotFound()
    return fusion_links.fusion_link(actor=require_person(request), row=row, item_codes=data.items)


@router.post("/catalog/powers/{row_id}/items",
             auth=allow(Role.DATA_ADMIN),
             response={200: LinkOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def power_link(request: HttpRequest, row_id: int, data: LinkIn):
    """Link a 权力事项 to the 子项 of the same legal basis (data administrator)."""
    row = PowerItem.objects.filter(pk=row_id).first()
    if row is None:
        raise NotFound()
    return fusion_links.fusion_link(actor=require_person(request), row=row, item_codes=data.items)


class FusionOut(Schema):
    spot_check_total: int
    power_total: int
    spot_checks_unlinked: list[str]
    powers_unlinked: list[str]
    random_items_without_spot_check: list[str]
    items_without_power: list[str]


@router.get("/catalog/fusion", response=FusionOut)
def fusion(request: HttpRequest, department: str | None = None):
    """What is not linked between the catalog, the 随机抽查事项清单 and the 权力清单."""
    require_reader(request, ApiScope.CATALOG_READ)
    report = selectors.fusion_report(line=_line(department))
    return {"spot_check_total": report.spot_check_total, "power_total": report.power_total,
            "spot_checks_unlinked": [s.name for s in report.spot_checks_unlinked],
            "powers_unlinked": [p.name for p in report.powers_unlinked],
            "random_items_without_spot_check": [v.item.code for v in report.random_items_without_spot_check],
            "items_without_power": [v.item.code for v in report.penalty_items_without_power]}
