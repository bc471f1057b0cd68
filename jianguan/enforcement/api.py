"""`/api/v1/enforcement/…`: cases (list and search, detail with history and allowed actions), registering a clue
(also from a risk alert decided 立案), on-the-spot decisions, the one transition endpoint, evidence upload,
documents, the case file and deadlines.

A step out of order answers 409 with `extra.allowed` (the actions the caller may take now); a person who may
not take the step 403; a case outside the caller's scope 404 like an absent one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

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
from jianguan.core.errors import ValidationFailed
from jianguan.core.roles import ApiScope, Role
from jianguan.documents import contracts as documents

from . import casefile, registration, selectors, simple, transitions
from .evidence import EvidenceTooLarge, evidence_add, evidence_max_bytes
from .models import Case

router = Router(tags=["执法办案 enforcement"])


class CaseOut(ScopedOut):
    id: int
    number: str
    status: str
    status_label: str
    procedure: str
    department: int
    department_name: str
    region: str
    party_name: str
    party_code: str
    cause: str
    catalog_code: str
    received_on: dt.date
    check_due: dt.date
    filed_on: dt.date | None
    decision_due: dt.date | None
    decided_on: dt.date | None
    decision_number: str
    outcome: str
    fine: str | None
    closed_on: dt.date | None

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_fine(obj: Case) -> str | None:
        return None if obj.fine is None else str(obj.fine)


class CaseStepOut(Schema):
    key: str
    label: str
    due: dt.date
    rule: str
    who: str
    state: str


class ActionOut(Schema):
    action: str
    label: str
    who: str
    target: str
    fields: list[str]
    document: str
    citation: str


class OfficerOut(Schema):
    username: str
    name: str
    credential: str
    lead: bool


class CaseEventOut(Schema):
    seq: int
    on: dt.date
    occurred_at: dt.datetime
    actor: str
    verb: str
    from_status: str
    to_status: str
    data: dict[str, Any]
    document_id: int | None
    document_sha256: str
    supersedes: int | None
    prev_hash: str
    hash: str


class CaseDocumentOut(Schema):
    id: int
    kind: str
    title: str
    number: str
    sha256: str  # the PDF's; "" while it is being rendered
    digest: str  # the content digest the case's event keeps
    seq: int


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    collected_on: dt.date


class CaseDetailOut(Schema):
    case: CaseOut
    officers: list[OfficerOut]
    steps: list[CaseStepOut]
    allowed: list[ActionOut]
    events: list[CaseEventOut]
    documents: list[CaseDocumentOut]
    evidence: list[EvidenceOut]


class CaseFilter(PageQuery):
    status: str | None = None
    overdue: bool = False
    party: str | None = None
    number: str | None = None
    q: str | None = None
    mine: bool = False


def _detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    reader = require_reader(request, ApiScope.READ)
    return selectors.case_view(case=selectors.case_get(reader=reader, case_id=case_id), reader=reader)


@router.get("/enforcement/cases", response=Page[CaseOut])
def case_list(request: HttpRequest, filters: Query[CaseFilter]):
    """Cases of the caller's scope (their department and those it guides), newest first; `mine` keeps the
    caller's own, `overdue` those with an overdue step; `q` searches number, 文号, party, cause and summary."""
    reader = require_reader(request, ApiScope.READ)
    cases = selectors.case_list(reader=reader, status=filters.status, overdue=filters.overdue, party=filters.party,
                                number=filters.number, q=filters.q, mine=filters.mine)
    return paginate(cases, filters)


class ClueIn(InputSchema):
    party: dict[str, Any]
    summary: str
    source: str
    source_ref: str
    received_on: dt.date
    implementation_code: str = ""
    cause: str = ""


@router.post("/enforcement/cases",
             auth=allow(Role.OFFICER),
             response={201: CaseDetailOut, 400: ErrorOut, 403: ErrorOut})
def case_register(request: HttpRequest, data: ClueIn):
    """Register a clue (案件来源登记) of the caller's department: the first stage of a case."""
    who = require_person(request, "officer")
    case = registration.case_register(actor=who, department=who.department, **data.model_dump())
    return Status(201, selectors.case_view(case=case, reader=who))


@router.post("/enforcement/risk-alerts/{alert_id}/clue", auth=allow(Role.OFFICER, Role.HEAD),
             response={201: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def clue_from_alert(request: HttpRequest, alert_id: int):
    """转为案件线索: a risk alert the head decided 立案 becomes a clue (案件来源：风险预警) of its department, once;
    a second attempt → 409 naming the clue (`extra.clue`)."""
    who = require_person(request)
    clue = registration.clue_from_alert(actor=who, alert_id=alert_id)
    return Status(201, selectors.case_view(case=clue.case, reader=who))


class SimpleIn(InputSchema):
    party: dict[str, Any]
    officers: list[str]
    facts: str
    basis: str
    violated: str = ""
    penalty_kinds: list[str]
    fine: str | None = None
    decided_on: dt.date | None = None
    place: str = ""
    catalog_code: str
    implementation_code: str
    number: str = ""
    cause: str = ""


@router.post("/enforcement/cases/simple",
             auth=allow(Role.OFFICER),
             response={201: CaseDetailOut, 400: ErrorOut, 403: ErrorOut})
def case_simple(request: HttpRequest, data: SimpleIn):
    """简易程序: a warning or a fine within the limits of 行政处罚法 第五十一条, decided and handed over on the spot."""
    who = require_person(request, "officer")
    case = simple.case_simple(actor=who, **data.model_dump())
    return Status(201, selectors.case_view(case=case, reader=who))


@router.get("/enforcement/cases/{case_id}", response={200: CaseDetailOut, 404: ErrorOut})
def case_detail(request: HttpRequest, case_id: int):
    """One case: its open steps with due dates and rules, the actions the caller may take now, its history (each
    event with its hash), documents and evidence."""
    return _detail(request, case_id)


class TransitionIn(InputSchema):
    action: str
    data: dict[str, Any] = {}


@router.post("/enforcement/cases/{case_id}/transitions", auth=allow(Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER),
             response={200: CaseDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def case_transition(request: HttpRequest, case_id: int, data: TransitionIn):
    """Take one step (see the `allowed` list of the case). Out of order → 409 with `extra.allowed`."""
    who = require_person(request)
    selectors.case_get(reader=who, case_id=case_id)
    transitions.case_transition(actor=who, case_id=case_id, action=data.action, data=data.data)
    return _detail(request, case_id)


@router.post("/enforcement/cases/{case_id}/evidence", auth=allow(Role.OFFICER),
             response={201: EvidenceOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut})
def evidence_upload(request: HttpRequest, case_id: int, sha256: Form[str], file: File[UploadedFile],
                    title: Form[str] = "", collected_on: Form[dt.date | None] = None):
    """Upload a file of evidence (multipart: `file`, `sha256` of its bytes as computed by the sender, `title`,
    `collected_on`). Refused: a type outside the whitelist or whose content does not match its extension, a file
    above the size limit (413), a hash that does not match the bytes received."""
    who = require_person(request)
    selectors.case_get(reader=who, case_id=case_id)
    limit = evidence_max_bytes()
    if file.size is not None and file.size > limit:
        raise EvidenceTooLarge(f"文件超过 {limit // (1024 * 1024)} MB 的上限", code="file_too_large",
                                        field="file")
    evidence = evidence_add(actor=who, case_id=case_id, file_name=file.name or "upload",
                                     data=file.read(limit + 1), sha256=sha256, title=title,
                                     collected_on=collected_on)
    return Status(201, evidence)


@router.get("/enforcement/cases/{case_id}/documents", response={200: list[CaseDocumentOut], 404: ErrorOut})
def document_list(request: HttpRequest, case_id: int):
    """The 文书 issued for the case, in the order of its history, with their numbers and SHA-256."""
    case = selectors.case_get(reader=require_reader(request, ApiScope.READ), case_id=case_id)
    return selectors.document_list(case=case)


@router.get("/enforcement/cases/{case_id}/documents/{document_id}",
            response={200: None, 202: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def document_pdf(request: HttpRequest, case_id: int, document_id: int):
    """One issued 文书 of the case as its stored PDF; while it is being rendered in the background 202
    (`document_rendering`, `Retry-After`), after a failed rendering 409 (`document_render_failed`)."""
    case = selectors.case_get(reader=require_reader(request, ApiScope.READ), case_id=case_id)
    row = selectors.document_get(case=case, document_id=document_id)
    response = HttpResponse(documents.pdf(row["id"]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-{row["seq"]}.pdf"'
    return response


@router.get("/enforcement/cases/{case_id}/file", response={200: None, 202: ErrorOut, 404: ErrorOut})
def case_file(request: HttpRequest, case_id: int):
    """The case file (案卷) as one PDF: cover, manifest of hashes, every document, PDF evidence and the history;
    `manifest.json` is embedded (check it with `python -m jianguan.documents.verify_bundle`). It is built in the
    background after each change of the case: until the current one is stored the answer is 202
    (`case_file_pending`, `Retry-After`)."""
    case = selectors.case_get(reader=require_reader(request, ApiScope.READ), case_id=case_id)
    stored = casefile.current(case)
    if stored is None:  # being built in the background: never rendered in the request
        casefile.build_later(case.pk)
        response = JsonResponse({"code": "case_file_pending", "message": "案卷正在生成，请稍候再试",
                                 "extra": {"event_seq": case.event_count}}, status=202)
        response["Retry-After"] = "5"
        return response
    response = HttpResponse(bytes(stored.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.number}.pdf"'
    response["X-Case-File-Seq"] = str(stored.seq)
    return response


class DeadlineOut(Schema):
    case_id: int
    case_number: str
    party_name: str
    department_name: str
    step: str
    label: str
    due: dt.date
    rule: str
    state: str

    @staticmethod
    def resolve_case_number(obj) -> str:
        return obj.case.number

    @staticmethod
    def resolve_party_name(obj) -> str:
        return obj.case.party_name

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.case.department.name


class DeadlineFilter(PageQuery):
    state: str | None = None
    mine: bool = False


@router.get("/enforcement/deadlines", response={200: Page[DeadlineOut], 400: ErrorOut})
def deadline_list(request: HttpRequest, filters: Query[DeadlineFilter]):
    """Overdue and due-soon steps of open cases in the caller's scope (`mine`: the caller's cases)."""
    reader = require_reader(request, ApiScope.READ)
    if filters.state not in (None, "", "overdue", "due_soon"):
        raise ValidationFailed("state 应为 overdue 或 due_soon", code="choice_invalid", field="state")
    rows = selectors.alert_list(reader=reader, state=filters.state or None,
                            officer=reader if filters.mine and getattr(reader, "is_person", False) else None)
    return paginate(rows, filters)
