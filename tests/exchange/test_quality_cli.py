"""`jianguan quality check|template|standards`: run as a separate process without a server (and, with --no-refs,
without a database), and through call_command against the test database; exit codes 0 / 1 / 2, JSON verdicts in
input order, templates that pass their own check."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from jianguan.exchange import standards

REPO = Path(__file__).resolve().parents[2]
INSPECTION = standards.get("inspection")


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """The command in a fresh process whose var directory holds no database."""
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    env = {**os.environ, "JIANGUAN_VAR_DIR": str(var)}
    env.pop("JIANGUAN_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "jianguan", "quality", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def refused(*args: str) -> CommandError:
    """The command's refusal in this process (no database access: the test has none): the process's exit code is
    the error's `returncode` and its message goes to stderr, as the runs in a process of their own show."""
    with pytest.raises(CommandError) as failed:
        call_command("quality", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return failed.value


def titled_records() -> list[dict]:
    good = INSPECTION.titled(INSPECTION.example())
    bad = {**good, "记录唯一标识": "b-2", "检查行为编号": "JC-2", "检查时间": "2025-02-30", "检查结果": "很好"}
    third = {**good, "记录唯一标识": "c-3", "检查行为编号": "JC-3"}
    return [good, bad, third]


@pytest.mark.once
def test_check_json_without_server_or_database(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps(titled_records(), ensure_ascii=False), encoding="utf-8")
    done = run(tmp_path, "check", str(path), "--standard", "行政检查行为", "--format", "json", "--no-refs")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert [(v["index"], v["record_id"], v["ok"]) for v in document["verdicts"]] == [
        (0, INSPECTION.example()["record_id"], True), (1, "b-2", False), (2, "c-3", True)]
    errors = document["verdicts"][1]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("result", "not_in_dictionary"), ("date", "date_invalid")]
    assert errors[1]["message"].startswith("“检查时间”的值“2025-02-30”不是有效日期")
    assert document["scores"]["relevance"] is None and document["invalid"] == 1
    assert "1 条记录未通过质检" in done.stderr
    assert not list((tmp_path / "var").glob("*.sqlite3"))  # --no-refs touched no database


@pytest.mark.once
def test_exit_codes_and_unusable_input(tmp_path):
    """Exit codes 0 and 2 of a process of its own (2: no database and no --no-refs); the other unusable inputs
    refused in this process with the same code."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(titled_records()[:1], ensure_ascii=False), encoding="utf-8")
    assert run(tmp_path, "check", str(good), "--standard", "inspection", "--no-refs").returncode == 0

    unknown = refused("check", str(good), "--standard", "行政审批", "--no-refs")
    assert unknown.returncode == 2 and "standard_unknown" in str(unknown) and "行政审批" in str(unknown)

    missing = refused("check", str(tmp_path / "none.csv"), "--standard", "inspection", "--no-refs")
    assert missing.returncode == 2 and "file_missing" in str(missing)

    no_database = run(tmp_path, "check", str(good), "--standard", "inspection")
    assert no_database.returncode == 2 and "database_unavailable" in no_database.stderr
    assert "--no-refs" in no_database.stderr

    book = Workbook()
    book.active.append(["检查信息", None, "检查时间"])
    book.active.append(["a", "b", "2025-06-03"])
    book.active.merge_cells("A1:B1")
    merged = tmp_path / "merged.xlsx"
    book.save(merged)
    merged_cells = refused("check", str(merged), "--standard", "inspection", "--no-refs")
    assert merged_cells.returncode == 2 and "合并单元格（A1:B1）" in str(merged_cells) and "merged_cells" in str(
        merged_cells)


@pytest.mark.once
def test_check_gbk_csv_as_text(tmp_path):
    records = titled_records()
    lines = [",".join(records[0])] + [",".join("、".join(v) if isinstance(v, list) else str(v) for v in r.values())
                                      for r in records]
    path = tmp_path / "records.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    done = run(tmp_path, "check", str(path), "--standard", "行政检查", "--no-refs")
    assert done.returncode == 1
    assert "共 3 条，通过 2 条，未通过 1 条" in done.stdout
    assert "第 3 行，记录唯一标识 b-2：" in done.stdout and "[date_invalid]" in done.stdout
    assert "规范性 66.67" in done.stdout


@pytest.mark.django_db
def test_template_json_comes_from_the_library_and_passes_the_check(chain_world, tmp_path):
    path = tmp_path / "template.json"
    err = io.StringIO()
    call_command("quality", "template", "--standard", "行政检查行为", "--format", "json", "--output", str(path),
                 stdout=io.StringIO(), stderr=err)
    records = json.loads(path.read_text(encoding="utf-8"))
    assert len(records) == 1 and records[0]["检查行为编号"] == "JC-2025-0001"
    assert set(records[0]) == {f.title for f in INSPECTION.fields}
    assert "合成" not in err.getvalue()
    out = io.StringIO()
    call_command("quality", "check", str(path), "--standard", "inspection", "--format", "json", "--no-progress",
                 stdout=out, stderr=io.StringIO())  # exit 0: no CommandError, references checked in the database
    document = json.loads(out.getvalue())
    assert document["refs_checked"] and document["verdicts"][0]["ok"]


@pytest.mark.django_db
def test_template_json_is_synthetic_when_the_library_is_empty(tmp_path):
    path = tmp_path / "template.json"
    err = io.StringIO()
    call_command("quality", "template", "--standard", "inspection", "--format", "json", "--output", str(path),
                 stdout=io.StringIO(), stderr=err)
    assert "监管行为库中没有记录" in err.getvalue() and "合成" in err.getvalue()
    call_command("quality", "check", str(path), "--standard", "inspection", "--no-refs", "--no-progress",
                 stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("quality", "template", "--standard", "disclosure_licence", "--format", "json", stdout=out,
                 stderr=io.StringIO())
    assert json.loads(out.getvalue())[0]["许可类别"] == "普通"


@pytest.mark.django_db
def test_check_with_references_and_reports(chain_world, tmp_path):
    template = tmp_path / "template.json"
    call_command("quality", "template", "--standard", "inspection", "--format", "json", "--output", str(template),
                 stdout=io.StringIO(), stderr=io.StringIO())
    record = json.loads(template.read_text(encoding="utf-8"))[0]
    wrong = {**record, "记录唯一标识": "w", "检查行为编号": "w", "监管事项检查实施清单编码": record[
        "监管事项检查实施清单编码"][:-2] + "99"}
    path = tmp_path / "records.json"
    path.write_text(json.dumps([record, wrong], ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("quality", "check", str(path), "--standard", "inspection", "--no-progress",
                     "--report", str(tmp_path / "report.xlsx"), stdout=out, stderr=io.StringIO())
    assert failed.value.returncode == 1
    assert "[implementation_code_unknown]" in out.getvalue()
    book = load_workbook(tmp_path / "report.xlsx")
    rows = list(book["质检结果"].iter_rows(values_only=True))
    assert rows[1][:6] == (2, 2, "w", "implementation_code", "监管事项检查实施清单编码", "implementation_code_unknown")
    assert {row[0]: row[1] for row in book["评分"].iter_rows(min_row=4, values_only=True)}["关联性"] == 50.0
    with pytest.raises(CommandError):
        call_command("quality", "check", str(path), "--standard", "inspection", "--no-progress",
                     "--report", str(tmp_path / "report.json"), stdout=io.StringIO(), stderr=io.StringIO())
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [v["ok"] for v in report["verdicts"]] == [True, False]


def test_template_xlsx_has_headers_notes_and_round_trips(tmp_path):
    path = tmp_path / "template.xlsx"
    call_command("quality", "template", "--standard", "penalty", "--format", "xlsx", "--output", str(path),
                 stdout=io.StringIO(), stderr=io.StringIO())
    penalty = standards.get("penalty")
    book = load_workbook(path)
    assert book.sheetnames == ["数据", "填写说明", "规则"]
    headers = [c.value for c in book["数据"][1]]
    assert headers == [f.title for f in penalty.fields]
    decision = book["数据"].cell(row=1, column=headers.index("处罚文书号") + 1)
    assert decision.comment.text == "文本；≤100；是"
    notes = {row[0]: row for row in book["填写说明"].iter_rows(min_row=3, values_only=True)}
    assert notes["处罚种类"][4] == "是" and "01：警告" in notes["处罚种类"][7]
    assert notes["罚款金额"][2] == "数值" and notes["处罚文书号"][3] == "≤100"
    rule_ids = [row[0] for row in book["规则"].iter_rows(min_row=2, values_only=True)]
    assert "penalty.date_order.filed_on.closed_on" in rule_ids
    example = penalty.titled(penalty.example())
    book["数据"].append(["、".join(v) if isinstance(v, list) else v for v in (example.get(h) for h in headers)])
    book.save(path)
    call_command("quality", "check", str(path), "--standard", "penalty", "--no-refs", "--no-progress",
                 stdout=io.StringIO(), stderr=io.StringIO())  # exit 0


def test_standards_listing():
    out = io.StringIO()
    call_command("quality", "standards", stdout=out)
    assert "inspection\t行政检查行为" in out.getvalue() and "joint_task\t联合监管任务" in out.getvalue()
    out = io.StringIO()
    call_command("quality", "standards", "双公示行政处罚", stdout=out)
    assert "处罚决定日期" in out.getvalue() and "disclosure_penalty.duplicate" in out.getvalue()
