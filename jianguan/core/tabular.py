"""Tables in and out: Excel (xlsx) and CSV (UTF-8 or GBK/GB18030) imports checked whole, and xlsx exports.

An import is read completely before anything is stored: missing columns, merged cells and rows that break a
rule are reported by row number and column, and the caller stores all rows or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import DomainError


@dataclass(frozen=True)
class Problem:
    row: int | None  # 1-based row of the sheet (the header is row 1); None for the whole file
    column: str | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

class ImportRefused(DomainError):
    """The file was not imported; `extra["problems"]` lists every problem found."""

    code = "import_refused"

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        where = (f"第 {first.row} 行" if first.row else "文件") + (f"“{first.column}”列" if first.column else "")
        super().__init__(f"文件未导入：共 {len(problems)} 处问题，首个在{where}：{first.message}",
                         field=first.column, extra={"problems": [p.as_dict() for p in problems]})
        self.problems = problems


@dataclass
class Table:
    """Rows keyed by header, each with its sheet row number."""

    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def decode(data: bytes) -> str:
    """An uploaded text file's characters: UTF-8 (with or without a byte-order mark), else GBK/GB18030, as Excel on
    a Chinese Windows saves CSV."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([Problem(None, None, "encoding", "无法识别文件编码（应为 UTF-8 或 GBK）")])


def _cell(value: Any, times: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if times and isinstance(value, dt.datetime) and value.time() != dt.time(0):
        return value.isoformat(sep=" ")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value).strip()


def read_table(data: bytes, file_name: str, *, required: Sequence[str], optional: Sequence[str] = (),
               times: bool = False, strict: bool = False) -> Table:
    """Read the first sheet of an xlsx file, or a CSV file, whose first row holds the column names.

    `times`: a date-and-time cell keeps its time (`2026-12-01 10:00:00`; else only the date is read). `strict`: a
    column that is neither required nor optional is refused (else it is left out)."""
    problems: list[Problem] = []
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=False, data_only=True).worksheets[0]
        except Exception:  # openpyxl raises many kinds for a broken file
            raise ImportRefused([Problem(None, None, "file_unreadable", "无法读取 Excel 文件（应为 .xlsx）")]) from None
        for merged in sheet.merged_cells.ranges:
            problems.append(Problem(merged.min_row, get_column_letter(merged.min_col), "merged_cells",
                                    f"不支持合并单元格（{merged.coord}），请取消合并后填写每一格"))
        grid = [[_cell(v, times) for v in row] for row in sheet.iter_rows(values_only=True)]
    elif file_name.lower().endswith((".csv", ".txt")):
        grid = [[c.strip() for c in row] for row in csv.reader(io.StringIO(decode(data)))]
    else:
        raise ImportRefused([Problem(None, None, "file_type", "只接受 .xlsx 或 .csv 文件")])
    if not grid or not any(grid[0]):
        raise ImportRefused([Problem(1, None, "header_missing", "第 1 行应为列名")])
    headers = [h.strip() for h in grid[0]]
    missing = [name for name in required if name not in headers]
    for name in missing:
        problems.append(Problem(1, name, "column_missing", f"缺少必填列“{name}”"))
    known = set(required) | set(optional)
    if strict:
        problems += [Problem(1, name, "column_unknown", f"未知的列“{name}”（可用的列见导入模板）")
                     for name in headers if name and name not in known]
    table = Table(headers=[h for h in headers if h in known])
    for number, values in enumerate(grid[1:], start=2):
        if not any(v for v in values):
            continue  # blank rows are skipped
        row = {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h in known}
        problems += [Problem(number, h, "invalid_character", f"“{h}”含有不允许的空字符（NUL）")
                     for h, value in row.items() if isinstance(value, str) and "\x00" in value]
        for name in required:
            if name not in missing and not row.get(name):
                problems.append(Problem(number, name, "required", f"“{name}”不能为空"))
        table.rows.append((number, row))
    if not table.rows and not problems:
        problems.append(Problem(None, None, "empty", "文件没有数据行"))
    if problems:
        raise ImportRefused(problems)
    return table


def _excel_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal, dt.date)):
        return value
    return str(value)  # lazy translations and other objects become their text


def write_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
               notes: Sequence[str] | None = None, widths: Sequence[int] | None = None) -> bytes:
    """An xlsx workbook with one sheet: bold header, frozen first row, optional notes row under the header."""
    book = Workbook()
    sheet = book.create_sheet(index=0)
    book.remove(book.worksheets[1])
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F6")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    if notes:
        sheet.append(list(notes))
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="5B6577")
    for row in rows:
        sheet.append([_excel_value(v) for v in row])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [18] * len(headers), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
