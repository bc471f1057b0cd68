"""The case file (案卷) as one PDF: cover, manifest and every part; the originals embedded for checking.

The visible pages are for reading. What can be checked is embedded: `manifest.json` (format
`jianguan-bundle-v1`: seq, title, number, sha256, size and the attachment name of each part) and every part's
original PDF bytes as an attachment `part-NN.pdf`. `verify_bundle` extracts them with the standard library and
recomputes each hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.template import Context
from django.utils import timezone

from jianguan.core.errors import ValidationFailed

from . import pdfmerge, rendering

FORMAT = "jianguan-bundle-v1"


def attachment_name(seq: int) -> str:
    return f"part-{seq:02d}.pdf"


def build_manifest(*, title: str, parts: list[tuple[str, bytes]], manifest: list[dict[str, Any]],
                   created_at: dt.datetime) -> dict[str, Any]:
    """The manifest with each part's hash and size computed from its bytes (a given hash must match)."""
    if len(parts) != len(manifest):
        raise ValidationFailed("卷内文书与目录条目数量不一致", code="manifest_mismatch", field="manifest")
    rows = []
    for seq, ((part_title, data), entry) in enumerate(zip(parts, manifest, strict=True), start=1):
        digest = hashlib.sha256(data).hexdigest()
        given = str(entry.get("sha256", "") or "")
        if given and given.lower() != digest:
            raise ValidationFailed(f"第 {seq} 件“{part_title}”的 SHA-256 与目录不符", code="hash_mismatch",
                                   field="manifest")
        if not data.startswith(b"%PDF-"):
            raise ValidationFailed(f"第 {seq} 件“{part_title}”不是 PDF 文件", code="not_pdf", field="parts")
        row = {key: value for key, value in entry.items() if key not in {"sha256", "size"}}
        row.update({"seq": seq, "title": str(entry.get("title") or part_title), "number": str(entry.get("number", "")),
                    "sha256": digest, "size": len(data), "attachment": attachment_name(seq)})
        rows.append(row)
    return {"format": FORMAT, "title": title, "created_at": created_at.isoformat(), "algorithm": "sha256",
            "parts": rows}


def bundle(*, title: str, parts: list[tuple[str, bytes]], manifest: list[dict[str, Any]],
           created_at: dt.datetime) -> bytes:
    data = build_manifest(title=title, parts=parts, manifest=manifest, created_at=created_at)
    page_counts = [pdfmerge.page_count(part) for _title, part in parts]
    first = 1
    rows: list[Any] = []
    front_pages = None
    for attempt in range(2):  # the cover and manifest may take more than one page: lay out twice at most
        first = (front_pages or 2) + 1
        rows = []
        for row, count in zip(data["parts"], page_counts, strict=True):
            rows.append({**row, "first_page": first})
            first += count
        html = rendering.ENGINE.get_template("documents/pdf/bundle.html").render(
            Context({"title": title, "rows": rows,
                               "created_at": timezone.localtime(created_at).strftime("%Y年%m月%d日 %H:%M")}))
        front = rendering.html_document(html)
        if len(front.pages) == (front_pages or 2) or attempt:
            break
        front_pages = len(front.pages)
    manifest_json = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode()
    attachments = [("manifest.json", manifest_json, "application/json", "卷内文书目录及各件 SHA-256")]
    attachments += [(row["attachment"], part, "application/pdf", f"{row['seq']}. {row['title']} {row['number']}")
                    for row, (_title, part) in zip(data["parts"], parts, strict=True)]
    bookmarks = ["封面及卷内目录"] + [f"{row['seq']}. {row['title']} {row['number']}".strip() for row in data["parts"]]
    return pdfmerge.merge([rendering.to_pdf(front)] + [part for _title, part in parts], attachments=attachments,
                          title=title, bookmarks=bookmarks)
