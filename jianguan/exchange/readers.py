"""Exchange files in: CSV (UTF-8 or GBK/GB18030), Excel (.xlsx, first sheet) and JSON (an array of objects), each
read into records keyed by the file's own column names, with the row (or item) each came from.

Unlike an import (jianguan.core.tabular.read_table), nothing here refuses a row: every row goes to the quality
check, which reports what is wrong with it. Only a file that cannot be read as records at all is refused
(ImportRefused): an unknown encoding or type, a broken workbook, merged cells, a missing or repeated header, JSON
that is not an array of objects.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jianguan.core.errors import ValidationFailed
from jianguan.core.inputs import loads
from jianguan.core.tabular import ImportRefused, Problem, decode


@dataclass
class Loaded:
    records: list[dict[str, Any]]
    rows: list[int]  # sheet row of each record (the header is row 1); for JSON the 1-based item number
    kind: str  # csv | xlsx | json


def _refuse(code: str, message: str, row: int | None = None, column: str | None = None) -> ImportRefused:
    return ImportRefused([Problem(row, column, code, message)])


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time(0) else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _table(grid: list[list[Any]]) -> tuple[list[dict[str, Any]], list[int]]:
    if not grid or not any(v not in (None, "") for v in grid[0]):
        raise _refuse("header_missing", "第 1 行应为列名", row=1)
    headers = [("" if h is None else str(h).strip()) for h in grid[0]]
    while headers and not headers[-1]:
        headers.pop()
    seen: set[str] = set()
    for index, name in enumerate(headers):
        column = get_column_letter(index + 1)
        if not name:
            raise _refuse("header_blank", f"第 1 行第 {column} 列没有列名", row=1, column=column)
        if name in seen:
            raise _refuse("header_repeated", f"列名“{name}”重复", row=1, column=column)
        seen.add(name)
    records, rows = [], []
    for number, values in enumerate(grid[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue  # blank rows are skipped
        if any(v not in (None, "") for v in values[len(headers):]):
            raise _refuse("cell_outside_header", f"第 {number} 行有超出列名范围的数据", row=number)
        records.append({h: (values[i] if i < len(values) and values[i] != "" else None) for i, h in enumerate(headers)})
        rows.append(number)
    return records, rows


def read_csv(data: bytes) -> Loaded:
    grid = [[c.strip() for c in row] for row in csv.reader(io.StringIO(decode(data)))]
    records, rows = _table(grid)
    return Loaded(records, rows, "csv")


def read_xlsx(data: bytes) -> Loaded:
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=False, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a broken file
        raise _refuse("file_unreadable", "无法读取 Excel 文件（应为 .xlsx）") from None
    merged = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if merged:
        raise ImportRefused([Problem(r.min_row, get_column_letter(r.min_col), "merged_cells",
                                     f"{'表头' if r.min_row == 1 else f'第 {r.min_row} 行'}有合并单元格（{r.coord}）："
                                     "请取消合并，每列一个列名、每格一个值") for r in merged])
    grid = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    records, rows = _table(grid)
    return Loaded(records, rows, "xlsx")


def read_json(data: bytes) -> Loaded:
    try:
        parsed = loads(decode(data), label="文件")
    except ValidationFailed as error:
        raise _refuse("json_invalid" if error.code == "malformed_json" else error.code, error.message) from None
    if isinstance(parsed, dict) and isinstance(parsed.get("records"), list):
        parsed = parsed["records"]
    if not isinstance(parsed, list):
        raise _refuse("json_not_array", "JSON 应为对象数组（每个对象一条记录）")
    for index, item in enumerate(parsed, start=1):
        if not isinstance(item, dict):
            raise _refuse("json_item_not_object", f"第 {index} 项不是对象", row=index)
    return Loaded(parsed, list(range(1, len(parsed) + 1)), "json")


def read_records(path: str | Path) -> Loaded:
    """The records of a CSV, xlsx or JSON file, by its extension; ImportRefused when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    readers = {".csv": read_csv, ".txt": read_csv, ".xlsx": read_xlsx, ".xlsm": read_xlsx, ".json": read_json}
    if suffix not in readers:
        raise _refuse("file_type", "只接受 .csv、.xlsx 或 .json 文件")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _refuse("file_missing", f"无法读取文件“{path}”：{error.strerror or error}") from None
    return readers[suffix](data)
