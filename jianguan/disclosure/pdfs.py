"""The published PDF of an item (公示文书, ADR 0047, ADR 0048): made at release from the published copy only —
`redaction.contracts.redacted_pdf` lays out the redacted values (a masked value is absent from the file, not covered
by a box), leaves the document information empty and reads the pages back; if any value a mask hides can still be
read, `LeftoverFound` refuses it and the release with it (one transaction: nothing half-written)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.utils import translation

from jianguan.redaction import contracts as redaction

from . import redacting
from .fields import labelled
from .models import DisclosureItem, PublishedPdf, SourceKind


def rows_of(item: DisclosureItem) -> list[tuple[str, str]]:
    """(label, value) of each field of the published copy, in the copy's order and in Chinese whatever the
    publisher's language (the public page's labels, coded values by name)."""
    with translation.override(settings.LANGUAGE_CODE):
        return labelled(item.redacted)


def item_pdf(item: DisclosureItem) -> bytes:
    """The PDF of the item's published copy, checked for every value its masks hide (the party's own name, which
    stays visible, does not count); `LeftoverFound` when one can be read."""
    originals = redaction.masked_values(redacting.texts_of(item), redacting.found(item))
    with translation.override(settings.LANGUAGE_CODE):
        title = f"{SourceKind(item.source_kind).label}决定公示（{item.number}）"
    return redaction.redacted_pdf(title, rows_of(item), originals=originals, keep=[item.party_name])


def pdf_store(item: DisclosureItem) -> dict[str, Any]:
    """Make the item's published PDF and keep it (replacing an earlier one); its size and digest for the record."""
    data = item_pdf(item)
    digest = hashlib.sha256(data).hexdigest()
    PublishedPdf.objects.update_or_create(item=item, defaults={"data": data, "size": len(data), "sha256": digest})
    return {"pdf_sha256": digest, "pdf_size": len(data)}
