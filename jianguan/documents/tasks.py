"""Background entry points of the documents app: `document_render` renders an issued document's PDF (ADR 0030).

Enqueued by the issue in its own transaction (`services.render_later`), and again by a retry after a failure.
Idempotent: a document rendered already is left as it is.
"""

from __future__ import annotations

from django.tasks import task

from jianguan.core.actors import SystemActor

from . import services


@task()
def document_render(document_id: int) -> str:
    """The document's PDF rendered and stored (`services.document_render`); its SHA-256, or "" when it failed."""
    stored = services.document_render(actor=SystemActor("task:documents.document_render"), document_id=document_id)
    return stored.sha256 if stored else ""
