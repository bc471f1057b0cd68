"""`/api/v1/inspections/…`: the officer's inspections, what the phone keeps offline, the idempotent sync, evidence.

The field page calls these with the browser's session (and the CSRF token in `X-CSRFToken`); apps may use a bearer
token instead.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from jianguan.accounts.contracts import allow
from jianguan.core.api import ErrorOut, InputSchema, Page, PageQuery, ScopedOut, paginate, require_person
from jianguan.core.roles import Role

from . import drafts, evidence, selectors, sync
from .models import Evidence, FieldInspection

router = Router(tags=["行政检查 inspections"])


# Output -------------------------------------------------------------------------------------------------------

class InspectionEvidenceOut(Schema):
    id: int
    client_id: uuid.UUID
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str
    taken_at: dt.datetime | None


class ChecklistRowOut(Schema):
    seq: int
    item: str
    answer: str
    note: str


class LocationOut(Schema):
    latitude: Decimal
    longitude: Decimal
    accuracy: Decimal | None


class InspectionListOut(ScopedOut):
    id: int
    client_id: uuid.UUID
    number: str
    status: str
    version: int
    origin_kind: str
    origin_ref: str
    department: int
    item_name: str
    party_name: str
    outcome: str
    started_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_number(obj: FieldInspection) -> str:
        return obj.number or ""


class InspectionOut(InspectionListOut):
    department_name: str
    region: str
    implementation_code: str
    catalog_code: str
    checklist_kind: str
    checklist: list[ChecklistRowOut]
    party_code: str
    party_address: str
    officers: list[str]
    officer_credentials: list[dict[str, str]]
    place: str
    ended_at: dt.datetime | None
    location: LocationOut | None
    signature_sha256: str
    signature_refused: bool
    refusal_note: str
    witness: str
    findings: str
    rectify_due: dt.date | None
    rectify_requirement: str
    transfer_to: str
    documents: list[dict[str, Any]]
    clue_number: str
    evidence: list[InspectionEvidenceOut]
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_officers(obj: FieldInspection) -> list[str]:
        return sorted(u.username for u in obj.officers.all())

    @staticmethod
    def resolve_location(obj: FieldInspection) -> dict[str, Any] | None:
        if obj.latitude is None:
            return None
        return {"latitude": obj.latitude, "longitude": obj.longitude, "accuracy": obj.accuracy}

    @staticmethod
    def resolve_evidence(obj: FieldInspection) -> list[Evidence]:
        return list(obj.evidence.all())


def shown(inspection: FieldInspection) -> dict[str, Any]:
    """The record as the API shows it, as JSON values (for a conflict's body)."""
    return InspectionOut.from_orm(inspection).model_dump(mode="json")


# Lists and reads ----------------------------------------------------------------------------------------------

class InspectionFilter(PageQuery):
    mine: bool = True
    status: Literal["draft", "submitted"] | None = None


@router.get("/inspections", response=Page[InspectionListOut])
def inspection_list(request: HttpRequest, filters: Query[InspectionFilter]):
    """The caller's inspections (those they are an officer of or opened); `mine=false` lists every inspection
    in their scope."""
    reader = require_person(request)
    inspections = selectors.inspection_list(reader=reader, mine=filters.mine, status=filters.status)
    return paginate(inspections, filters)


class ColleagueOut(Schema):
    username: str
    name: str
    credential: str
    valid: bool


class InspectionImplementationOut(Schema):
    code: str
    item_code: str
    name: str
    routine: list[str]
    special: list[str]


class FieldDataOut(Schema):
    me: dict[str, str]
    today: dt.date
    colleagues: list[ColleagueOut]
    implementations: list[InspectionImplementationOut]
    tasks: list[InspectionOut]


@router.get("/inspections/field-data", response=FieldDataOut)
def field_data(request: HttpRequest):
    """What the field page keeps on the phone to work offline: colleagues and their 执法证, the department's
    行政检查 rows in force today with their checklists, and the caller's tasks (drafts assigned to them)."""
    reader = require_person(request)
    tasks = selectors.task_list(reader=reader).prefetch_related("evidence")
    return {**selectors.field_data(reader=reader), "tasks": list(tasks)}


# Sync ---------------------------------------------------------------------------------------------------------

class PartyIn(InputSchema):
    kind: Literal["entity", "person", "object"] = "entity"
    uscc: str = ""
    id_number: str = ""
    object_id: int | None = None


class LocationIn(InputSchema):
    latitude: Decimal
    longitude: Decimal
    accuracy: Decimal | None = None


class AnswerIn(InputSchema):
    item: str
    answer: Literal["", "pass", "fail", "na"] = ""
    note: str = ""


class SyncIn(InputSchema):
    client_id: uuid.UUID
    base_version: int = 0
    submit: bool = False
    origin_kind: str = ""
    origin_ref: str = ""
    implementation_code: str = ""
    party: PartyIn | None = None
    place: str = ""
    officers: list[str] = []
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    location: LocationIn | None = None
    checklist: list[AnswerIn] = []
    signature_png: str = ""
    signature_refused: bool = False
    refusal_note: str = ""
    witness: str = ""
    outcome: Literal["", "no_problem", "rectify", "clue", "transfer"] = ""
    findings: str = ""
    rectify_due: dt.date | None = None
    rectify_requirement: str = ""
    transfer_to: str = ""


@router.post("/inspections/sync",
             auth=allow(Role.OFFICER),
             response={200: InspectionOut, 201: InspectionOut, 400: ErrorOut, 403: ErrorOut,
                                            404: ErrorOut, 409: ErrorOut})
def inspection_sync(request: HttpRequest, data: SyncIn):
    """Store what a phone captured, exactly once per `client_id` (201 when created, 200 with the stored record
    otherwise); `submit: true` submits it. A different payload for a record changed on the server since
    `base_version` (or already submitted) is refused with 409, the server's version in `extra.server` and the sent
    one in `extra.client`: nothing is overwritten."""
    actor = require_person(request, Role.OFFICER)
    values = data.model_dump(exclude={"client_id", "base_version", "submit"})
    for name in ("origin_kind", "origin_ref", "implementation_code", "party"):
        if not values[name]:
            values.pop(name)
    try:
        inspection, created = sync.inspection_sync(actor=actor, client_id=data.client_id,
                                                       base_version=data.base_version, values=values,
                                                       submit=data.submit)
    except drafts.SyncConflict as conflict:
        server = selectors.inspection_get(reader=actor, inspection_id=conflict.inspection.pk)
        return Status(409, {"code": conflict.code, "message": conflict.message, "extra": {
            "server": shown(server), "client": data.model_dump(mode="json", exclude={"signature_png"}) | {
                "signature_png": bool(data.signature_png)}}})
    return Status(201 if created else 200, selectors.inspection_get(reader=actor, inspection_id=inspection.pk))


@router.get("/inspections/{inspection_id}", response={200: InspectionOut, 404: ErrorOut})
def inspection_get(request: HttpRequest, inspection_id: int):
    return selectors.inspection_get(reader=require_person(request), inspection_id=inspection_id)


class EvidenceIn(InputSchema):
    client_id: uuid.UUID
    sha256: str
    taken_at: dt.datetime | None = None


@router.post("/inspections/{inspection_id}/evidence",
             auth=allow(Role.OFFICER),
             response={200: InspectionEvidenceOut, 201: InspectionEvidenceOut, 400: ErrorOut, 403: ErrorOut,
                       404: ErrorOut, 409: ErrorOut})
def evidence_upload(request: HttpRequest, inspection_id: int, data: Form[EvidenceIn], file: File[UploadedFile]):
    """Attach a photo or video (multipart: `file`, `client_id`, `sha256`). The type is read from the bytes (JPEG,
    PNG, HEIC, MP4), the size limited, the SHA-256 compared with the phone's; the same `client_id` again answers the
    stored file."""
    actor = require_person(request, Role.OFFICER)
    item, created = evidence.evidence_add(actor=actor, inspection_id=inspection_id, client_id=data.client_id,
                                          name=file.name or "evidence", data=file.read(), sha256=data.sha256,
                                          taken_at=data.taken_at)
    return Status(201 if created else 200, item)
