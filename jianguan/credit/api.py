"""`/api/v1/credit/…`: credit records from their sources, as JSON or files; the public entries of the lists; an
entity's credit-risk class (internal); manual adjustments of the class."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import AuthorizationError

from jianguan.accounts.contracts import allow
from jianguan.core.actors import Actor, person
from jianguan.core.api import ErrorOut, InputSchema, Page, PageQuery, page_bounds, require_person, require_reader
from jianguan.core.errors import NotFound
from jianguan.core.roles import ApiScope, Role
from jianguan.subjects.contracts import entity_get

from . import adjustments, lists, selectors, services
from .models import ClassAdjustment, CreditImport

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


class ReasonOut(Schema):
    code: str
    title: str


class AdjustedOut(Schema):
    id: int
    target_class: str
    reason: str
    expires_on: str
    approved_by: str


class ClassOut(Schema):
    uscc: str
    risk_class: str
    computed_class: str
    points: int
    forced: bool
    run: str
    month: str
    as_of: str
    scorecard: str
    reasons: list[ReasonOut]
    adjustment: AdjustedOut | None


@router.get("/credit/classes/{uscc}", response={200: ClassOut, 403: ErrorOut, 404: ErrorOut})
def class_get(request: HttpRequest, uscc: str) -> dict[str, Any]:
    """The entity's credit-risk class in force (internal: people of the platform only, within their jurisdiction;
    404 for an entity outside it or not classified): the class, the computed class beside an approved manual
    adjustment in force, the run and its month, the top reasons."""
    reader = require_person(request)
    entity = entity_get(reader=reader, uscc=uscc)
    card = selectors.entity_class(entity.uscc)
    if card is None:
        raise NotFound("该主体尚无已发布的信用风险分类")
    return {"uscc": entity.uscc, "risk_class": card.risk_class, "computed_class": card.computed_class,
            "points": card.points, "forced": card.forced, "run": card.run_number, "month": card.month,
            "as_of": card.as_of, "scorecard": card.scorecard, "reasons": [r.__dict__ for r in card.reasons],
            "adjustment": card.adjustment.__dict__ if card.adjustment else None}


class AdjustmentIn(InputSchema):
    uscc: str
    target_class: str
    reason: str = ""
    evidence_note: str = ""
    expires_on: str = ""


class AdjustmentTransitionIn(InputSchema):
    action: str
    opinion: str = ""


class AdjustmentOut(Schema):
    id: int
    uscc: str
    computed_class: str
    target_class: str
    reason: str
    evidence_note: str
    evidence_name: str
    evidence_sha256: str
    expires_on: dt.date
    status: str
    run_number: str
    proposed_by: str
    decided_by: str | None

    @staticmethod
    def resolve_uscc(obj: ClassAdjustment) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_proposed_by(obj: ClassAdjustment) -> str:
        return obj.proposed_by.username

    @staticmethod
    def resolve_decided_by(obj: ClassAdjustment) -> str | None:
        return obj.decided_by.username if obj.decided_by else None


@router.post("/credit/adjustments", auth=allow(Role.OFFICER, Role.HEAD),
             response={201: AdjustmentOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut})
def adjustment_propose(request: HttpRequest, data: AdjustmentIn) -> Status[ClassAdjustment]:
    """Propose a manual adjustment of an entity's class (an officer or head of a 市场监督管理 department, with a
    reason, an evidence reference and an optional expiry date); the head of the proposer's department approves."""
    adjustment = adjustments.adjustment_propose(actor=require_person(request), **data.model_dump())
    return Status(201, adjustment)


@router.post("/credit/adjustments/{adjustment_id}/transitions", auth=allow(Role.OFFICER, Role.HEAD),
             response={200: AdjustmentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def adjustment_transition(request: HttpRequest, adjustment_id: int, data: AdjustmentTransitionIn) -> ClassAdjustment:
    """`approve`, `reject` or `withdraw` (the head of the proposer's department, never the proposer; `opinion`
    required to reject or withdraw)."""
    return adjustments.adjustment_transition(actor=require_person(request), adjustment_id=adjustment_id,
                                             action=data.action, opinion=data.opinion)
