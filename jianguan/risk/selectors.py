"""Reads of alerts, within the reader's scope (the alert's department and region, `core.scoping`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from jianguan.core.scoping import HasScope

from .models import Alert, AlertStatus, ObservationFile

OPEN = (AlertStatus.PENDING, AlertStatus.VERIFYING)


def alert_list(*, reader: HasScope, status: str | None = None, model: str | None = None,
               overdue: bool = False, today: dt.date | None = None) -> QuerySet[Alert]:
    """The alerts the reader may see, highest score first; `overdue`: open alerts past their verification clock."""
    alerts = Alert.objects.visible_to(reader).select_related("department", "region")
    if status:
        alerts = alerts.filter(status=status)
    if model:
        alerts = alerts.filter(model=model)
    if overdue:
        alerts = alerts.filter(status__in=OPEN, verify_due__lt=today or timezone.localdate())
    return alerts.order_by("-score", "-pk")


def alert_get(*, reader: HasScope, alert_id: int) -> Alert:
    """One alert with its steps and observations, or NotFound (404) whether or not it exists out of scope."""
    alert: Alert = Alert.objects.select_related("department", "region", "entity").prefetch_related(
        "steps", "observations").get_visible(reader, pk=alert_id)
    return alert


def observation_file_list(*, reader: HasScope) -> QuerySet[ObservationFile]:
    """The files of observations the reader may see (their department's and those it guides), newest first; the
    bytes are left unread."""
    return ObservationFile.objects.visible_to(reader).defer("raw", "problems").order_by("-created_at", "-pk")


def observation_file_get(*, reader: HasScope, file_id: int) -> ObservationFile:
    """One file of observations, or NotFound (404) whether or not it exists out of scope."""
    kept: ObservationFile = ObservationFile.objects.defer("raw").get_visible(reader, pk=file_id)
    return kept
