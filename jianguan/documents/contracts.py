"""What other apps use of the documents app (执法文书): issue a numbered document, read its PDF back, preview,
bundle.

    issued = contracts.issue(actor=user, kind="penalty_decision", department=dept,
                             context={"party": {...}, "facts": "...", ...}, subject="case:2026-000123")
    issued.digest                # fixes the content now: keep it where the document is named
    data = contracts.pdf(issued.id)  # once rendered in the background (ADR 0030); a page: `pdf_page`

A decision's remedies paragraph reads `review`: pass `contracts.remedies(department)` (复议机关 by 《行政复议法》
第二十四条, and the court).

`context` is plain JSON (strings, numbers, booleans, lists, dicts; dates as ISO strings). The keys each kind's
default template reads are listed in `CONTEXT_KEYS`; a key left out prints as a blank to fill by hand. Extra keys
are stored with the document and available to edited templates. The key `doc` is reserved (title, number, issuer,
date of the document).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from jianguan.core.actors import Actor
from jianguan.core.errors import NotFound

from . import bundling, numbering, pdftext, rendering, services, views
from .fields import CONTEXT_KEYS
from .kinds import KINDS
from .models import IssuedDocument, RenderedDocument, RenderState
from .remedies import review
from .services import content_digest as content_digest


@dataclass(frozen=True)
class Issued:
    """An issued document: `digest` fixes its content from the issue on; `sha256` and `pages` are its PDF's, empty
    (and `state` `rendering` or `failed`) until the background task has rendered it."""

    id: int
    kind: str
    title: str
    number: str
    sha256: str
    pages: int
    issued_at: dt.datetime
    digest: str = ""
    state: str = RenderState.RENDERED


def remedies(department: Any) -> dict[str, str]:
    """The remedies paragraph's `review` context of a decision by `department` (复议机关 and court)."""
    return review(department)


def _issued(document: IssuedDocument) -> Issued:
    rendered = RenderedDocument.objects.filter(document_id=document.pk).values("sha256", "pages").first()
    state = RenderState.RENDERED if rendered else services.render_state(document.pk)[0]
    return Issued(id=document.pk, kind=document.kind, title=document.title, number=document.number,
                  sha256=rendered["sha256"] if rendered else "", pages=rendered["pages"] if rendered else 0,
                  issued_at=document.issued_at, digest=document.digest, state=state)


def issue(*, actor: Actor, kind: str, department: Any, context: dict[str, Any], subject: str,
          number: str = "") -> Issued:
    """Number the document (unless `number` is given), store what fixes its content and its digest, record the
    audit event `documents.issued` and enqueue its rendering — all in one transaction (the caller's, if any). The
    PDF is rendered in the background (ADR 0030): keep `digest` where the document is named."""
    return _issued(services.document_issue(actor=actor, kind=kind, department=department, context=context,
                                           subject=subject, number=number))


def get(issued_id: int) -> Issued:
    """The metadata of an issued document (not scoped: for services that already checked access)."""
    try:
        return _issued(IssuedDocument.objects.defer("context", "header").get(pk=issued_id))
    except IssuedDocument.DoesNotExist:
        raise NotFound() from None


def pdf(issued_id: int) -> bytes:
    """The stored bytes of an issued document, exactly as rendered; while it is being rendered `DocumentRendering`
    (202, `document_rendering`), after a failed rendering `DocumentRenderFailed` (409) — never rendered here."""
    data = services.stored_pdf(issued_id)
    if data is None:
        if not IssuedDocument.objects.filter(pk=issued_id).exists():
            raise NotFound()
        raise services.not_ready(issued_id)
    return data


def sha256s(issued_ids: list[int]) -> dict[int, str]:
    """The PDF SHA-256 of each of the documents rendered so far (a document being rendered is absent)."""
    return dict(RenderedDocument.objects.filter(document_id__in=issued_ids).values_list("document_id", "sha256"))


def render_missing(*, actor: Actor, issued_ids: list[int]) -> None:
    """Render, here and now, those of the documents that are not rendered yet: for background work that needs
    their PDFs (the case file), never for a request. A document whose rendering failed is not tried again (that
    takes a retry on its page): it raises `DocumentRenderFailed`, as does a rendering failing now."""
    rendered = set(sha256s(issued_ids))
    for issued_id in issued_ids:
        if issued_id in rendered:
            continue
        if services.render_state(issued_id)[0] == RenderState.FAILED or services.document_render(
                actor=actor, document_id=issued_id) is None:
            raise services.not_ready(issued_id)


def pdf_page(request: Any, issued_id: int, *, file_name: str, inline: bool = True) -> Any:
    """A page's answer for an issued document's PDF: the stored bytes, or while they are being rendered a page that
    says so and asks again every two seconds (202), or the recorded failure with a retry button."""
    return views.stored_pdf(request, issued_id, file_name=file_name, inline=inline)


def render(*, kind: str, department: Any, context: dict[str, Any], number: str = "（预览）") -> bytes:
    """A PDF of `kind` from its current template, without a number taken or anything stored (previews)."""
    source = services.current_source(kind)
    values = services.plain_context(context)
    return rendering.render_pdf(source, department=department, context=values, number=number).pdf


def html_pdf(html: str) -> bytes:
    """An A4 PDF of a page another app lays out itself (a report, not a 文书: nothing numbered or stored), rendered
    as documents are — WeasyPrint fetching nothing but `data:` URLs, refused without a Chinese font."""
    return rendering.to_pdf(rendering.html_document(html))


def bare_pdf(html: str) -> bytes:
    """Like `html_pdf`, for a file published to the public: its document information (producer, title, author,
    dates) is left empty."""
    return rendering.to_bare_pdf(rendering.html_document(html))


def pdf_text(data: bytes) -> list[str]:
    """The text each page of a PDF shows (through the fonts' ToUnicode maps), to check what a file gives away."""
    return pdftext.page_texts(data)


def pdf_info(data: bytes) -> dict[str, Any]:
    """A PDF's document information dictionary (empty when it has none)."""
    return pdftext.info(data)


def next_number(*, department: Any, kind: str, year: int) -> str:
    """Take the next number of (department, kind, year), e.g. 咸市监处罚〔2026〕15号, for a pre-numbered form.

    The number is consumed in the caller's transaction; `issue` takes its own unless given one.
    """
    return numbering.format_number(department, kind, year, numbering.take(department=department, kind=kind,
                                                                           year=year))


def bundle(*, title: str, parts: list[tuple[str, bytes]], manifest: list[dict[str, Any]]) -> bytes:
    """One PDF for the case file (案卷): a cover, the manifest (seq, title, number, SHA-256, bytes) and every part's
    pages in order; `manifest.json` and each original part are embedded as attachments, so anyone can check each
    part's hash with `python -m jianguan.documents.verify_bundle FILE.pdf`.

    `parts` are (title, PDF bytes); `manifest[i]` describes `parts[i]` (number, and optionally title, sha256 —
    a given sha256 that does not match the bytes is refused).
    """
    return bundling.bundle(title=title, parts=parts, manifest=manifest, created_at=timezone.now())


FontsMissing = rendering.FontsMissing
DocumentRendering = services.DocumentRendering
DocumentRenderFailed = services.DocumentRenderFailed
require_cjk_fonts = rendering.require_cjk_fonts  # for another app's own PDF parts: refuse rather than print boxes

__all__ = ["CONTEXT_KEYS", "KINDS", "DocumentRenderFailed", "DocumentRendering", "FontsMissing", "Issued",
           "bare_pdf", "bundle", "get", "html_pdf", "issue", "next_number", "pdf", "pdf_info", "pdf_page", "pdf_text",
           "remedies", "render", "render_missing", "require_cjk_fonts", "sha256s"]
