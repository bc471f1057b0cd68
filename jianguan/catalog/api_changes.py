"""`/api/v1/catalog/changes…` and `/api/v1/catalog/publications`: the change workflow (submit, review,
withdraw) and the publications of the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

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

from . import change_requests, publishing, selectors
from .models import ChangeKind, ChangeRequest, Publication

router = Router(tags=["监管事项清单 catalog"])


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


class ChangeOut(ScopedOut):
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


class ChangeFilter(PageQuery):
    status: str | None = None


@router.get("/catalog/changes", response=Page[ChangeOut])
def change_list(request: HttpRequest, filters: Query[ChangeFilter]):
    """Changes of the caller's departments and jurisdiction."""
    changes = selectors.change_list(reader=require_person(request), status=filters.status)
    return paginate(changes, filters)


@router.get("/catalog/changes/{change_id}", response={200: ChangeDetailOut, 404: ErrorOut})
def change_get(request: HttpRequest, change_id: int):
    return selectors.change_get(reader=require_person(request), change_id=change_id)


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
    selectors.change_get(reader=user, change_id=change_id)  # 404 outside the reviewer's scope
    return change_requests.change_review(actor=user, change_id=change_id, approve=data.approve, note=data.note)


@router.post("/catalog/changes/{change_id}/withdraw",
             auth=allow(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN),
             response={200: ChangeOut, 403: ErrorOut, 404: ErrorOut,
                                                                 409: ErrorOut})
def change_withdraw(request: HttpRequest, change_id: int):
    user = require_person(request)
    selectors.change_get(reader=user, change_id=change_id)
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
