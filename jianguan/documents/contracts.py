"""What other apps use of the documents app (执法文书): issue a numbered PDF, read it back, preview, bundle.

    issued = contracts.issue(actor=user, kind="penalty_decision", department=dept,
                             context={"party": {...}, "facts": "...", ...}, subject="case:2026-000123")
    data = contracts.pdf(issued.id)

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

from jianguan.core.errors import NotFound

from . import bundling, numbering, rendering, services
from .fields import CONTEXT_KEYS
from .kinds import KINDS
from .models import IssuedDocument
from .remedies import review as remedies  # noqa: F401 - the remedies paragraph's `review` context


@dataclass(frozen=True)
class Issued:
    id: int
    kind: str
    title: str
    number: str
    sha256: str
    pages: int
    issued_at: dt.datetime


def _issued(document: IssuedDocument) -> Issued:
    return Issued(id=document.pk, kind=document.kind, title=document.title, number=document.number,
                  sha256=document.sha256, pages=document.pages, issued_at=document.issued_at)


def issue(*, actor: Any, kind: str, department: Any, context: dict, subject: str, number: str = "") -> Issued:
    """Render the kind's current template to an A4 PDF, number it (unless `number` is given), store bytes and
    SHA-256, and record the audit event `documents.issued` — all in one transaction (the caller's, if any)."""
    return _issued(services.document_issue(actor=actor, kind=kind, department=department, context=context,
                                           subject=subject, number=number))


def get(issued_id: int) -> Issued:
    """The metadata of an issued document (not scoped: for services that already checked access)."""
    try:
        return _issued(IssuedDocument.objects.defer("pdf", "context").get(pk=issued_id))
    except IssuedDocument.DoesNotExist:
        raise NotFound() from None


def pdf(issued_id: int) -> bytes:
    """The stored bytes of an issued document, exactly as issued."""
    data = IssuedDocument.objects.filter(pk=issued_id).values_list("pdf", flat=True).first()
    if data is None:
        raise NotFound()
    return bytes(data)


def render(*, kind: str, department: Any, context: dict, number: str = "（预览）") -> bytes:
    """A PDF of `kind` from its current template, without a number taken or anything stored (previews)."""
    source = services.current_source(kind)
    values = services.plain_context(context)
    return rendering.render_pdf(source, department=department, context=values, number=number).pdf


def next_number(*, department: Any, kind: str, year: int) -> str:
    """Take the next number of (department, kind, year), e.g. 咸市监处罚〔2026〕15号, for a pre-numbered form.

    The number is consumed in the caller's transaction; `issue` takes its own unless given one.
    """
    return numbering.format_number(department, kind, year, numbering.take(department=department, kind=kind,
                                                                           year=year))


def bundle(*, title: str, parts: list[tuple[str, bytes]], manifest: list[dict]) -> bytes:
    """One PDF for the case file (案卷): a cover, the manifest (seq, title, number, SHA-256, bytes) and every part's
    pages in order; `manifest.json` and each original part are embedded as attachments, so anyone can check each
    part's hash with `python -m jianguan.documents.verify_bundle FILE.pdf`.

    `parts` are (title, PDF bytes); `manifest[i]` describes `parts[i]` (number, and optionally title, sha256 —
    a given sha256 that does not match the bytes is refused).
    """
    return bundling.bundle(title=title, parts=parts, manifest=manifest, created_at=timezone.now())


FontsMissing = rendering.FontsMissing
require_cjk_fonts = rendering.require_cjk_fonts  # for another app's own PDF parts: refuse rather than print boxes

__all__ = ["CONTEXT_KEYS", "KINDS", "FontsMissing", "Issued", "bundle", "get", "issue", "next_number", "pdf", "render",
           "require_cjk_fonts"]
