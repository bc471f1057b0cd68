"""`/api/v1/risk/…`: monitoring data in from other systems (scope `risk:write`), alerts and their disposal, the
reference registers the models judge against (files of one kind from one source)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

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

from . import contracts, disposal, file_intake, intake, register_imports, selectors
from .models import Alert, FileStatus, ObservationFile, RegisterImport

router = Router(tags=["风险预警 risk"])


class ObservationBatchIn(InputSchema):
    items: list[Any]


class ObservationBatchOut(Schema):
    stored: list[str]
    repeated: list[str]


@router.post("/risk/observations", auth=allow(Role.DATA_ADMIN, systems=ApiScope.RISK_WRITE),
             response={201: ObservationBatchOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut})
def observations_receive(request: HttpRequest, data: ObservationBatchIn) -> Any:
    """Take in a batch of ads, web pages and online listings (at most 500), stored whole or refused whole with each
    item's problem; an item sent again under the same id is a repeat, different content under a used id is 409."""
    who = require_reader(request, ApiScope.RISK_WRITE)
    received = intake.observations_receive(actor=principal(request) or who, items=data.items)
    return Status(201, {"stored": [o.sender_id for o in received.stored], "repeated": received.repeated})


class ObservationFileOut(ScopedOut):
    id: int
    file_name: str
    sender_label: str
    size: int
    sha256: str
    status: str
    rows: int
    checked: int
    stored: int
    repeated: int
    problem_count: int
    problems: list[dict[str, Any]]
    created_at: dt.datetime
    finished_at: dt.datetime | None
    department: int
    department_name: str
    region: str


@router.post("/risk/observation-files", auth=allow(Role.DATA_ADMIN, systems=ApiScope.RISK_WRITE),
             response={201: ObservationFileOut, 202: ObservationFileOut, 400: ErrorOut, 403: ErrorOut})
def observation_file_receive(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Take in a file of observations (JSON Lines, xlsx or CSV with the template's Chinese column titles; at most
    20,000 rows), kept as sent and stored whole or refused whole with every problem by row and column: 201 when
    stored, 202 while a large file is checked in the background (read its progress by its id), 400 when refused."""
    who = require_reader(request, ApiScope.RISK_WRITE)
    kept = file_intake.observation_file_receive(actor=principal(request) or who, file_name=file.name or "upload",
                                                data=file.read())
    if kept.status == FileStatus.REFUSED:
        raise file_intake.refusal(kept)
    return Status(201 if kept.status == FileStatus.STORED else 202, kept)


@router.get("/risk/observation-files/{file_id}", response={200: ObservationFileOut, 404: ErrorOut})
def observation_file_get(request: HttpRequest, file_id: int) -> ObservationFile:
    """A file of observations sent: its status, progress (`checked` of `rows`) and problems."""
    return selectors.observation_file_get(reader=require_reader(request, ApiScope.RISK_WRITE), file_id=file_id)
class ScanIn(InputSchema):
    model: str
    item: dict[str, Any]


class VerdictOut(Schema):
    id: str | int
    alert: bool
    score: float
    band: str | None
    hits: list[dict[str, Any]]
    model: str
    version: str


@router.post("/risk/scan", auth=allow(Role.DATA_ADMIN, systems=ApiScope.RISK_WRITE),
             response={200: VerdictOut, 400: ErrorOut, 403: ErrorOut})
def scan(request: HttpRequest, data: ScanIn) -> dict[str, Any]:
    """Judge one ad, web page or listing (`item`: the model's input fields) by `model` and answer its verdict, as
    `jianguan risk scan --format json` prints it. Nothing is stored: a monitoring system asks before it sends."""
    require_reader(request, ApiScope.RISK_WRITE)
    return contracts.verdict(model=data.model, item=data.item).as_json()


class AlertOut(ScopedOut):
    id: int
    subject_key: str
    subject_name: str
    entity: str | None
    model: str
    window: str
    region: str
    department: int
    department_name: str
    routing_note: str
    score: float
    band: str
    model_version: str
    lexicon_versions: dict[str, Any]
    hits: list[dict[str, Any]]
    status: str
    verify_due: dt.date | None
    extended: bool
    finding: str
    transfer_to: str
    control: bool

    @staticmethod
    def resolve_entity(obj: Alert) -> str | None:
        return obj.entity.uscc if obj.entity_id and obj.entity else None



class AlertFilter(PageQuery):
    status: str | None = None
    model: str | None = None
    overdue: bool = False


@router.get("/risk/alerts", response=Page[AlertOut])
def alert_list(request: HttpRequest, filters: Query[AlertFilter]) -> dict[str, Any]:
    alerts = selectors.alert_list(reader=require_person(request), status=filters.status, model=filters.model,
                                  overdue=filters.overdue).select_related("entity")
    return paginate(alerts, filters)


@router.get("/risk/alerts/{alert_id}", response={200: AlertOut, 404: ErrorOut})
def alert_get(request: HttpRequest, alert_id: int) -> Alert:
    return selectors.alert_get(reader=require_person(request), alert_id=alert_id)


class AlertTransitionIn(InputSchema):
    action: str
    data: dict[str, Any] = {}


@router.post("/risk/alerts/{alert_id}/transitions", auth=allow(Role.OFFICER, Role.HEAD),
             response={200: AlertOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def alert_transition(request: HttpRequest, alert_id: int, data: AlertTransitionIn) -> Alert:
    """One step of verifying and disposing of the alert (`verify`, `report`, `extend`, `unfounded`, `minor`,
    `open_case`, `transfer`)."""
    disposal.alert_transition(actor=require_person(request), alert_id=alert_id, action=data.action, data=data.data)
    return selectors.alert_get(reader=require_person(request), alert_id=alert_id)


class RegisterImportOut(ScopedOut):
    id: int
    kind: str
    source: str
    file_name: str
    rows: int
    imported_by: str
    created_at: dt.datetime
    department: int
    department_name: str
    region: str


class RegisterImportFilter(PageQuery):
    kind: str | None = None


@router.post("/risk/registers/imports", auth=allow(Role.DATA_ADMIN, systems=ApiScope.RISK_WRITE),
             response={201: RegisterImportOut, 400: ErrorOut, 403: ErrorOut})
def register_import(request: HttpRequest, kind: Form[str], source: Form[str],
                    file: File[UploadedFile]) -> Status[RegisterImport]:
    """Import a register file (.xlsx or .csv, the Chinese headers of the kind's template) of one `kind` sent by
    `source`, whole or refused whole with every problem by row, column and code."""
    batch = register_imports.register_import(actor=principal(request), kind=kind, source=source,
                                             file_name=file.name or "upload", data=file.read())
    return Status(201, selectors.register_import_get(reader=principal(request), import_id=batch.pk))


@router.get("/risk/registers/imports", response=Page[RegisterImportOut])
def register_import_list(request: HttpRequest, filters: Query[RegisterImportFilter]) -> dict[str, Any]:
    imports = selectors.register_import_list(reader=require_reader(request, ApiScope.RISK_WRITE), kind=filters.kind)
    return paginate(imports, filters)


@router.get("/risk/registers/imports/{import_id}", response={200: RegisterImportOut, 404: ErrorOut})
def register_import_get(request: HttpRequest, import_id: int) -> RegisterImport:
    return selectors.register_import_get(reader=require_reader(request, ApiScope.RISK_WRITE), import_id=import_id)
