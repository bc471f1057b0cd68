"""Daily bulk files of open data: every public decision, the rows the API serves, in CSV (UTF-8 with BOM, Chinese
headers) and JSON lines, with SHA256SUMS that verify; the newest days kept; written whole or not at all; served by
name from the listing only, never a path out of the folder; the daily task and the command."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.management import call_command

from jianguan.audit.models import AuditEvent
from jianguan.core.seeding import SeedContext
from jianguan.opendata import exports, rows, tasks
from jianguan.opendata.seed import seed_opendata
from tests.opendata.world import ACTOR, PHONE, RIC, decisions

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 7)


@pytest.fixture
def items(clock, persona, bulk_dir):
    return decisions(persona, clock.day)


def _api_rows(client) -> list[dict]:
    found, url = [], "/api/v1/public/decisions?size=2"
    while url:
        body = client.get(url).json()
        found += body["items"]
        url = body["next"]
    return found


def test_the_files_hold_what_the_api_and_the_pages_show(client, items, bulk_dir):
    exports.export(actor=ACTOR, today=DAY)
    served = _api_rows(client)
    lines = (bulk_dir / "decisions-2026-12-07.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == served and len(served) == 3
    raw = (bulk_dir / "decisions-2026-12-07.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == list(rows.DECISION_COLUMNS.values()) and table[0][0] == "公示编号"
    as_text = [[exports._csv_cell(row[key]) for key in rows.DECISION_COLUMNS] for row in served]
    assert table[1:] == as_text
    page = client.get("/public/disclosure/").content.decode()
    assert all(row["number"] in page and row["decision_number"] in page for row in served)
    assert PHONE not in raw.decode("utf-8-sig") and RIC not in "".join(lines)


def test_the_checksums_verify_and_the_page_lists_each_file(client, items, bulk_dir):
    offered = exports.export(actor=ACTOR, today=DAY)
    assert [f.name for f in offered] == ["decisions-2026-12-07.jsonl", "decisions-2026-12-07.csv", "SHA256SUMS"]
    sums = (bulk_dir / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == 2
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((bulk_dir / name).read_bytes()).hexdigest() == digest
    page = client.get("/public/opendata/").content.decode()
    for made in offered:
        assert made.name in page and made.sha256 in page and str(made.size) in page
    assert "2026-12-07" in page
    event = AuditEvent.objects.filter(verb="opendata.exported").latest("id")
    assert event.payload["files"] == dict(reversed(line.split("  ")) for line in sums)


def test_the_newest_days_are_kept(items, bulk_dir, settings):
    settings.JIANGUAN_OPENDATA_KEEP_DAYS = 2
    for day in (DAY - dt.timedelta(days=2), DAY - dt.timedelta(days=1), DAY):
        exports.export(actor=ACTOR, today=day)
    names = sorted(p.name for p in bulk_dir.iterdir())
    assert names == ["SHA256SUMS", "decisions-2026-12-06.csv", "decisions-2026-12-06.jsonl",
                     "decisions-2026-12-07.csv", "decisions-2026-12-07.jsonl"]
    assert "2026-12-05" not in (bulk_dir / "SHA256SUMS").read_text()


def test_a_failed_export_leaves_the_files_before_it_and_no_temporary_file(items, bulk_dir, monkeypatch):
    exports.export(actor=ACTOR, today=DAY)
    before = {p.name: p.read_bytes() for p in bulk_dir.iterdir()}

    def broken(item):
        raise RuntimeError("database gone")

    monkeypatch.setattr(exports, "decision_row", broken)
    with pytest.raises(RuntimeError):
        exports.export(actor=ACTOR, today=DAY)
    assert {p.name: p.read_bytes() for p in bulk_dir.iterdir()} == before


def test_rows_are_read_in_chunks(items, bulk_dir, monkeypatch):
    """The decisions are streamed by `.iterator(chunk_size=…)`: with a chunk of one row, every row still arrives."""
    monkeypatch.setattr(exports, "CHUNK", 1)
    exports.export(actor=ACTOR, today=DAY)
    assert len((bulk_dir / "decisions-2026-12-07.jsonl").read_text().splitlines()) == 3


def test_only_the_files_written_are_served_and_no_path_leaves_the_folder(client, items, bulk_dir, settings):
    exports.export(actor=ACTOR, today=DAY)
    (bulk_dir / "notes.txt").write_text("private")
    (bulk_dir / "decisions-2026-12-01.csv").write_text("not listed")
    (settings.JIANGUAN_OPENDATA_DIR.parent / "secret").write_text("secret")
    served = client.get("/public/opendata/decisions-2026-12-07.csv")
    assert served.status_code == 200 and served["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(served.streaming_content) == (bulk_dir / "decisions-2026-12-07.csv").read_bytes()
    assert "attachment" in served["Content-Disposition"]
    assert client.get("/public/opendata/SHA256SUMS").status_code == 200
    for name in ("notes.txt", "decisions-2026-12-01.csv", "..%2Fsecret", "..", "%2E%2E%2Fsecret",
                 "decisions-2026-12-07.csv.bak", ".tmp-x", "decisions-2026-12-07.csv%00"):
        assert client.get(f"/public/opendata/{name}").status_code == 404, name
    assert client.get("/public/opendata/../secret").status_code == 404


def test_nothing_is_offered_before_the_first_export(client, bulk_dir):
    assert exports.listing() == [] and client.get("/public/opendata/SHA256SUMS").status_code == 404
    assert "暂无" in client.get("/public/opendata/").content.decode()


def test_the_daily_task_and_the_command_write_the_files(items, bulk_dir):
    tasks.opendata_export_daily.enqueue()  # the tests' immediate backend runs it now
    assert (bulk_dir / "decisions-2026-12-07.jsonl").is_file()
    (bulk_dir / "decisions-2026-12-07.jsonl").unlink()
    out = io.StringIO()
    call_command("opendata", "export", stdout=out)
    assert "decisions-2026-12-07.jsonl" in out.getvalue() and (bulk_dir / "decisions-2026-12-07.jsonl").is_file()


def test_the_demo_writes_the_files(items, bulk_dir):
    out = io.StringIO()
    seed_opendata(SeedContext(scale="demo", seed=1, stdout=out, progress_enabled=False))
    assert "  开放数据：批量下载文件 3 个" in out.getvalue()
    assert [f.name for f in exports.listing()][-1] == "SHA256SUMS"
