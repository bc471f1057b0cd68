"""Reads of the documents app, always scoped by the reader (issued documents) or by role (templates)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope

from . import rendering
from .kinds import KINDS
from .models import DocumentTemplate, IssuedDocument


def document_list(*, reader: HasScope, kind: str | None = None, q: str | None = None) -> QuerySet[IssuedDocument]:
    """Issued documents the reader may see, newest first, without their bytes."""
    documents = IssuedDocument.objects.visible_to(reader).select_related("department", "rendered").defer(
        "context", "header", "rendered__pdf")
    if kind:
        documents = documents.filter(kind=kind)
    if q:
        documents = documents.filter(number__icontains=q) | documents.filter(subject__icontains=q)
    return documents


def document_get(*, reader: HasScope, document_id: int, with_pdf: bool = False) -> IssuedDocument:
    """One issued document in the reader's scope, or NotFound (404) whether or not it exists elsewhere; its
    rendered PDF's facts come along (`document.rendering` is None while it is being rendered)."""
    documents = IssuedDocument.objects.select_related("department", "region", "rendered")
    if not with_pdf:
        documents = documents.defer("rendered__pdf")
    document: IssuedDocument = documents.get_visible(reader, pk=document_id)
    return document


def template_list() -> list[dict[str, Any]]:
    """Each kind with its active version (0 = the packaged default) and the number of saved versions."""
    versions: dict[str, list[DocumentTemplate]] = {}
    for version in DocumentTemplate.objects.defer("body", "css").order_by("kind", "-version"):
        versions.setdefault(version.kind, []).append(version)
    rows = []
    for kind, title in KINDS.items():
        saved = versions.get(kind, [])
        active = next((v for v in saved if v.is_active), None)
        rows.append({"kind": kind, "title": title, "active": active, "count": len(saved)})
    return rows


def template_version_list(*, kind: str) -> QuerySet[DocumentTemplate]:
    if kind not in KINDS:
        raise NotFound()
    return DocumentTemplate.objects.filter(kind=kind).select_related("edited_by").order_by("-version")


def template_version_get(*, kind: str, version: int) -> rendering.Source:
    """The source of one saved version, or of the packaged default (version 0)."""
    if kind not in KINDS:
        raise NotFound()
    if version == 0:
        return rendering.packaged_source(kind)
    saved = DocumentTemplate.objects.filter(kind=kind, version=version).first()
    if saved is None:
        raise NotFound()
    return rendering.Source(kind=kind, body=saved.body, css=saved.css, version=saved.version, template_id=saved.pk)
