"""`/api/v1/credit/…`: credit records from their sources, as JSON or files; the public entries of the lists."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import AuthorizationError

from jianguan.accounts.contracts import allow
from jianguan.core.actors import Actor, person
from jianguan.core.api import ErrorOut, InputSchema, Page, PageQuery, page_bounds, require_reader
from jianguan.core.roles import ApiScope, Role

from . import lists, services
from .models import CreditImport

router = Router(tags=["信用信息 credit"])


class RecordIn(InputSchema):
    uscc: str
    date: str
    title: str
    source_ref: str
    authority: str = ""
    detail: str = ""
    ends_on: str = ""


class BatchIn(InputSchema):
    kind: str
    source: str
    records: list[RecordIn]


class BatchOut(Schema):
    id: int
    kind: str
    source: str
    rows: int
    created_at: dt.datetime


def _writer(request: HttpRequest) -> Actor:
    who: Actor = require_reader(request, ApiScope.CREDIT_WRITE)
    someone = person(who)
    if someone is not None and not someone.has_role(Role.DATA_ADMIN):
        raise AuthorizationError()
    return who


@router.post("/credit/records",
             auth=allow(Role.DATA_ADMIN, systems=ApiScope.CREDIT_WRITE),
             response={201: BatchOut, 400: ErrorOut, 403: ErrorOut})
def records_create(request: HttpRequest, data: BatchIn) -> Status[CreditImport]:
    """Store a batch of one kind from one source (all or none; problems by record number)."""
    batch = services.credit_import_json(actor=_writer(request), kind=data.kind, source=data.source,
                                        records=[r.model_dump() for r in data.records], body=request.body)
    return Status(201, batch)


@router.post("/credit/imports",
             auth=allow(Role.DATA_ADMIN, systems=ApiScope.CREDIT_WRITE),
             response={201: BatchOut, 400: ErrorOut, 403: ErrorOut})
def records_import(request: HttpRequest, kind: Form[str], source: Form[str],
                   file: File[UploadedFile]) -> Status[CreditImport]:
    """Import an xlsx or CSV file of one kind from one source (columns: 统一社会信用代码, 日期, 事由, 来源编号,
    作出机关, 内容, 移出日期)."""
    batch = services.credit_import_file(actor=_writer(request), kind=kind, source=source,
                                        file_name=file.name or "upload", data=file.read())
    return Status(201, batch)


class ListQuery(PageQuery):
    list: str | None = None
    uscc: str = ""


class PublicEntryOut(Schema):
    list: str
    name: str
    uscc: str
    reason: str
    authority: str
    decision_number: str
    date: dt.date
    ends_on: dt.date | None


@router.get("/credit/lists", auth=None, response={200: Page[PublicEntryOut], 400: ErrorOut})
def public_lists(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, object]:
    """Public entries (no sign-in): the 经营异常名录 (`list=abnormal`) and the 严重违法失信名单 (`list=serious`), or
    every list one after the other (one entity's with `uscc`): name, 统一社会信用代码, ground, deciding body, the
    decision's number, day of listing and end of publication — no personal data, never the internal credit-risk
    class."""
    limit, offset = page_bounds(filters.limit, filters.offset)
    count, items = lists.public_entries(list_name=filters.list, offset=offset, limit=limit, uscc=filters.uscc)
    return {"count": count, "limit": limit, "offset": offset, "items": items}
