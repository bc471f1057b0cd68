"""Checks of a change's payload against the list as it stands, and the current values a change starts from.

A payload is validated when its change is submitted and again when it is published (`publishing.py`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.core.errors import ValidationFailed
from jianguan.core.validation import parse_date

from . import codes
from .models import (
    ActionType,
    CatalogItem,
    CatalogVersion,
    ChangeKind,
    Implementation,
    ImplementationVersion,
    ItemStatus,
    Law,
)

IMPLEMENTATION_FIELDS = ("delegated_by", "check_category", "check_method", "in_random_checks", "check_ratio",
                         "check_frequency", "content_routine", "content_special", "sampling", "sampling_content",
                         "cooperative", "cooperating_bodies")
CHECK_CATEGORIES = ("现场检查", "非现场检查")


def _dates(payload: dict[str, Any]) -> tuple[dt.date, dt.date | None]:
    effective = parse_date(payload.get("effective_from"), "effective_from")
    cancel = parse_date(payload["cancel_on"], "cancel_on") if payload.get("cancel_on") else None
    if cancel is not None and cancel <= effective:
        raise ValidationFailed("计划生效日期必须早于计划取消日期", code="date_order", field="cancel_on")
    payload["effective_from"] = effective.isoformat()
    payload["cancel_on"] = cancel.isoformat() if cancel else None
    return effective, cancel


def catalog_item(code: str, field: str = "code") -> CatalogItem:
    item = CatalogItem.objects.filter(code=codes.require_catalog_code(code, field=field)).first()
    if item is None:
        raise ValidationFailed(f"目录编码“{code}”的事项不存在", code="item_unknown", field=field)
    return item


def latest_version(item: CatalogItem) -> CatalogVersion | None:
    return item.versions.order_by("-version").first()


def _item_fields(fields: dict[str, Any], *, sub_item: bool, prefix: str = "") -> dict[str, Any]:
    """Check and normalise the descriptive fields of a catalog item."""
    clean: dict[str, Any] = {}
    name = str(fields.get("name") or "").strip()
    if not name:
        raise ValidationFailed("事项名称不能为空", code="required", field=f"{prefix}name")
    clean["name"] = name[:200]
    action = fields.get("action_type") or ""
    if sub_item and action not in ActionType.values:
        raise ValidationFailed(f"行政类型应为 {'、'.join(ActionType.values)} 之一", code="action_type_invalid",
                               field=f"{prefix}action_type")
    clean["action_type"] = action if sub_item else ""
    for key in ("supervised_object", "supervision_method", "supervision_process", "supervision_result"):
        clean[key] = str(fields.get(key) or "")
    levels = fields.get("levels") or []
    if not isinstance(levels, list) or any(level not in range(1, 6) for level in levels):
        raise ValidationFailed("监管层级应为 1–5 的列表", code="levels_invalid", field=f"{prefix}levels")
    clean["levels"] = sorted(set(levels))
    basis = fields.get("basis") or []
    if sub_item and not basis:
        raise ValidationFailed("子项必须有设定依据", code="basis_required", field=f"{prefix}basis")
    known = set(Law.objects.filter(key__in=[b.get("law") for b in basis if isinstance(b, dict)])
                .values_list("key", flat=True))
    clean_basis = []
    for index, reference in enumerate(basis):
        where = f"{prefix}basis[{index}]"
        if not isinstance(reference, dict) or reference.get("law") not in known:
            named = reference.get("law") if isinstance(reference, dict) else reference
            raise ValidationFailed(f"{where}：法律法规“{named}”未登记", code="law_unknown", field=f"{where}.law")
        article = str(reference.get("article") or "").strip()
        if not (article.startswith("第") and article.endswith("条")):
            raise ValidationFailed(f"{where}：条文序号应写作“第……条”", code="article_invalid", field=f"{where}.article")
        clean_basis.append({"law": reference["law"], "article": article,
                            "clause": str(reference.get("clause") or ""), "text": str(reference.get("text") or "")})
    clean["basis"] = clean_basis
    return clean


def _new_code_free(code: str, field: str) -> str:
    code = codes.require_catalog_code(code, field=field)
    if CatalogItem.objects.filter(code=code).exists():
        raise ValidationFailed(f"目录编码“{code}”已存在", code="catalog_code_duplicate", field=field)
    return code


def _body_level(body: Department) -> int:
    return body.region.level


def _implementation_fields(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    category = fields.get("check_category") or "现场检查"
    if category not in CHECK_CATEGORIES:
        raise ValidationFailed("检查类别应为“现场检查”或“非现场检查”", code="check_category_invalid",
                               field="check_category")
    clean["check_category"] = category
    for key in ("check_method", "check_ratio", "check_frequency", "content_routine", "content_special",
                "sampling_content"):
        clean[key] = str(fields.get(key) or "")
    for key in ("in_random_checks", "sampling", "cooperative"):
        clean[key] = bool(fields.get(key))
    if clean["in_random_checks"] and not clean["check_ratio"]:
        raise ValidationFailed("纳入双随机的事项必须填写检查比例", code="ratio_required", field="check_ratio")
    if clean["sampling"] and not clean["sampling_content"]:
        raise ValidationFailed("开展抽检的事项必须填写监督抽检内容", code="sampling_content_required",
                               field="sampling_content")
    bodies = [int(b) for b in fields.get("cooperating_bodies") or []]
    if clean["cooperative"] and not bodies:
        raise ValidationFailed("协同检查必须列出协同相关机构", code="cooperating_required", field="cooperating_bodies")
    if Department.objects.filter(pk__in=bodies).count() != len(set(bodies)):
        raise ValidationFailed("协同相关机构中有不存在的部门", code="department_unknown", field="cooperating_bodies")
    clean["cooperating_bodies"] = sorted(set(bodies))
    delegated = fields.get("delegated_by")
    if delegated and not Department.objects.filter(pk=delegated).exists():
        raise ValidationFailed("委托部门不存在", code="department_unknown", field="delegated_by")
    clean["delegated_by"] = int(delegated) if delegated else None
    return clean


def validate(kind: str, payload: dict[str, Any], department: Department) -> dict[str, Any]:
    """Check a change's payload against the list as it stands; return it normalised. Raises ValidationFailed."""
    payload = dict(payload)
    effective, _ = _dates(payload)
    if kind == ChangeKind.ITEM_ADD:
        payload["code"] = _new_code_free(payload.get("code", ""), "code")
        parent = payload.get("parent")
        if parent:
            parent_item = catalog_item(parent, "parent")
            if parent_item.parent_id is not None:
                raise ValidationFailed("上级事项必须是主项", code="parent_not_main_item", field="parent")
            payload["line"] = parent_item.line
        elif payload.get("line") not in DepartmentKind.values:
            raise ValidationFailed("主项必须指明监管部门（条线）", code="line_invalid", field="line")
        payload.update(_item_fields(payload, sub_item=bool(parent)))
    elif kind in (ChangeKind.ITEM_MODIFY, ChangeKind.ITEM_CANCEL, ChangeKind.ITEM_SUSPEND, ChangeKind.ITEM_RESUME):
        item = catalog_item(payload.get("code", ""))
        current = latest_version(item)
        if current and effective < current.effective_from:
            raise ValidationFailed(f"生效日期不能早于现行版本的生效日期 {current.effective_from}",
                                   code="effective_before_current", field="effective_from")
        if kind == ChangeKind.ITEM_MODIFY:
            merged = {**version_fields(current), **payload.get("fields", {})}
            payload["fields"] = _item_fields(merged, sub_item=item.is_sub_item, prefix="fields.")
        if kind == ChangeKind.ITEM_RESUME and (current is None or current.status != ItemStatus.SUSPENDED):
            raise ValidationFailed("只有停用的事项可以恢复", code="not_suspended", field="code")
        ending = kind in (ChangeKind.ITEM_CANCEL, ChangeKind.ITEM_SUSPEND)
        if ending and current and current.status != ItemStatus.IN_USE:
            raise ValidationFailed("事项已不在用", code="not_in_use", field="code")
    elif kind == ChangeKind.ITEM_SPLIT:
        item = catalog_item(payload.get("code", ""))
        if not item.is_sub_item:
            raise ValidationFailed("只能拆分子项", code="split_main_item", field="code")
        parts = payload.get("into") or []
        if len(parts) < 2:
            raise ValidationFailed("拆分须至少得到两个新子项", code="split_too_few", field="into")
        base = version_fields(latest_version(item))
        payload["into"] = [{"code": _new_code_free(part.get("code", ""), f"into[{i}].code"),
                            **_item_fields({**base, **part}, sub_item=True, prefix=f"into[{i}].")}
                           for i, part in enumerate(parts)]
        _unique_codes([p["code"] for p in payload["into"]], "into")
    elif kind == ChangeKind.ITEM_MERGE:
        merged_codes = payload.get("codes") or []
        if len(merged_codes) < 2:
            raise ValidationFailed("合并须至少两个子项", code="merge_too_few", field="codes")
        items = [catalog_item(code, f"codes[{i}]") for i, code in enumerate(merged_codes)]
        if len({i.parent_id for i in items}) != 1 or items[0].parent_id is None:
            raise ValidationFailed("只能合并同一主项下的子项", code="merge_across_main_items", field="codes")
        _unique_codes(merged_codes, "codes")
        target = payload.get("into") or {}
        payload["into"] = {"code": _new_code_free(target.get("code", ""), "into.code"),
                           **_item_fields(target, sub_item=True, prefix="into.")}
    elif kind == ChangeKind.CLAIM:
        payload.update(_claim(payload, department))
    elif kind in (ChangeKind.IMPL_MODIFY, ChangeKind.IMPL_CANCEL, ChangeKind.IMPL_SUSPEND):
        implementation = Implementation.objects.filter(code=payload.get("implementation", "")).first()
        if implementation is None:
            raise ValidationFailed("实施清单编码不存在", code="implementation_unknown", field="implementation")
        if implementation.body_id != department.pk and implementation.body.parent_id != department.pk:
            raise ValidationFailed("只能调整本部门（或所指导部门）的实施清单", code="implementation_other_body",
                                   field="implementation")
        current = implementation.versions.order_by("-version").first()
        if current and effective < current.effective_from:
            raise ValidationFailed(f"生效日期不能早于现行版本的生效日期 {current.effective_from}",
                                   code="effective_before_current", field="effective_from")
        if kind == ChangeKind.IMPL_MODIFY:
            payload["fields"] = _implementation_fields({**implementation_values(current), **payload.get("fields", {})})
    else:
        raise ValidationFailed(f"未知的变更类型“{kind}”", code="kind_invalid", field="kind")
    return payload


def _unique_codes(values: list[str], field: str) -> None:
    if len(set(values)) != len(values):
        raise ValidationFailed("编码重复", code="catalog_code_duplicate", field=field)


def _claim(payload: dict[str, Any], department: Department) -> dict[str, Any]:
    """A claim: the body's own 子项 (its line), at the body's own level, not claimed before."""
    item = catalog_item(payload.get("item", ""), "item")
    if not item.is_sub_item:
        raise ValidationFailed("只能认领子项", code="claim_main_item", field="item")
    body = Department.objects.select_related("region").filter(pk=payload.get("body") or department.pk).first()
    if body is None:
        raise ValidationFailed("实施主体不存在", code="department_unknown", field="body")
    if body.pk != department.pk:
        raise ValidationFailed("只能为本部门认领事项", code="claim_for_other_body", field="body")
    current = latest_version(item)
    township_claim = body.kind == DepartmentKind.TOWNSHIP and current and 5 in current.levels
    if item.line != body.kind and not township_claim:
        raise ValidationFailed(f"事项属于“{DepartmentKind(item.line).label}”条线，不能由{body.name}认领",
                               code="claim_other_line", field="item")
    level = int(payload.get("level") or _body_level(body))
    if level != _body_level(body):
        raise ValidationFailed(f"{body.name}的行使层级为 {_body_level(body)}，不能在第 {level} 级认领",
                               code="claim_level_not_held", field="level")
    if current is None or current.status != ItemStatus.IN_USE:
        raise ValidationFailed("事项不在用，不能认领", code="item_not_in_use", field="item")
    if current.levels and level not in current.levels:
        raise ValidationFailed(f"事项的监管层级为 {current.levels}，不含第 {level} 级", code="claim_level_not_in_item",
                               field="level")
    if Implementation.objects.filter(item=item, body=body, level=level).exists():
        raise ValidationFailed("本部门已认领该事项", code="claim_duplicate", field="item")
    return {"item": item.code, "body": body.pk, "level": level,
            "code": codes.implementation_code(body_uscc=body.uscc, level=level, item_code=item.code),
            "fields": _implementation_fields(payload.get("fields", payload))}


def version_fields(version: CatalogVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    return {"name": version.name, "action_type": version.action_type, "supervised_object": version.supervised_object,
            "supervision_method": version.supervision_method, "supervision_process": version.supervision_process,
            "supervision_result": version.supervision_result, "levels": version.levels,
            "basis": [{"law": r.law.key, "article": r.article, "clause": r.clause, "text": r.text}
                      for r in version.basis.select_related("law")]}


def implementation_values(version: ImplementationVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    values = {name: getattr(version, name) for name in IMPLEMENTATION_FIELDS
              if name not in ("delegated_by", "cooperating_bodies")}
    values["delegated_by"] = version.delegated_by_id
    values["cooperating_bodies"] = list(version.cooperating_bodies.values_list("pk", flat=True))
    return values
