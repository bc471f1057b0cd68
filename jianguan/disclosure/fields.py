"""The publishable fields of a decision (disclosure-credit.md §1–§2, behaviour-records.md §2–§4), copied from its
behaviour row into the item: a penalty in the 双公示 行政处罚 standard's names (what the exchange pushes), an
inspection's result and a coercive decision in the names of their behaviour standards.

What is never published is never copied (disclosure-credit.md §5): a natural person's ID number appears only as
the library stores it, masked; addresses of natural persons, contact details and bank accounts are not fields of
these tables. Free text (违法事实, 处罚依据) is copied whole; masks inside it are the redaction's (ADR 0047)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .models import SourceKind


def _wan(amount: Decimal | None) -> str | None:
    """An amount in yuan as 万元 with 6 decimals (disclosure-credit.md §1)."""
    return None if amount is None else f"{Decimal(amount) / Decimal(10000):.6f}"


def _party(row: Any) -> dict[str, Any]:
    if row.party_nature == "person":
        return {"party_name": row.party_name, "party_category": row.party_nature, "id_type": "身份证",
                "id_number": row.party_code}
    return {"party_name": row.party_name, "party_category": row.party_nature, "party_code_1": row.party_code}


def _authority(department: Any) -> dict[str, Any]:
    return {"authority": department.name, "authority_code": department.uscc, "source_unit": department.name,
            "source_unit_code": department.uscc}


def penalty_fields(row: Any, department: Any) -> dict[str, Any]:
    return {**_party(row), "decision_number": row.decision_number, "violation_type": row.name[:2000],
            "facts": row.facts[:5000], "basis": row.basis[:2000],
            "penalty_category": list(row.penalty_kinds or ["07"]), "content": row.result[:4000],
            "fine": _wan(row.fine), "decided_on": row.date.isoformat(), **_authority(department),
            "case_number": row.number, "catalog_code": row.catalog_code, "procedure": row.procedure}


def inspection_fields(row: Any, department: Any) -> dict[str, Any]:
    return {**_party(row), "decision_number": row.number, "name": row.name, "result": row.result,
            "category": row.category, "decided_on": row.date.isoformat(), "catalog_code": row.catalog_code,
            "spot_check_plan": row.spot_check_plan, **_authority(department)}


def coercion_fields(row: Any, department: Any) -> dict[str, Any]:
    return {**_party(row), "decision_number": row.decision_number, "name": row.name, "kind": row.kind,
            "facts": row.facts[:1000], "basis": row.basis[:1000], "measure_type": row.measure_type,
            "enforcement_type": row.enforcement_type, "result": row.result, "decided_on": row.date.isoformat(),
            "catalog_code": row.catalog_code, **_authority(department)}


BUILDERS = {SourceKind.PENALTY: penalty_fields, SourceKind.INSPECTION: inspection_fields,
            SourceKind.COERCION: coercion_fields}


def fields_of(kind: str, row: Any, department: Any) -> dict[str, Any]:
    """The publishable copy of `row` (None values left out)."""
    return {k: v for k, v in BUILDERS[SourceKind(kind)](row, department).items() if v not in (None, "")}


# The names of the published fields in the standards' Chinese (the published PDF's labels).
LABELS = {"party_name": "行政相对人名称", "party_category": "行政相对人类别", "party_code_1": "统一社会信用代码",
          "id_type": "证件类型", "id_number": "证件号码", "decision_number": "决定文书号",
          "violation_type": "违法行为类型", "facts": "违法事实", "basis": "依据", "penalty_category": "处罚类别",
          "content": "处罚内容", "fine": "罚款金额（万元）", "decided_on": "决定日期", "authority": "决定机关",
          "authority_code": "决定机关统一社会信用代码", "source_unit": "数据来源单位",
          "source_unit_code": "数据来源单位统一社会信用代码", "case_number": "行为编号", "catalog_code": "监管事项编码",
          "procedure": "程序类别", "name": "行为名称", "result": "结果", "category": "类别", "kind": "种类",
          "spot_check_plan": "抽查计划", "measure_type": "强制措施种类", "enforcement_type": "强制执行方式"}
