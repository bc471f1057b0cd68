"""Check a case file (案卷) PDF: `python -m jianguan.documents.verify_bundle FILE.pdf`.

Standard library only (no Django, no database), so anyone holding the file can run it. It extracts the embedded
`manifest.json` (format `jianguan-bundle-v1`) and every part's original PDF (`part-NN.pdf`), recomputes each
part's SHA-256 and size against the manifest, and checks that the pages shown for each part are that part's own
pages (same content streams, fonts and boxes), in the manifest's order after the cover and contents pages.

Prints one line per part and `OK` (exit 0), or the problems (exit 1). Exit 2: the file cannot be read as a PDF.
`--extract DIR` also writes the manifest and the original parts to DIR.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from .pdfread import PdfError, read

FORMAT = "jianguan-bundle-v1"


def verify(data: bytes) -> tuple[list[str], list[str], dict[str, bytes | None]]:
    """(report lines, problems, attachments) for the bundle `data`; no problems means it checks out."""
    bundle = read(data)
    files = bundle.embedded_files()
    lines: list[str] = []
    problems: list[str] = []
    if "manifest.json" not in files:
        return lines, ["no manifest.json attachment: not a case file of this platform"], files
    try:
        manifest: dict[str, Any] = json.loads((files["manifest.json"] or b"").decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return lines, [f"manifest.json is not valid JSON: {error}"], files
    if manifest.get("format") != FORMAT:
        problems.append(f"manifest format is {manifest.get('format')!r}, expected {FORMAT!r}")
    parts = manifest.get("parts") or []
    lines.append(f"{manifest.get('title', '')}: {len(parts)} parts, created {manifest.get('created_at', '?')}")
    shown = bundle.page_digests()
    expected: list[str] = []
    for entry in parts:
        label = f"{entry.get('seq')}. {entry.get('title', '')} {entry.get('number', '')}".strip()
        name = entry.get("attachment", "")
        if name not in files:
            problems.append(f"{label}: attachment {name!r} missing")
            continue
        original = files[name]
        if original is None:
            problems.append(f"{label}: attachment {name!r} is corrupt (cannot be decompressed)")
            continue
        digest = hashlib.sha256(original).hexdigest()
        state = []
        if digest != str(entry.get("sha256", "")).lower():
            problems.append(f"{label}: SHA-256 {digest} differs from the manifest's {entry.get('sha256')}")
            state.append("SHA-256 MISMATCH")
        if len(original) != entry.get("size"):
            problems.append(f"{label}: {len(original)} bytes, the manifest says {entry.get('size')}")
            state.append("SIZE MISMATCH")
        try:
            expected += read(original).page_digests()
        except PdfError as error:
            problems.append(f"{label}: the attached part is not a readable PDF ({error})")
        lines.append(f"{label}  {digest}  {len(original)} bytes  {' '.join(state) or 'ok'}")
    front = len(shown) - len(expected)
    if front < 1 or shown[front:] != expected:
        problems.append("the pages shown are not the attached parts' pages in the manifest's order")
    extra = sorted(set(files) - {"manifest.json"} - {str(e.get("attachment")) for e in parts})
    if extra:
        problems.append(f"attachments not in the manifest: {', '.join(extra)}")
    return lines, problems, files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jianguan.documents.verify_bundle",
                                     description="Check the parts of a case-file PDF against its manifest.")
    parser.add_argument("bundle", help="the case file, a PDF")
    parser.add_argument("--extract", metavar="DIR", help="also write manifest.json and the original parts here")
    args = parser.parse_args(argv)
    try:
        data = Path(args.bundle).read_bytes()
        lines, problems, files = verify(data)
    except OSError as error:
        print(f"cannot read {args.bundle}: {error}", file=sys.stderr)
        return 2
    except (PdfError, ValueError, IndexError) as error:
        print(f"{args.bundle} is not a readable PDF: {error}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    if args.extract:
        target = Path(args.extract)
        target.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            if content is not None:
                (target / Path(name).name).write_bytes(content)
    if problems:
        for problem in problems:
            print(f"FAILED: {problem}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
