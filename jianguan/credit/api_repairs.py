"""`/api/v1/credit/repairs…`: credit-repair applications entered by officers or connected systems, the scoped list,
one application and its steps (ADR 0045)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile

from jianguan.accounts.contracts import allow
from jianguan.core.api import (
    ErrorOut,
    InputSchema,
    Page,
    PageQuery,
    ScopedOut,
    paginate,
    require_person,
    require_reader,
)
from jianguan.core.roles import ApiScope, Role

from . import repair, repair_selectors
from .models import RepairApplication, RepairChannel

router = Router(tags=["信用修复 credit repair"])
STAFF = (Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.HEAD)


class RepairOut(ScopedOut):
    id: int
    number: str
    status: str
    channel: str
    penalty_number: str
    decision_number: str
    uscc: str
    department: int
    department_name: str
    region: str
    scheme: str
    publication_channel: str
    category: str
    scheme_date: dt.date
    eligible_on: dt.date
    publish_until: dt.date | None
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    reasons: str
    decision_document: int | None
    decision_document_number: str

    @staticmethod
    def resolve_penalty_number(obj: RepairApplication) -> str:
        return str(obj.penalty.number)

    @staticmethod
    def resolve_decision_number(obj: RepairApplication) -> str:
        return str(obj.penalty.decision_number)

    @staticmethod
    def resolve_uscc(obj: RepairApplication) -> str:
        return str(obj.entity.uscc)


def _upload(file: UploadedFile | None) -> repair.Upload | None:
    return None if file is None else repair.Upload(file.name or "upload", file.read())


@router.post("/credit/repairs", auth=allow(*STAFF, systems=ApiScope.CREDIT_WRITE),
             response={201: RepairOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def repair_create(request: HttpRequest, uscc: Form[str], decision_number: Form[str], applicant_name: Form[str],
                  applicant_phone: Form[str], correction: Form[str], commitment: File[UploadedFile],
                  proof: File[UploadedFile]) -> Status[RepairApplication]:
    """Enter an application (multipart: the fields, the 信用承诺书 `commitment` and one `proof` file, PDF/JPG/PNG);
    refused with the rule that does not hold (minimum period, performed, 不可修复, the two lists)."""
    who = require_reader(request, ApiScope.CREDIT_WRITE)
    channel = RepairChannel.OFFICER if getattr(who, "is_person", False) else RepairChannel.API
    values = {"uscc": uscc, "decision_number": decision_number, "applicant_name": applicant_name,
              "applicant_phone": applicant_phone, "correction": correction}
    app = repair.repair_apply(actor=who, channel=channel, values=values, commitment=_upload(commitment),
                              proofs=[p for p in (_upload(proof),) if p is not None])
    return Status(201, app)


class RepairFilter(PageQuery):
    status: str | None = None


@router.get("/credit/repairs", response=Page[RepairOut])
def repair_list(request: HttpRequest, filters: Query[RepairFilter]) -> dict[str, Any]:
    rows = repair_selectors.repair_list(reader=require_person(request), status=filters.status)
    return paginate(rows, filters)


@router.get("/credit/repairs/{application_id}", response={200: RepairOut, 404: ErrorOut})
def repair_get(request: HttpRequest, application_id: int) -> RepairApplication:
    return repair_selectors.repair_get(reader=require_person(request), application_id=application_id)


class ActionIn(InputSchema):
    action: str
    reasons: str = ""


@router.post("/credit/repairs/{application_id}/actions", auth=allow(*STAFF),
             response={200: RepairOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def repair_act(request: HttpRequest, application_id: int, data: ActionIn) -> RepairApplication:
    """Accept or refuse (the department's people), approve or reject with reasons (its head)."""
    reader = require_person(request)
    repair_selectors.repair_get(reader=reader, application_id=application_id)
    return repair.repair_act(actor=reader, application_id=application_id, action=data.action, reasons=data.reasons)
