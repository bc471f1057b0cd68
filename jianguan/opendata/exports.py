"""Daily bulk downloads of open data (批量下载, ADR 0051): every public decision written as
`decisions-YYYY-MM-DD.csv` (UTF-8 with a byte-order mark, so Excel reads the Chinese headers) and
`decisions-YYYY-MM-DD.jsonl` (one API row a line), and `SHA256SUMS` over every file kept, into
`JIANGUAN_OPENDATA_DIR`; the files of the newest `JIANGUAN_OPENDATA_KEEP_DAYS` days are kept.

Rows are streamed from the database in chunks (`.iterator(chunk_size=…)`), never the whole table in memory; each
file is written under a temporary name in the same folder and renamed into place, so a reader never sees a half
written file. Only names this module writes are ever served (`served`): nothing else in the folder, no path."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.disclosure import contracts as disclosure

from .rows import DECISION_COLUMNS, decision_row

CHUNK = 2000
SUMS = "SHA256SUMS"
NAME = re.compile(r"decisions-(\d{4}-\d{2}-\d{2})\.(csv|jsonl)")
FORMATS = ("csv", "jsonl")


@dataclass(frozen=True)
class BulkFile:
    name: str
    size: int
    day: dt.date | None
    sha256: str


def folder() -> Path:
    return Path(settings.JIANGUAN_OPENDATA_DIR)


class _Hashing:
    """A binary file that hashes what is written to it."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.digest = out, hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.out.write(data)


def _atomic(target: Path, write: Callable[[_Hashing], Any]) -> str:
    """Call `write(sink)` on a temporary file beside `target`, then rename it into place; its SHA-256."""
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            sink = _Hashing(out)
            write(sink)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sink.digest.hexdigest()


def _decisions() -> Iterator[dict[str, Any]]:
    for item in disclosure.public_item_list().iterator(chunk_size=CHUNK):
        yield decision_row(item)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


class _Lines:
    """A text writer for csv.writer that encodes each row to UTF-8 as it comes."""

    def __init__(self, sink: _Hashing) -> None:
        self.sink = sink

    def write(self, text: str) -> None:
        self.sink.write(text.encode("utf-8"))


def write_csv(sink: _Hashing) -> None:
    """The byte-order mark, the Chinese headers, then a line per decision (the published copy as JSON)."""
    sink.write("\ufeff".encode())
    writer = csv.writer(_Lines(sink))
    writer.writerow(DECISION_COLUMNS.values())
    for row in _decisions():
        writer.writerow([_csv_cell(row[key]) for key in DECISION_COLUMNS])


def write_jsonl(sink: _Hashing) -> None:
    """A JSON object per line, as the API serves each decision."""
    for row in _decisions():
        sink.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")


def _day(name: str) -> dt.date | None:
    found = NAME.fullmatch(name)
    return dt.date.fromisoformat(found.group(1)) if found else None


def _prune(place: Path, keep: int) -> list[str]:
    """Remove the files of all but the newest `keep` days; the names removed."""
    days = sorted({day for p in place.iterdir() if (day := _day(p.name))}, reverse=True)
    gone = [p for p in place.iterdir() if (day := _day(p.name)) and day not in days[:keep]]
    for path in gone:
        path.unlink()
    return sorted(p.name for p in gone)


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sums(place: Path, written: dict[str, str]) -> dict[str, str]:
    """name → SHA-256 of each data file kept: those just written as hashed while writing, the others as the
    previous SHA256SUMS says (hashed again only when it does not name them)."""
    known = {**_read_sums(place), **written}
    return {path.name: known.get(path.name) or _hash(path) for path in sorted(place.iterdir())
            if NAME.fullmatch(path.name)}


WRITERS = {"csv": write_csv, "jsonl": write_jsonl}


def export(*, actor: Actor, today: dt.date | None = None) -> list[BulkFile]:
    """Write today's files, keep the newest days, write SHA256SUMS; the files now offered (newest first)."""
    today = today or timezone.localdate()
    place = folder()
    place.mkdir(parents=True, exist_ok=True)
    written = {f"decisions-{today:%Y-%m-%d}.{kind}": _atomic(place / f"decisions-{today:%Y-%m-%d}.{kind}", write)
               for kind, write in WRITERS.items()}
    removed = _prune(place, settings.JIANGUAN_OPENDATA_KEEP_DAYS)
    sums = _sums(place, written)
    _atomic(place / SUMS, lambda sink: sink.write("".join(f"{h}  {n}\n" for n, h in sums.items()).encode()))
    record(actor=actor, verb="opendata.exported", data={"day": today.isoformat(), "files": sums, "removed": removed})
    return listing()


def _read_sums(place: Path) -> dict[str, str]:
    path = place / SUMS
    if not path.is_file():
        return {}
    pairs = (line.split("  ", 1) for line in path.read_text().splitlines() if "  " in line)
    return {name: digest for digest, name in pairs}


def listing() -> list[BulkFile]:
    """The files offered: each data file named in SHA256SUMS and present, newest first, then SHA256SUMS."""
    place = folder()
    if not place.is_dir():
        return []
    sums = _read_sums(place)
    found = [BulkFile(name, (place / name).stat().st_size, _day(name), digest) for name, digest in sums.items()
             if NAME.fullmatch(name) and (place / name).is_file()]
    found.sort(key=lambda f: (f.day or dt.date.min, f.name), reverse=True)
    if found:
        sums_path = place / SUMS
        found.append(BulkFile(SUMS, sums_path.stat().st_size, None,
                              hashlib.sha256(sums_path.read_bytes()).hexdigest()))
    return found


def served(name: str) -> Path | None:
    """The path of a file offered under `name`, None for any other name (nothing outside the listing)."""
    return next((folder() / f.name for f in listing() if f.name == name), None)
