"""The case file (案卷) as one PDF: every issued document and the case's full history with its hash chain and the
list of evidence files (title, size, SHA-256), bundled by `documents.contracts.bundle` (cover, manifest of
hashes, the parts; `manifest.json` and each part embedded). The history part's manifest row carries the events
themselves, so anyone can recompute the chain (`history.verify`) from the file alone. Evidence files stay as
uploaded (photos, audio, video, scans) and are fetched one by one; the file lists their hashes."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from jianguan.documents import contracts as documents

from . import history, selectors
from .models import Case, CaseStatus


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict:
    raise ValueError(f"the case history fetches nothing ({url})")


def history_pdf(case: Case, records: list[dict[str, Any]]) -> bytes:
    """The history part: one row per event (date, who, what, from → to, document, hash)."""
    labels = dict(CaseStatus.choices)
    rows = [{**r, "from_label": labels.get(r["from_status"], ""), "to_label": labels.get(r["to_status"], "")}
            for r in records]
    html = render_to_string("enforcement/pdf/history.html", {
        "case": case, "rows": rows, "evidence": selectors.evidence_of(case),
        "problems": history.verify(records), "generated_at": timezone.localtime()})
    return HTML(string=html, base_url="data:,", url_fetcher=_no_fetch).write_pdf()


def case_file(case: Case) -> bytes:
    """The whole file of `case` as one PDF."""
    parts: list[tuple[str, bytes]] = []
    manifest: list[dict[str, Any]] = []
    for row in selectors.documents_of(case):
        parts.append((row["title"], documents.pdf(row["id"])))
        manifest.append({"title": row["title"], "number": row["number"], "sha256": row["sha256"],
                         "kind": row["kind"], "event_seq": row["seq"]})
    records = [history.as_record(event, case.number) for event in selectors.events(case)]
    parts.append(("案件全过程记录", history_pdf(case, records)))
    manifest.append({"title": "案件全过程记录", "number": case.number, "events": records,
                     "head": case.last_hash})
    return documents.bundle(title=f"{case.department.name} 行政处罚案卷 {case.number}", parts=parts,
                            manifest=manifest)
