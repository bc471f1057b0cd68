"""Files of observations: JSON Lines (one item a line, as the API's items), or a table (xlsx, CSV in UTF-8 or GBK)
whose first row holds the Chinese column titles of the template; each row read into the item the API would take.

A table's cells are turned into the item's values only where the meaning is plain: a count or class written as a
number becomes the number, 是/否 a yes/no, 模型 and 类型 by their Chinese names the codes, and a time without a zone
(Excel keeps none) is Beijing time, `+08:00`. Anything else is passed on as written, so the item's own checks
(`intake.check_item`, the API's) refuse it naming the rule. An empty cell is an absent field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from jianguan.core.tabular import ImportRefused, Problem, read_table
from jianguan.risk import inputs
from jianguan.risk.inputs import InputInvalid

from .models import ObservationKind, RiskModel

BEIJING = dt.timezone(dt.timedelta(hours=8))
# column title → (field, type, what to write); the envelope first, then every model's input fields
# (tests/risk/test_files.py holds this table to the definitions).
COLUMNS: dict[str, tuple[str, str, str]] = {
    "编号": ("id", "id", "报送方自己的编号，同一报送方不重复（必填）"),
    "模型": ("model", "model",
           "虚假医疗广告、非法集资、非法销售药品、非法销售处方药品、非法销售医疗器械，或其英文代码（必填）"),
    "类型": ("kind", "kind", "广告、网页（广告类模型）或网络销售商品（销售类模型）（必填）"),
    "采集时间": ("captured_at", "time", "如 2026-12-01 10:00:00；未写时区的按北京时间（必填）"),
    "快照摘要": ("snapshot_hash", "short", "采集快照的 SHA-256 等摘要，至多 64 个字符（必填）"),
    "网址": ("url", "short", "采集页面的网址"),
    "渠道": ("channel", "short", "发布或销售渠道"),
    "统一社会信用代码": ("entity", "short", "对象的统一社会信用代码"),
    "所在区划": ("region", "short", "行政区划代码，默认报送部门所在区划"),
    "文字": ("text", "text", "广告、宣传或商品页文字（非法集资模型可只填名称或经营范围）"),
    "广告主": ("advertiser", "short", "虚假医疗广告"),
    "广告审查证明文号": ("review_number", "short", "虚假医疗广告"),
    "名称": ("name", "short", "非法集资：企业或项目名称"),
    "经营范围": ("business_scope", "text", "非法集资"),
    "卖家": ("seller", "short", "销售类模型必填：统一社会信用代码或平台店铺编号"),
    "销售平台": ("platform", "short", "销售类模型"),
    "商品名称": ("product_name", "short", "销售类模型"),
    "批准文号、注册证编号或备案编号": ("registration_number", "short", "销售类模型"),
    "医疗器械管理类别": ("device_class", "device_class", "1、2 或 3"),
    "结算是否要求处方": ("prescription_step", "bool", "是或否"),
    "处方编号": ("prescription_id", "short", "处方药"),
    "处方开具时间": ("prescription_time", "time", "如 2026-12-01 10:00:30；未写时区的按北京时间"),
    "下单时间": ("order_time", "time", "如 2026-12-01 10:00:00；未写时区的按北京时间"),
    "销售数量": ("quantity", "count", "非负整数"),
    "处方数量": ("prescribed_quantity", "count", "非负整数"),
}
REQUIRED = ("编号", "模型", "类型", "采集时间", "快照摘要")
TITLE = {field: title for title, (field, _type, _note) in COLUMNS.items()}
FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".xlsx": "xlsx", ".csv": "csv"}
_YES, _NO = {"是", "true", "1", "y", "yes"}, {"否", "false", "0", "n", "no"}


@dataclass(frozen=True)
class Row:
    """One item of a file and where it was: the line of a JSON Lines file, or the row of a sheet."""

    number: int
    item: Any


def format_of(file_name: str) -> str:
    """`jsonl`, `xlsx` or `csv` by the file's name; ImportRefused for any other."""
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in FORMATS:
        raise ImportRefused([Problem(None, None, "file_type", "只接受 .jsonl（JSON Lines）、.xlsx 或 .csv 文件")])
    return FORMATS[suffix]


def read(data: bytes, kind: str) -> list[Row]:
    """The rows of a file of format `kind`, as items; ImportRefused for a file that cannot be read as rows."""
    if kind == "jsonl":
        try:
            rows = [Row(number, item) for number, item in inputs.lines(data)]
        except InputInvalid as error:
            raise ImportRefused([Problem(error.line, None, error.code, error.detail)]) from None
    else:
        table = read_table(data, f"upload.{kind}", required=REQUIRED,
                           optional=[title for title in COLUMNS if title not in REQUIRED], times=True, strict=True)
        rows = [Row(number, _item(values)) for number, values in table.rows]
    if not rows:
        raise ImportRefused([Problem(None, None, "empty", "文件没有数据行")])
    return rows


def rows_at_most(data: bytes, kind: str) -> int | None:
    """How many rows a file may hold, told without reading it (its lines; the sheet's stated size), or None when
    it cannot be told so."""
    if kind != "xlsx":
        return data.count(b"\n") + 1
    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
        stated = book.worksheets[0].max_row
        book.close()
    except Exception:  # a broken workbook is refused when it is read
        return None
    return stated if isinstance(stated, int) else None


def column(kind: str, field: str | None) -> str | None:
    """What names a field in a file of format `kind`: its column title in a table, its name in JSON Lines."""
    if field is None or kind == "jsonl":
        return field
    return TITLE.get(field, field)


def _item(values: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for title, value in values.items():
        if value != "":
            field, kind, _note = COLUMNS[title]
            item[field] = _value(kind, value)
    return item


def _value(kind: str, value: str) -> Any:
    """A cell's text as the item's value where its meaning is plain (see the module's docstring)."""
    if kind in ("count", "device_class") and value.isdigit():
        return int(value)
    if kind == "bool" and value.lower() in _YES | _NO:
        return value.lower() in _YES
    if kind == "model":
        return {str(label): code for code, label in RiskModel.choices}.get(value, value)
    if kind == "kind":
        return {str(label): code for code, label in ObservationKind.choices}.get(value, value)
    if kind == "time":
        return _time(value)
    return value


def _time(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return value if moment.tzinfo else moment.replace(tzinfo=BEIJING).isoformat()


def template_xlsx() -> bytes:
    """The import template: the column titles on the first sheet, what to write in each on the second."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "监测数据"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "字段", "填写说明"])
    for title, (field, _kind, note) in COLUMNS.items():
        notes.append([title, field, note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    """The column titles as a CSV header (UTF-8 with a byte-order mark, so Excel opens it as such)."""
    out = io.StringIO()
    csv.writer(out).writerow(list(COLUMNS))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
