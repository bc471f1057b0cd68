"""Reads of the audit chain, always within the reader's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jianguan.core.scoping import HasScope

from .models import AuditEvent


def event_list(*, reader: HasScope, verb: str | None = None, target_type: str | None = None,
               target_id: str | None = None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.visible_to(reader)
    if verb:
        events = events.filter(verb__startswith=verb)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    return events.order_by("-seq")


def event_get(*, reader: HasScope, seq: int) -> AuditEvent:
    event: AuditEvent = AuditEvent.objects.get_visible(reader, seq=seq)
    return event


def payload_list(*, target_type: str, target_id: str) -> list[Any]:
    """The payloads of the events about one record, oldest first: the record's chained history, replayed by its
    owning app (a write service after its own access check, a verify command). Not for pages: unscoped."""
    return list(AuditEvent.objects.filter(target_type=target_type, target_id=target_id)
                .order_by("seq").values_list("payload", flat=True))
