"""Excel and CSV imports are read whole and refused whole, with problems by row and column."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from jianguan.core.tabular import ImportRefused, read_table, write_xlsx

REQUIRED = ("事项名称", "设定依据")


def xlsx(rows, merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_reads_xlsx_skipping_blank_rows():
    rows = [["序号", "事项名称", "设定依据"], [1, "食品检查", "《食品安全法》第一百一十条"], [None, None, None],
            [3, "药品检查", "药品管理法第九十九条"]]
    table = read_table(xlsx(rows), "list.xlsx", required=REQUIRED, optional=("序号",))
    assert [n for n, _ in table.rows] == [2, 4]
    assert table.rows[0][1] == {"序号": "1", "事项名称": "食品检查", "设定依据": "《食品安全法》第一百一十条"}


def test_times_are_kept_on_request_and_unknown_columns_refused_when_strict():
    rows = [["事项名称", "设定依据", "备注"], ["食品检查", dt.datetime(2026, 12, 1, 10, 0, 30), "x"]]
    timed = read_table(xlsx(rows), "l.xlsx", required=REQUIRED, times=True)
    assert timed.rows[0][1]["设定依据"] == "2026-12-01 10:00:30"
    assert read_table(xlsx(rows), "l.xlsx", required=REQUIRED).rows[0][1]["设定依据"] == "2026-12-01"
    with pytest.raises(ImportRefused) as refused:
        read_table(xlsx(rows), "l.xlsx", required=REQUIRED, strict=True)
    assert [(p.row, p.column, p.code) for p in refused.value.problems] == [(1, "备注", "column_unknown")]


def test_reads_gbk_csv():
    data = "事项名称,设定依据\n食品检查,食品安全法第一百一十条\n".encode("gbk")
    table = read_table(data, "list.csv", required=REQUIRED)
    assert table.rows[0][1]["事项名称"] == "食品检查"


def test_reads_utf8_csv_with_bom():
    data = "\ufeff事项名称,设定依据\n食品检查,食品安全法\n".encode()
    assert read_table(data, "list.csv", required=REQUIRED).rows[0][1]["设定依据"] == "食品安全法"


def test_missing_columns_and_empty_cells_are_reported_by_row_and_column():
    with pytest.raises(ImportRefused) as caught:
        read_table(xlsx([["事项名称"], ["食品检查"], [""]]), "list.xlsx", required=REQUIRED)
    problems = caught.value.extra["problems"]
    assert problems[0] == {"row": 1, "column": "设定依据", "code": "column_missing", "message": "缺少必填列“设定依据”"}
    with pytest.raises(ImportRefused) as caught:
        read_table(xlsx([["事项名称", "设定依据"], ["食品检查", ""], ["", "某法"]]), "l.xlsx", required=REQUIRED)
    assert [(p["row"], p["column"]) for p in caught.value.extra["problems"]] == [(2, "设定依据"), (3, "事项名称")]


def test_merged_cells_are_refused():
    with pytest.raises(ImportRefused) as caught:
        read_table(xlsx([["事项名称", "设定依据"], ["食品检查", "某法"], ["药品检查", ""]], merge="B2:B3"), "l.xlsx",
                   required=REQUIRED)
    assert caught.value.extra["problems"][0]["code"] == "merged_cells"
    assert "B2:B3" in caught.value.message


def test_other_files_are_refused():
    with pytest.raises(ImportRefused):
        read_table(b"%PDF-1.4", "list.pdf", required=REQUIRED)
    with pytest.raises(ImportRefused):
        read_table(b"not a zip", "list.xlsx", required=REQUIRED)


def test_write_xlsx_round_trip():
    data = write_xlsx("清单", ["编码", "名称"], [["1", "食品"]], notes=["14 位数字", "事项名称"])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["编码", "名称"] and sheet["B3"].value == "食品"
