"""Reads of alerts and register imports, within the reader's scope (the record's department and region,
`core.scoping`); and the stored registers as the models read them (`StoredRegisters`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jianguan.core.scoping import HasScope
from jianguan.risk.normalise import key
from jianguan.risk.registers import Entry, is_code

from .models import Alert, AlertStatus, ObservationFile, RegisterEntry, RegisterImport

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


def register_import_list(*, reader: HasScope, kind: str | None = None) -> QuerySet[RegisterImport]:
    """The register files the reader may see, newest first (the raw file left out)."""
    imports = RegisterImport.objects.visible_to(reader).select_related("department").defer("raw")
    return imports.filter(kind=kind) if kind else imports


def register_import_get(*, reader: HasScope, import_id: int) -> RegisterImport:
    """One register file, or NotFound (404) whether or not it exists out of scope."""
    found: RegisterImport = RegisterImport.objects.select_related("department", "region").defer("raw").get_visible(
        reader, pk=import_id)
    return found


def register_entry_list(*, imported: RegisterImport) -> QuerySet[RegisterEntry]:
    """The rows of a register file already read within scope, in the file's order."""
    return imported.entries.order_by("row")


class StoredRegisters:
    """The registers as stored, as the models read them on `day` (`registers.Registers`): the newest import's row of
    each number. Reference data about sellers and advertisers whoever imported it, read by the scan (a system
    task) for every observation; no person reads entries through it."""

    def __init__(self, day: dt.date, kinds: frozenset[str] | None = None,
                 found: dict[tuple[str, ...], Any] | None = None) -> None:
        self.day = day
        self._kinds = kinds
        self._found = {} if found is None else found  # lookups, shared by the days of one scan

    def on(self, day: dt.date) -> StoredRegisters:
        """The same registers judged on another day (the kinds loaded and each lookup read once)."""
        return StoredRegisters(day, self.kinds(), self._found)

    def kinds(self) -> frozenset[str]:
        if self._kinds is None:
            self._kinds = frozenset(RegisterEntry.objects.order_by().values_list("kind", flat=True).distinct())
        return self._kinds

    def loaded(self, kind: str) -> bool:
        return kind in self.kinds()

    def find(self, kind: str, number: str) -> Entry | None:
        lookup = ("find", kind, key(number))
        if lookup not in self._found:
            row = RegisterEntry.objects.filter(kind=kind, number_key=lookup[2]).order_by("-imported_id", "-pk").first()
            self._found[lookup] = row.entry() if row is not None else None
        entry: Entry | None = self._found[lookup]
        return entry

    def held_by(self, kind: str, who: str) -> list[Entry]:
        code = is_code(who)
        lookup = ("code", kind, who.strip().upper()) if code else ("name", kind, key(who))
        if lookup not in self._found:
            rows = RegisterEntry.objects.filter(kind=kind)
            rows = rows.filter(holder_code=lookup[2]) if code else rows.filter(holder_key=lookup[2])
            newest: dict[str, Entry] = {}
            for row in rows.order_by("-imported_id", "-pk")[:200]:
                newest.setdefault(row.number_key, row.entry())
            self._found[lookup] = list(newest.values())
        held: list[Entry] = self._found[lookup]
        return held
def observation_file_list(*, reader: HasScope) -> QuerySet[ObservationFile]:
    """The files of observations the reader may see (their department's and those it guides), newest first; the
    bytes are left unread."""
    return ObservationFile.objects.visible_to(reader).defer("raw", "problems").order_by("-created_at", "-pk")


def observation_file_get(*, reader: HasScope, file_id: int) -> ObservationFile:
    """One file of observations, or NotFound (404) whether or not it exists out of scope."""
    kept: ObservationFile = ObservationFile.objects.defer("raw").get_visible(reader, pk=file_id)
    return kept


def entities_alerted(*, since: dt.date) -> set[int]:
    """The ids of the entities an alert raised on or after `since` is about, unless verified 不属实 (a process's
    read for a spot-check draw: which A-class entities something points at, "无事不扰"; control items left out)."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time()))
    return set(Alert.objects.filter(entity__isnull=False, control=False, created_at__gte=start)
               .exclude(status=AlertStatus.UNFOUNDED).values_list("entity_id", flat=True).distinct())
