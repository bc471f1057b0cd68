"""Fill-in templates of a standard: an Excel workbook whose first sheet has the Chinese headers (each with a note:
type, length, required, dictionary) and a 填写说明 sheet describing every field, plus a 规则 sheet listing the
rules with their ids, codes and dimensions."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .base import Field, Standard
from .rules import DIMENSIONS, Required, TypeRule

NOTE_HEADERS = ("字段名称", "字段标识", "类型", "长度", "必填", "格式与校验", "字典", "字典取值（代码：名称）", "说明")


def _length(field: Field) -> str:
    if field.fixed_len:
        return f"={field.fixed_len}"
    return f"≤{field.max_len}" if field.max_len else ""


def _values(field: Field, limit: int = 40) -> str:
    if not field.dictionary:
        return ""
    values = Field.describe(field)["values"]
    shown = [code if code == label else f"{code}：{label}" for code, label in list(values.items())[:limit]]
    more = f" …（共 {len(values)} 项）" if len(values) > limit else ""
    return "；".join(shown) + more


def note(field: Field) -> list[str]:
    described = field.describe()
    check = described["pattern"]
    if field.type == "list":
        check = ("多值：JSON 数组，或以逗号、顿号、分号分隔" + (f"；每项{check}" if check else "")).rstrip("；")
    if field.type in ("date", "datetime"):
        check = "YYYY-MM-DD" if field.type == "date" else "YYYY-MM-DD HH:MM:SS"
    if field.type == "bool":
        check = "是/否（或 1/0、true/false）"
    dictionary = field.dictionary or ""
    if dictionary:
        status = {"local": "本平台取值，上级字典未公布", "practice": "实践取值", "published": "公布的代码"}.get(
            described.get("dictionary_status", ""), "")
        dictionary += f"（{status}）" if status else ""
    return [field.title, field.id, described["type_label"], _length(field), "是" if field.required else "",
            check, dictionary, _values(field), field.note]


def workbook(standard: Standard) -> bytes:
    book = Workbook()
    data = book.active
    data.title = "数据"
    data.append([f.title for f in standard.fields])
    for index, field in enumerate(standard.fields, start=1):
        cell = data.cell(row=1, column=index)
        cell.font = Font(bold=True, color="B42318" if field.required else "1F2937")
        cell.fill = PatternFill("solid", fgColor="EEF1F6")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        parts = [p for p in note(field)[2:8] if p]
        cell.comment = Comment("；".join(parts)[:1000], "jianguan")
        data.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(field.title) * 2 + 4))
        data.column_dimensions[get_column_letter(index)].number_format = "@"
    data.freeze_panes = "A2"

    notes = book.create_sheet("填写说明")
    notes.append([f"{standard.title}（{standard.name}）版本 {standard.version}：表头红色为必填；每行一条记录，"
                  "不要合并单元格。"])
    notes.append(list(NOTE_HEADERS))
    for cell in notes[2]:
        cell.font = Font(bold=True)
    for field in standard.fields:
        notes.append(note(field))
    for index, width in enumerate((28, 22, 10, 8, 6, 36, 22, 60, 40), start=1):
        notes.column_dimensions[get_column_letter(index)].width = width

    rules = book.create_sheet("规则")
    rules.append(["规则编号", "错误代码", "维度", "字段", "规则"])
    for cell in rules[1]:
        cell.font = Font(bold=True)
    for rule in standard.all_rules():
        if isinstance(rule, Required) and not standard.field(rule.field).required:
            continue
        if isinstance(rule, TypeRule) and standard.field(rule.field).type == "str":
            continue
        field = standard.field(rule.field).title if standard.has_field(rule.field) else ""
        rules.append([rule.id, rule.code, DIMENSIONS[rule.dimension], field, rule.label])
    for index, width in enumerate((60, 30, 10, 28, 16), start=1):
        rules.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
