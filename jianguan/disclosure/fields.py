"""The publishable fields of a decision (disclosure-credit.md §1–§2, behaviour-records.md §2–§4), copied from its
behaviour row into the item: a penalty in the 双公示 行政处罚 standard's names (what the exchange pushes), an
inspection's result and a coercive decision in the names of their behaviour standards.

What is never published is never copied (disclosure-credit.md §5): a natural person's ID number appears only as
the library stores it, masked; addresses of natural persons, contact details and bank accounts are not fields of
these tables; a received 行政许可 (`received.Licence`) is copied in the 双公示 行政许可 standard's names
(disclosure-credit.md §2) without the 法定代表人证件号码, a natural person's ID number masked. Free text (违法事实,
处罚依据, 许可内容) is copied whole; masks inside it are the redaction's (ADR 0047)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from jianguan.behaviour.contracts import PENALTY_KINDS
from jianguan.behaviour.models import CoercionKind, PartyNature

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


# The 双公示 行政许可 fields copied from a received record (disclosure-credit.md §2), as (the item's key, the
# standard's field id): never the 法定代表人证件号码, nor a natural person's ID number as received.
LICENCE_COPIED = (("decision_doc_name", "decision_doc_name"), ("licence_category", "licence_category"),
                  ("certificate_name", "certificate_name"), ("licence_number", "licence_number"),
                  ("licence_content", "content"), ("valid_from", "valid_from"), ("valid_to", "valid_to"),
                  ("licence_status", "status"), ("remark", "remark"))


def licence_fields(row: Any, department: Any) -> dict[str, Any]:
    """A received 行政许可 (`received.Licence`): the party, the decision and the licence, decided by the 许可机关
    (the department that publishes it, 谁执法谁公示)."""
    party = {**_party(row), "id_type": row.values.get("id_type") or "身份证"} if row.party_nature == "person" \
        else _party(row)
    return {**party, "decision_number": row.values.get("decision_doc_number"),
            **{key: row.values.get(source) for key, source in LICENCE_COPIED},
            "decided_on": row.date.isoformat(), **_authority(department)}


BUILDERS = {SourceKind.PENALTY: penalty_fields, SourceKind.INSPECTION: inspection_fields,
            SourceKind.COERCION: coercion_fields, SourceKind.LICENCE: licence_fields}


def fields_of(kind: str, row: Any, department: Any) -> dict[str, Any]:
    """The publishable copy of `row` (None values left out)."""
    return {k: v for k, v in BUILDERS[SourceKind(kind)](row, department).items() if v not in (None, "")}


# The published copy's keys as the public reads them (the 双公示 standard's Chinese names, disclosure-credit.md §1–§2;
# behaviour-records.md for the inspection's and the coercion's). A key not named here is shown as it is.
LABELS: dict[str, Any] = {
    "party_name": _("行政相对人名称"), "party_category": _("行政相对人类别"), "id_type": _("证件类型"),
    "id_number": _("证件号码"), "party_code_1": _("统一社会信用代码"), "decision_number": _("决定文书号"),
    "violation_type": _("违法行为类型"), "facts": _("违法事实"), "basis": _("依据"), "penalty_category": _("处罚类别"),
    "content": _("处罚内容"), "fine": _("罚款金额（万元）"), "decided_on": _("决定日期"), "authority": _("决定机关"),
    "authority_code": _("决定机关统一社会信用代码"), "source_unit": _("数据来源单位"),
    "source_unit_code": _("数据来源单位统一社会信用代码"), "case_number": _("案件编号"),
    "catalog_code": _("监管事项编码"), "procedure": _("程序类别"), "name": _("事项名称"), "result": _("结果"),
    "category": _("检查类别"), "spot_check_plan": _("双随机一公开计划"), "kind": _("行政强制种类"),
    "measure_type": _("强制措施类型"), "enforcement_type": _("强制执行类型"),
    "decision_doc_name": _("行政许可决定文书名称"), "licence_category": _("许可类别"),
    "certificate_name": _("许可证书名称"), "licence_number": _("许可编号"), "licence_content": _("许可内容"),
    "valid_from": _("有效期自"), "valid_to": _("有效期至"), "licence_status": _("当前状态"), "remark": _("备注"),
}
# Coded values shown by their names: 行政相对人类别, 处罚类别 (行政处罚法 第九条), 程序类别, 检查类别, 行政强制种类,
# 许可当前状态.
VALUES: dict[str, dict[str, Any]] = {
    "party_category": dict(PartyNature.choices), "penalty_category": dict(PENALTY_KINDS),
    "procedure": {"01": _("简易程序"), "02": _("一般程序")}, "category": {"1": _("现场检查"), "2": _("非现场检查")},
    "kind": dict(CoercionKind.choices), "licence_status": {"1": _("有效"), "2": _("无效")},
}


def _shown(key: str, value: Any) -> str:
    names = VALUES.get(key, {})
    values = value if isinstance(value, list) else [value]
    return "、".join(str(names.get(v, v)) for v in values)


def labelled(redacted: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of a published copy for the public page, in the copy's order; coded values by name."""
    return [(str(LABELS.get(key, key)), _shown(key, value)) for key, value in redacted.items()]
