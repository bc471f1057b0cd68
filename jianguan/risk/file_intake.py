"""Monitoring data in by file: a file of observations kept as uploaded, then checked row by row through the API's
checks and stored whole or not at all.

The file is kept first, committed on its own (`ObservationFile`, with its bytes, size and SHA-256), so nothing
received is lost whatever becomes of its rows. Its rows are then read (`files.read`) and checked in chunks of the
API's batch size (`intake.check_items`: the same envelope and model checks, ids unique in the file), the progress
written after each chunk; every problem is kept with its row, column, English code and Chinese message. A file
with any problem stores nothing (`refused`); otherwise all its new rows are stored in one transaction with one
audit event, and judged by the scan task. Rows are identified by (sender, id) as the API's items are: a row
already sent is a repeat, a different row under a used id a problem (`id_reused`). A small file is processed
while the uploader waits; a larger one by the task `tasks.observation_file_import`, the page showing its progress.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import DomainError
from jianguan.core.tabular import ImportRefused, Problem

from . import files, intake, tasks
from .models import PENDING, FileStatus, ObservationFile

log = logging.getLogger(__name__)
MAX_PROBLEMS_KEPT = 1000


def max_rows() -> int:
    """The most rows a file may carry [config]: JIANGUAN_RISK_FILE_MAX_ROWS (default 20,000)."""
    return int(settings.JIANGUAN_RISK_FILE_MAX_ROWS)


def inline_rows() -> int:
    """The most rows of a file processed while the uploader waits (about a second); a file that may hold more goes
    to the background task [config]: JIANGUAN_RISK_FILE_INLINE_ROWS (default 500, one API batch)."""
    return int(settings.JIANGUAN_RISK_FILE_INLINE_ROWS)


def observation_file_receive(*, actor: Actor, file_name: str, data: bytes) -> ObservationFile:
    """Keep the file `actor` uploads, then process it now (small) or in the background (large); the file as it
    stands (stored, refused, or waiting for the task)."""
    sender = intake.Sender.of(actor)
    file_name = (file_name or "upload")[:200]
    with transaction.atomic():
        kept: ObservationFile = ObservationFile.objects.create(
            file_name=file_name, raw=data, imported_by=sender.label, sender=sender.key, sender_label=sender.label,
            department=sender.department, region_id=sender.department.region_id, size=len(data),
            sha256=hashlib.sha256(data).hexdigest())
        record(actor=actor, verb="risk.observation_file_received", target=kept,
               data={"file": file_name, "bytes": len(data), "sha256": kept.sha256})
    rows = files.rows_at_most(data, _format(file_name))
    if rows is not None and rows <= inline_rows():
        observation_file_process(actor=actor, file_id=kept.pk)
    else:
        transaction.on_commit(lambda: tasks.observation_file_import.enqueue(file_id=kept.pk))
    kept.refresh_from_db()
    return kept


def observation_file_process(*, actor: Actor, file_id: int) -> ObservationFile:
    """Check and store a kept file (see the module's docstring); a file already processed is left as it is."""
    kept: ObservationFile = ObservationFile.objects.select_related("department__region").get(pk=file_id)
    if kept.status not in PENDING:
        return kept
    try:
        rows = _rows(kept)
        checked = _check(kept, rows)
        ObservationFile.objects.filter(pk=kept.pk).update(status=FileStatus.STORING)
        _store(kept, rows, checked, actor)
    except ImportRefused as refused:
        _refuse(kept, refused.problems, actor)
    except Exception:
        ObservationFile.objects.filter(pk=kept.pk).update(status=FileStatus.FAILED, finished_at=timezone.now())
        log.exception("risk: observation file %s failed", kept.pk)
        raise
    kept.refresh_from_db()
    return kept


def _format(file_name: str) -> str:
    try:
        return files.format_of(file_name)
    except ImportRefused:
        return "jsonl"  # refused when processed; nothing to read before


def _rows(kept: ObservationFile) -> list[files.Row]:
    rows = files.read(bytes(kept.raw), files.format_of(kept.file_name))
    if len(rows) > max_rows():
        raise ImportRefused([Problem(None, None, "too_many_rows",
                                     f"一个文件最多 {max_rows():,} 行监测数据（本文件 {len(rows):,} 行）")])
    ObservationFile.objects.filter(pk=kept.pk).update(status=FileStatus.CHECKING, rows=len(rows))
    return rows


def _check(kept: ObservationFile, rows: Sequence[files.Row]) -> list[tuple[Any, dict[str, Any]]]:
    """Every row checked, a chunk at a time, the progress written after each; ImportRefused naming every problem."""
    kind = files.format_of(kept.file_name)
    checked: list[tuple[Any, dict[str, Any]]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    regions: dict[str, Any] = {}
    for start in range(0, len(rows), intake.MAX_BATCH):
        chunk = rows[start:start + intake.MAX_BATCH]
        passed, errors = intake.check_items([row.item for row in chunk], kept.department, seen=seen,
                                            regions=regions, where="本文件")
        checked += passed
        problems += [_problem(kind, chunk[index].number, error) for index, error in errors]
        ObservationFile.objects.filter(pk=kept.pk).update(checked=start + len(chunk))
    if problems:
        raise ImportRefused(problems)
    return checked


def _problem(kind: str, number: int, error: DomainError) -> Problem:
    message = getattr(error, "detail", error.message)
    return Problem(number, files.column(kind, error.field), error.code, message)


@transaction.atomic
def _store(kept: ObservationFile, rows: Sequence[files.Row], checked: list[tuple[Any, dict[str, Any]]],
           actor: Actor) -> None:
    sender = intake.Sender(kept.sender, kept.sender_label, kept.department)
    received, reused = intake.sort_out(sender, checked, source_file=kept)
    if reused:
        raise ImportRefused([Problem(rows[index].number, files.column(files.format_of(kept.file_name), "id"),
                                     "id_reused", f"编号“{checked[index][1]['sender_id']}”已报送过不同的内容，"
                                     "同一编号不能改报") for index in reused])
    intake.store(received)
    _finish(kept, FileStatus.STORED, received=received)
    record(actor=actor, verb="risk.observation_file_stored", target=kept,
           data={"file": kept.pk, "stored": len(received.stored), "repeated": len(received.repeated),
                 "sha256": kept.sha256})


@transaction.atomic
def _refuse(kept: ObservationFile, problems: list[Problem], actor: Actor) -> None:
    _finish(kept, FileStatus.REFUSED, problems=problems)
    record(actor=actor, verb="risk.observation_file_refused", target=kept,
           data={"file": kept.pk, "problems": len(problems), "first": problems[0].as_dict(), "sha256": kept.sha256})


def _finish(kept: ObservationFile, status: str, *, received: intake.Received | None = None,
            problems: list[Problem] | None = None) -> None:
    ObservationFile.objects.filter(pk=kept.pk).update(
        status=status, finished_at=timezone.now(), stored=len(received.stored) if received else 0,
        repeated=len(received.repeated) if received else 0, problem_count=len(problems or []),
        problems=[problem.as_dict() for problem in (problems or [])[:MAX_PROBLEMS_KEPT]])


def refusal(kept: ObservationFile) -> ImportRefused:
    """The refusal of a refused file, with the problems kept (for the API's answer)."""
    problems = [Problem(p["row"], p["column"], p["code"], p["message"]) for p in kept.problems]
    error = ImportRefused(problems or [Problem(None, None, "refused", "文件未入库")])
    error.extra = {**error.extra, "file": kept.pk, "problem_count": kept.problem_count}
    return error
