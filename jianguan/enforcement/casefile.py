"""The case file (案卷) as one PDF: every issued document and the case's full history with its hash chain and the
list of evidence files (title, size, SHA-256), bundled by `documents.contracts.bundle` (cover, manifest of
hashes, the parts; `manifest.json` and each part embedded). The history part's manifest row carries the events
themselves, so anyone can recompute the chain (`history.verify`) from the file alone. Evidence files stay as
uploaded (photos, audio, video, scans) and are fetched one by one; the file lists their hashes.

Rendering a file takes from half a second to a minute on a busy server, so it never happens in a request: after
each change of the case (each event appended) `tasks.case_file_build` builds it in the background and stores it
(`CaseFile`, by the case's last event seq); a download serves the stored bundle when it is current and otherwise
shows progress until it is."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.documents import contracts as documents

from . import history, selectors
from .models import Case, CaseFile, CaseStatus


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict:
    raise ValueError(f"the case history fetches nothing ({url})")


def history_pdf(case: Case, records: list[dict[str, Any]]) -> bytes:
    """The history part: one row per event (date, who, what, from → to, document, hash)."""
    labels = dict(CaseStatus.choices)
    rows = [{**r, "from_label": labels.get(r["from_status"], ""), "to_label": labels.get(r["to_status"], "")}
            for r in records]
    html = render_to_string("enforcement/pdf/history.html", {
        "case": case, "rows": rows, "evidence": selectors.evidence_list(case=case),
        "problems": history.verify(records), "generated_at": timezone.localtime()})
    documents.require_cjk_fonts()
    return HTML(string=html, base_url="data:,", url_fetcher=_no_fetch).write_pdf()


def case_file(case: Case) -> bytes:
    """The whole file of `case` as one PDF."""
    return _render(case)[0]


def _render(case: Case) -> tuple[bytes, int]:
    """The file's bytes and the seq of the last event it holds (events are read first: a document issued by a
    later event is left to the next build)."""
    records = [history.as_record(event, case.number) for event in selectors.event_list(case=case)]
    last = records[-1]["seq"] if records else 0
    parts: list[tuple[str, bytes]] = []
    manifest: list[dict[str, Any]] = []
    for row in selectors.document_list(case=case):
        if row["seq"] > last:
            continue
        parts.append((row["title"], documents.pdf(row["id"])))
        manifest.append({"title": row["title"], "number": row["number"], "sha256": row["sha256"],
                         "digest": row["digest"], "kind": row["kind"], "event_seq": row["seq"]})
    parts.append(("案件全过程记录", history_pdf(case, records)))
    manifest.append({"title": "案件全过程记录", "number": case.number, "events": records,
                     "head": records[-1]["hash"] if records else case.last_hash})
    return documents.bundle(title=f"{case.department.name} 行政处罚案卷 {case.number}", parts=parts,
                            manifest=manifest), last


def current(case: Case) -> CaseFile | None:
    """The stored file of the case as it stands now (its last event), or None while it is being built."""
    return CaseFile.objects.filter(case=case, seq=case.event_count).first()


def build(*, actor: Actor, case_id: int) -> CaseFile | None:
    """Build and store the case file unless the current one is stored already; older files of the case are removed.
    Run by `tasks.case_file_build` (background), never in a request. Idempotent; None for a case that is gone."""
    case = Case.objects.select_related("department", "region").filter(pk=case_id).first()
    if case is None:
        return None
    stored = current(case)
    if stored is not None:
        return stored
    started = time.monotonic()
    # Its documents are rendered in the background too (ADR 0030): any not rendered yet is rendered here first.
    documents.render_missing(actor=actor, issued_ids=[row["id"] for row in selectors.document_list(case=case)])
    data, seq = _render(case)
    seconds = round(time.monotonic() - started, 3)
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            stored = CaseFile.objects.create(case=case, seq=seq, pdf=data, size=len(data), sha256=digest,
                                             built_at=timezone.now(), seconds=seconds)
            CaseFile.objects.filter(case=case, seq__lt=seq).delete()
            record(actor=actor, verb="enforcement.case_file_built", target=case,
                   data={"seq": seq, "sha256": digest, "size": len(data), "seconds": f"{seconds:.3f}"})
    except IntegrityError:  # built meanwhile by another worker
        return CaseFile.objects.filter(case=case, seq=seq).first()
    return stored


def build_later(case_id: int) -> None:
    """Enqueue the build once the caller's transaction commits (a change of the case, or a download that found
    no current file)."""
    from . import tasks  # tasks import this module: resolved at call time

    transaction.on_commit(lambda: tasks.case_file_build.enqueue(case_id=case_id))


def progress(case: Case) -> dict[str, Any]:
    """What the waiting page shows: the parts being bundled and since when the case stands as it is."""
    last = selectors.event_list(case=case).last()
    return {"documents": len(selectors.document_list(case=case)), "events": case.event_count,
            "since": last.occurred_at if last else None,
            "previous": CaseFile.objects.filter(case=case).order_by("-seq").values("seq", "built_at").first()}
