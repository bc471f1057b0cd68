"""`/api/v1/complaints…`: intake from other systems (the 12345 platform), and handling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, Status, UploadedFile

from jianguan.accounts.contracts import allow
from jianguan.core.api import (
    ErrorOut,
    InputSchema,
    Page,
    PageQuery,
    ScopedOut,
    paginate,
    principal,
    require_person,
    require_reader,
)
from jianguan.core.roles import ApiScope, Role

from . import selectors, services
from .models import Complaint, ComplaintImport

router = Router(tags=["投诉举报 complaints"])


class ComplaintIn(InputSchema):
    kind: str = "complaint"
    category: str = "other"
    subject_name: str = ""
    subject_uscc: str = ""
    subject_address: str = ""
    region: str = ""
    content: str
    complainant_name: str = ""
    complainant_phone: str = ""
    external_ref: str = ""
    received_at: dt.datetime | None = None


class ComplaintOut(ScopedOut):
    id: int
    number: str
    kind: str
    channel: str
    external_ref: str
    received_at: dt.datetime
    subject_name: str
    region: str
    category: str
    department: int
    department_name: str
    status: str
    accept_due: dt.date | None
    handle_due: dt.date | None
    outcome: str


@router.post("/complaints",
             auth=allow(Role.OFFICER, Role.DEPARTMENT_ADMIN, systems=ApiScope.COMPLAINTS_WRITE),
             response={201: ComplaintOut, 400: ErrorOut, 403: ErrorOut})
def complaint_create(request: HttpRequest, data: ComplaintIn) -> Status[Complaint]:
    """Take in one complaint or report from another system (scope `complaints:write`); the body as received is
    kept, the complaint assigned to the department of its subject and jurisdiction."""
    who = require_reader(request, ApiScope.COMPLAINTS_WRITE)
    values = data.model_dump(exclude={"external_ref", "received_at"})
    complaint = services.complaint_receive(actor=principal(request) or who, values=values, channel="api",
                                           external_ref=data.external_ref, received_at=data.received_at)
    return Status(201, complaint)


class ImportOut(Schema):
    id: int
    file_name: str
    rows: int


@router.post("/complaints/imports",
             auth=allow(Role.DATA_ADMIN, Role.DEPARTMENT_ADMIN, systems=ApiScope.COMPLAINTS_WRITE),
             response={201: ImportOut, 400: ErrorOut, 403: ErrorOut})
def complaint_import(request: HttpRequest, file: File[UploadedFile]) -> Status[ComplaintImport]:
    """Import a 12345 hotline file (xlsx or CSV): all rows or none, problems by row and column."""
    who = require_reader(request, ApiScope.COMPLAINTS_WRITE)
    batch = services.complaint_import(actor=who, file_name=file.name or "upload", data=file.read())
    return Status(201, batch)


class ComplaintFilter(PageQuery):
    status: str | None = None
    q: str | None = None


@router.get("/complaints", response=Page[ComplaintOut])
def complaint_list(request: HttpRequest, filters: Query[ComplaintFilter]) -> dict[str, Any]:
    complaints = selectors.complaint_list(reader=require_person(request), status=filters.status, q=filters.q)
    return paginate(complaints, filters)


@router.get("/complaints/{complaint_id}", response={200: ComplaintOut, 404: ErrorOut})
def complaint_get(request: HttpRequest, complaint_id: int) -> Complaint:
    return selectors.complaint_get(reader=require_person(request), complaint_id=complaint_id)


class ComplaintDecisionIn(InputSchema):
    accept: bool
    note: str = ""


@router.post("/complaints/{complaint_id}/decision",
             auth=allow(Role.OFFICER, Role.DEPARTMENT_ADMIN),
             response={200: ComplaintOut, 400: ErrorOut, 403: ErrorOut,
                                                                404: ErrorOut, 409: ErrorOut})
def complaint_decide(request: HttpRequest, complaint_id: int, data: ComplaintDecisionIn) -> Complaint:
    return services.complaint_decide(actor=require_person(request), complaint_id=complaint_id, accept=data.accept,
                                     note=data.note)
