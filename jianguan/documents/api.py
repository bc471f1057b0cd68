"""`/api/v1/documents/…`: an issued document's metadata and its PDF bytes, within the caller's scope."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import Router

from jianguan.core.api import ErrorOut, ScopedOut, require_reader
from jianguan.core.roles import ApiScope

from . import selectors, services
from .models import IssuedDocument

router = Router(tags=["执法文书 documents"])


class DocumentOut(ScopedOut):
    id: int
    kind: str
    title: str
    number: str
    department: int
    department_name: str
    region: str
    subject: str
    sha256: str
    size: int
    pages: int
    digest: str
    state: str
    template_version: int
    issued_by: str
    issued_at: dt.datetime

    @staticmethod
    def resolve_issued_by(obj: IssuedDocument) -> str:
        return obj.issued_by_label

    @staticmethod
    def resolve_state(obj: IssuedDocument) -> str:
        return str(obj.state)


@router.get("/documents/{document_id}", response={200: DocumentOut, 404: ErrorOut})
def document_get(request: HttpRequest, document_id: int) -> IssuedDocument:
    """One issued document (metadata, content digest and the PDF's SHA-256); outside the caller's scope it does not
    exist (404). `state` is `rendering` until the background task has stored the PDF (`sha256`, `size` and `pages`
    empty until then), `failed` after a failed rendering, else `rendered`."""
    return selectors.document_get(reader=require_reader(request, ApiScope.READ), document_id=document_id)


@router.get("/documents/{document_id}/pdf", response={200: None, 202: ErrorOut, 404: ErrorOut, 409: ErrorOut},
            openapi_extra={"responses": {"200": {"description": "PDF",
                                                 "content": {"application/pdf": {"schema": {"type": "string",
                                                                                            "format": "binary"}}}}}})
def document_pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    """The PDF exactly as rendered (its SHA-256 equals the metadata's `sha256`). It is rendered in the background
    after the issue: until then 202 `document_rendering` with `Retry-After`; after a failed rendering 409
    `document_render_failed` with the reason (a retry is asked for on the document's page)."""
    document = selectors.document_get(reader=require_reader(request, ApiScope.READ), document_id=document_id,
                                      with_pdf=True)
    if document.rendering is None:
        raise services.not_ready(document.pk)
    response = HttpResponse(document.pdf, content_type="application/pdf")
    name = quote(f"{document.title}{document.number}.pdf", safe="")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["X-Content-SHA256"] = document.sha256
    return response
