"""Registers in: a file (Excel .xlsx or CSV) of one register kind from one source, its first row the Chinese
headers of the kind's template (`template`), every row checked (`registers.check_rows`: the problem named by row,
column and rule, with an English code), stored whole or not at all, the file kept as received (ADR 0037).

An import adds rows and changes none: the newest import's row of a number is the one the models read, so a source
sends its register again (or the rows that changed) to correct it, and the earlier files stay as they were.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.tabular import ImportRefused, Problem, read_table, write_xlsx
from jianguan.risk import registers

from .models import RegisterEntry, RegisterImport

MAX_SOURCE = 200
HINTS = {"text": "文字", "code": "18 位统一社会信用代码", "date": "日期，如 2027-06-30",
         "list": "多项以顿号、逗号或分号分隔", "device_class": "第一类、第二类或第三类（1、2、3）",
         "rx": "处方药、甲类非处方药或乙类非处方药", "status": "有效、注销、吊销、撤销或暂停（空为有效）"}


def column_notes(kind: str) -> list[tuple[str, bool, str]]:
    """(header, required, what it holds) of each column of `kind`'s template."""
    return [(column.label, column.required, HINTS[column.type]) for column in registers.columns(kind)]


def template(kind: str) -> bytes:
    """The import template of `kind`: one sheet whose first row holds the Chinese headers."""
    headers = [column.label for column in registers.columns(kind)]
    return write_xlsx(registers.label(kind), headers, [], widths=[24] * len(headers))


def _refuse(code: str, message: str) -> ImportRefused:
    return ImportRefused([Problem(None, None, code, message)])


def _rows(kind: str, file_name: str, data: bytes) -> list[tuple[int, dict[str, str], dict[str, str]]]:
    """(row, values by column name, the row as read by header) of each data row of the file; the rows' values are
    checked after (`registers.check_rows`), so that every problem of the file is named at once."""
    columns = registers.columns(kind)
    table = read_table(data, file_name, required=(), optional=[column.label for column in columns])
    missing = [Problem(1, column.label, "column_missing", f"缺少必填列“{column.label}”") for column in columns
               if column.required and column.label not in table.headers]
    if missing:
        raise ImportRefused(missing)
    names = {column.label: column.name for column in columns}
    return [(number, {names[header]: value for header, value in row.items()}, row) for number, row in table.rows]


def _department(actor: Actor) -> Department:
    ref = actor_ref(actor)
    if ref.department_id is None:
        raise _refuse("sender_without_department", "导入人不属于任何部门，不能导入登记")
    return Department.objects.select_related("region").get(pk=ref.department_id)


@transaction.atomic
def register_import(*, actor: Actor, kind: str, source: str, file_name: str, data: bytes) -> RegisterImport:
    """Import a file of register `kind` sent by `source`, whole or not at all; one audit event for the file."""
    if kind not in registers.KINDS:
        raise _refuse("kind_invalid", f"未知的登记种类“{kind}”（可用：{'、'.join(registers.KINDS)}）")
    source = source.strip()
    if not source:
        raise _refuse("source_required", "必须注明来源（报送单位）")
    if len(source) > MAX_SOURCE:
        raise _refuse("source_too_long", f"来源不得超过 {MAX_SOURCE} 个字符")
    department = _department(actor)
    rows = _rows(kind, file_name, data)
    entries, problems = registers.check_rows(kind, [(number, values) for number, values, _raw in rows])
    if problems:
        raise ImportRefused(problems)
    received = {number: raw for number, _values, raw in rows}
    batch = RegisterImport.objects.create(kind=kind, source=source, file_name=file_name[:200], raw=data,
                                          rows=len(entries), imported_by=actor_ref(actor).label[:200],
                                          department=department, region=department.region)
    RegisterEntry.objects.bulk_create([_stored(batch, row, entry, received[row]) for row, entry in entries])
    record(actor=actor, verb="risk.register_imported", target=batch,
           data={"kind": kind, "source": source, "file_name": batch.file_name, "rows": len(entries),
                 "sha256": hashlib.sha256(data).hexdigest()})
    return batch


def _stored(batch: RegisterImport, row: int, entry: registers.Entry, raw: dict[str, Any]) -> RegisterEntry:
    return RegisterEntry(imported=batch, kind=entry.kind, row=row, number=entry.number, number_key=entry.number_key,
                         holder=entry.holder, holder_key=entry.holder_key, holder_code=entry.holder_code,
                         name=entry.name, valid_until=entry.valid_until, status=entry.status,
                         details=dict(entry.details), raw=registers.raw_row(raw))
