"""Imports of credit records: a file (Excel or CSV) or a JSON list from an API, checked whole and stored whole,
the original kept. A row naming an unknown entity, a wrong 统一社会信用代码 or a future date refuses the import."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, actor_ref
from jianguan.core.codes import uscc_error
from jianguan.core.scoping import HasScope
from jianguan.core.tabular import ImportRefused, Problem, read_table
from jianguan.subjects.models import MarketEntity

from .models import CreditImport, CreditKind, CreditRecord

COLUMNS = {"统一社会信用代码": "uscc", "日期": "date", "事由": "title", "来源编号": "source_ref",
           "作出机关": "authority", "内容": "detail", "移出日期": "ends_on"}
REQUIRED = ("统一社会信用代码", "日期", "事由", "来源编号")


def _rows_from_table(data: bytes, file_name: str) -> list[tuple[int, dict[str, str]]]:
    table = read_table(data, file_name, required=REQUIRED, optional=[c for c in COLUMNS if c not in REQUIRED])
    return [(number, {COLUMNS[k]: v for k, v in row.items() if k in COLUMNS}) for number, row in table.rows]


def _check(rows: list[tuple[int, dict[str, Any]]], reader: Actor) -> list[tuple[int, dict[str, Any]]]:
    """Each row checked; an entity outside the importer's jurisdiction (`reader`'s scope, as for reads) is refused
    like an unknown one. A system actor without a scope (the seed, a command) imports for the whole platform."""
    problems: list[Problem] = []
    today = timezone.localdate()
    codes = {str(row.get("uscc", "")).strip().upper() for _, row in rows}
    known = MarketEntity.objects.filter(uscc__in=codes)
    if isinstance(reader, HasScope):
        known = known.visible_to(reader)
    entities = dict(known.values_list("uscc", "pk"))
    regions = dict(known.values_list("uscc", "region_id"))
    clean = []
    for number, row in rows:
        code = str(row.get("uscc", "")).strip().upper()
        problem = uscc_error(code)
        if problem:
            problems.append(Problem(number, "统一社会信用代码", f"uscc_{problem}", f"代码“{code}”无效（{problem}）"))
            continue
        if code not in entities:
            problems.append(Problem(number, "统一社会信用代码", "entity_unknown",
                                    f"市场主体“{code}”不在监管对象库中或不在本部门管辖范围内"))
            continue
        dates: dict[str, dt.date | None] = {}
        for key, label in (("date", "日期"), ("ends_on", "移出日期")):
            value = str(row.get(key) or "").strip()
            if not value:
                dates[key] = None
                continue
            try:
                dates[key] = dt.date.fromisoformat(value[:10])
            except ValueError:
                problems.append(Problem(number, label, "date_invalid", f"“{value}”不是日期（YYYY-MM-DD）"))
                dates[key] = None
                continue
        if dates["date"] is None:
            if not any(p.row == number for p in problems):
                problems.append(Problem(number, "日期", "required", "“日期”不能为空"))
            continue
        if dates["date"] > today:
            problems.append(Problem(number, "日期", "date_in_future", "日期不能晚于今天"))
            continue
        for key, label in (("title", "事由"), ("source_ref", "来源编号")):
            if not str(row.get(key) or "").strip():
                problems.append(Problem(number, label, "required", f"“{label}”不能为空"))
        clean.append((number, {"entity_id": entities[code], "region_id": regions[code],
                               "date": dates["date"], "ends_on": dates["ends_on"],
                               "title": str(row.get("title", ""))[:300], "source_ref": str(row.get("source_ref", "")),
                               "authority": str(row.get("authority") or "")[:200],
                               "detail": str(row.get("detail") or "")}))
    if problems:
        raise ImportRefused(problems)
    return clean


@transaction.atomic
def credit_import(*, actor: Actor, kind: str, source: str, rows: list[tuple[int, dict[str, Any]]], raw: bytes,
                  file_name: str = "") -> CreditImport:
    """Store checked rows of one kind from one source; a record already held (same source and number) is refused."""
    if kind not in CreditKind.values:
        raise ImportRefused([Problem(None, None, "kind_invalid", f"未知的信用信息类别“{kind}”")])
    if not source.strip():
        raise ImportRefused([Problem(None, None, "source_required", "必须注明来源")])
    clean = _check(rows, reader=actor)
    batch = CreditImport.objects.create(kind=kind, source=source.strip(), file_name=file_name[:200], raw=raw,
                                        rows=len(clean), imported_by=actor_ref(actor).label)
    try:
        with transaction.atomic():
            CreditRecord.objects.bulk_create([CreditRecord(kind=kind, source=batch.source, imported=batch, **values)
                                              for _, values in clean])
    except IntegrityError:
        raise ImportRefused([Problem(None, "来源编号", "duplicate", "有记录已导入过（同一来源与来源编号）")]) from None
    record(actor=actor, verb="credit.records_imported", target=batch,
           data={"kind": kind, "source": batch.source, "rows": len(clean), "sha256": hashlib.sha256(raw).hexdigest()})
    return batch


def credit_import_file(*, actor: Actor, kind: str, source: str, file_name: str, data: bytes) -> CreditImport:
    return credit_import(actor=actor, kind=kind, source=source, rows=_rows_from_table(data, file_name), raw=data,
                         file_name=file_name)


def credit_import_json(*, actor: Actor, kind: str, source: str, records: list[dict[str, Any]],
                       body: bytes | None = None) -> CreditImport:
    rows = [(index + 1, item) for index, item in enumerate(records)]
    raw = body if body is not None else json.dumps(records, ensure_ascii=False, default=str).encode()
    return credit_import(actor=actor, kind=kind, source=source, rows=rows, raw=raw)
