"""`/api/v1/coercion/…`: coercive measures (行政强制措施) and compulsory execution (行政强制执行): lists with their
due dates, one record with its timeline, new records and their steps. A step out of order answers 409 with the
actions open in the record's state (`extra.allowed`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from jianguan.accounts.contracts import allow
from jianguan.core.api import ErrorOut, InputSchema, Page, PageQuery, paginate, require_person, require_reader
from jianguan.core.roles import ApiScope, Role

from . import executions, measures, selectors
from .models import Execution, Measure

router = Router(tags=["行政强制 coercion"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class CoercionStepOut(Schema):
    action: str
    old: str
    new: str
    on: dt.date
    at: dt.datetime
    actor: str
    note: str
    data: dict[str, Any]
    document_id: int | None
    document_title: str
    document_number: str


class MeasureItemOut(Schema):
    seq: int
    name: str
    spec: str
    quantity: Decimal
    unit: str
    condition: str


class MeasureOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    department: int
    department_name: str
    party_name: str
    party_code: str
    catalog_code: str
    inspection_number: str
    case_number: str
    emergency: bool
    acted_at: dt.datetime | None
    approval_due: dt.datetime | None
    days: int
    starts_on: dt.date | None
    extension_days: int
    excluded_days: int
    due_on: dt.date | None
    overdue: bool
    days_left: int | None
    decision_number: str
    ended_on: dt.date | None
    officers: list[dict[str, str]]
    allowed: list[str]


class MeasureDetailOut(MeasureOut):
    facts: str
    basis: str
    place: str
    testing: list[dict[str, Any]]
    extension_reason: str
    end_reason: str
    items: list[MeasureItemOut]
    steps: list[CoercionStepOut]


def _measure(measure: Measure, *, detail: bool = False) -> dict[str, Any]:
    out = {field: getattr(measure, field) for field in (
        "id", "number", "kind", "status", "party_name", "party_code", "catalog_code", "inspection_number",
        "case_number", "emergency", "acted_at", "approval_due", "days", "starts_on", "extension_days",
        "excluded_days", "due_on", "decision_number", "ended_on", "officers")}
    out.update(selectors.measure_facts(measure), kind_label=measure.get_kind_display(),
               department=measure.department_id, department_name=measure.department.name)
    if detail:
        out.update({field: getattr(measure, field) for field in ("facts", "basis", "place", "testing",
                                                                 "extension_reason", "end_reason")},
                   items=list(measure.items.all()), steps=list(measure.steps.all()))
    return out


class ItemIn(InputSchema):
    name: str
    spec: str = ""
    quantity: Decimal
    unit: str
    condition: str = ""


class MeasureIn(InputSchema):
    kind: str
    inspection_number: str
    catalog_code: str
    facts: str
    basis: str
    items: list[ItemIn]
    officers: list[str]
    days: int = 30
    place: str = ""
    kind_note: str = ""
    case_number: str = ""
    emergency: bool = False
    acted_at: dt.datetime | None = None
    party_present: bool = True
    witness: str = ""


class MeasureFilter(PageQuery):
    status: str = ""
    overdue: bool = False


@router.get("/coercion/measures", response=Page[MeasureOut])
def measure_list(request: HttpRequest, filters: Query[MeasureFilter]):
    """Measures of the caller's scope, newest first, each with its last day and whether it is overdue."""
    rows = selectors.measure_list(reader=require_reader(request, ApiScope.READ), status=filters.status,
                                  overdue=filters.overdue)
    page = paginate(rows, filters)
    return {**page, "items": [_measure(m) for m in page["items"]]}


@router.post("/coercion/measures",
             auth=allow(Role.OFFICER, Role.DEPARTMENT_ADMIN),
             response={201: MeasureDetailOut, **ERRORS})
def measure_create(request: HttpRequest, data: MeasureIn):
    """Propose a measure for the head's approval, or (`emergency`) record one taken on the spot (`acted_at`)."""
    actor = require_person(request)
    values = data.model_dump(exclude={"emergency", "acted_at", "party_present", "witness"})
    values["items"] = [item.model_dump() for item in data.items]
    if data.emergency:
        measure = measures.measure_act_emergency(actor=actor, acted_at=data.acted_at, party_present=data.party_present,
                                                 witness=data.witness, **values)
    else:
        measure = measures.measure_request(actor=actor, **values)
    return Status(201, _measure(measure, detail=True))


@router.get("/coercion/measures/{measure_id}", response={200: MeasureDetailOut, 404: ErrorOut})
def measure_get(request: HttpRequest, measure_id: int):
    """One measure with its item list and timeline."""
    reader = require_reader(request, ApiScope.READ)
    return _measure(selectors.measure_get(reader=reader, measure_id=measure_id), detail=True)


class MeasureStepIn(InputSchema):
    """`action` and the fields that step takes: approve (note), refuse/withdraw/release/dispose (reason, on),
    implement (on, officers, party_present, witness, place), extend (days, reason, on), test (starts_on, ends_on,
    agency, notified_on)."""

    action: str
    note: str | None = None
    reason: str | None = None
    on: dt.date | None = None
    officers: list[str] | None = None
    party_present: bool | None = None
    witness: str | None = None
    place: str | None = None
    days: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    agency: str | None = None
    notified_on: dt.date | None = None


@router.post("/coercion/measures/{measure_id}/transitions",
             auth=allow(Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.HEAD),
             response={200: MeasureDetailOut, **ERRORS})
def measure_step(request: HttpRequest, measure_id: int, data: MeasureStepIn):
    fields = data.model_dump(exclude_unset=True, exclude={"action"})
    measure = measures.measure_transition(actor=require_person(request), measure_id=measure_id, action=data.action,
                                          **fields)
    return _measure(measure, detail=True)


class CaseIn(InputSchema):
    case_number: str


@router.post("/coercion/measures/{measure_id}/case",
             auth=allow(Role.OFFICER, Role.DEPARTMENT_ADMIN),
             response={200: MeasureDetailOut, **ERRORS})
def measure_case(request: HttpRequest, measure_id: int, data: CaseIn):
    """Link the measure to the case it belongs to (a measure may come before the case is opened)."""
    measure = measures.measure_link_case(actor=require_person(request), measure_id=measure_id,
                                         case_number=data.case_number)
    return _measure(measure, detail=True)


# 行政强制执行 --------------------------------------------------------------------------------------------------

class EnforcementOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    power: str
    mode: str
    department: int
    department_name: str
    party_name: str
    party_code: str
    case_number: str
    decision_reference: str
    principal: Decimal | None
    payment_due: dt.date | None
    late_fee: Decimal
    remedy_ends: dt.date
    demand_served_on: dt.date | None
    demand_deadline: dt.date | None
    statement_due: dt.date | None
    court_earliest: dt.date | None
    court_latest: dt.date | None
    decided_on: dt.date | None
    applied_on: dt.date | None
    ended_on: dt.date | None
    allowed: list[str]


class EnforcementDetailOut(EnforcementOut):
    obligation: str
    demand_number: str
    demand_amount: Decimal | None
    demand_late_fee: Decimal | None
    statement: str
    objection_upheld: bool
    decision_number: str
    immediate: bool
    court: str
    result: str
    collected: Decimal | None
    steps: list[CoercionStepOut]


def _execution(execution: Execution, *, detail: bool = False) -> dict[str, Any]:
    facts = selectors.execution_facts(execution)
    court = facts.pop("court") or {}
    out = {field: getattr(execution, field) for field in (
        "id", "number", "status", "power", "mode", "party_name", "party_code", "case_number", "decision_reference",
        "principal", "payment_due", "remedy_ends", "demand_served_on", "demand_deadline", "decided_on", "applied_on",
        "ended_on")}
    out.update(facts, department=execution.department_id, department_name=execution.department.name,
               court_earliest=court.get("earliest"), court_latest=court.get("latest"))
    if detail:
        out.update({field: getattr(execution, field) for field in (
            "obligation", "demand_number", "demand_amount", "demand_late_fee", "statement", "objection_upheld",
            "decision_number", "immediate", "court", "result", "collected")}, steps=list(execution.steps.all()))
    return out


class EnforcementIn(InputSchema):
    inspection_number: str
    catalog_code: str
    power: str
    mode: str
    decision_reference: str
    decision_served_on: dt.date
    obligation: str
    principal: Decimal | None = None
    payment_due: dt.date | None = None
    late_fee_rate: Decimal | None = None
    remedy_ends: dt.date | None = None
    measure_id: int | None = None
    case_number: str = ""


class EnforcementFilter(PageQuery):
    status: str = ""


@router.get("/coercion/enforcements", response=Page[EnforcementOut])
def enforcement_list(request: HttpRequest, filters: Query[EnforcementFilter]):
    rows = selectors.execution_list(reader=require_reader(request, ApiScope.READ), status=filters.status)
    page = paginate(rows, filters)
    return {**page, "items": [_execution(e) for e in page["items"]]}


@router.post("/coercion/enforcements",
             auth=allow(Role.OFFICER, Role.DEPARTMENT_ADMIN),
             response={201: EnforcementDetailOut, **ERRORS})
def enforcement_create(request: HttpRequest, data: EnforcementIn):
    execution = executions.execution_create(actor=require_person(request), **data.model_dump())
    return Status(201, _execution(execution, detail=True))


@router.get("/coercion/enforcements/{enforcement_id}", response={200: EnforcementDetailOut, 404: ErrorOut})
def enforcement_get(request: HttpRequest, enforcement_id: int):
    reader = require_reader(request, ApiScope.READ)
    return _execution(selectors.execution_get(reader=reader, execution_id=enforcement_id), detail=True)


class EnforcementStepIn(InputSchema):
    """`action` and its fields: demand (served_on, deadline, manner, amount, late_fee), hear (statement, waived,
    upheld, on), decide / decide_immediately (reason, on), apply_court (court, on), execute / court_enforce /
    comply (result, collected, on), court_refuse / terminate (reason, on)."""

    action: str
    served_on: dt.date | None = None
    deadline: dt.date | None = None
    manner: str | None = None
    amount: Decimal | None = None
    late_fee: Decimal | None = None
    statement: str | None = None
    waived: bool | None = None
    upheld: bool | None = None
    reason: str | None = None
    court: str | None = None
    result: str | None = None
    collected: Decimal | None = None
    on: dt.date | None = None


@router.post("/coercion/enforcements/{enforcement_id}/transitions",
             auth=allow(Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.HEAD),
             response={200: EnforcementDetailOut, **ERRORS})
def enforcement_step(request: HttpRequest, enforcement_id: int, data: EnforcementStepIn):
    fields = data.model_dump(exclude_unset=True, exclude={"action"})
    execution = executions.execution_transition(actor=require_person(request), execution_id=enforcement_id,
                                                action=data.action, **fields)
    return _execution(execution, detail=True)


@router.post("/coercion/enforcements/{enforcement_id}/case",
             auth=allow(Role.OFFICER, Role.DEPARTMENT_ADMIN),
             response={200: EnforcementDetailOut, **ERRORS})
def enforcement_case(request: HttpRequest, enforcement_id: int, data: CaseIn):
    execution = executions.execution_link_case(actor=require_person(request), execution_id=enforcement_id,
                                               case_number=data.case_number)
    return _execution(execution, detail=True)
