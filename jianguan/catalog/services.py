"""Every write to the one list. Each takes the acting user and records it in the audit chain.

Changes follow the workflow in `workflow.py`: a department administrator drafts and submits, the level above
(or the data administrator) reviews, the data administrator publishes approved changes in a `Publication`,
which creates the new versions. Payloads are validated when submitted and again when published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.audit.contracts import record
from jianguan.core.canonical import canonical_json
from jianguan.core.errors import AccessDenied, NotFound, ValidationFailed
from jianguan.core.numbering import take
from jianguan.core.roles import Role
from jianguan.core.tabular import read_table
from jianguan.core.validation import parse_date

from . import codes, matching, search, workflow
from .frequency import parse_frequency
from .models import (
    ActionType,
    CatalogItem,
    CatalogVersion,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    ChangeStep,
    Guidance,
    Implementation,
    ImplementationVersion,
    ItemStatus,
    Law,
    LegalReference,
    MappingCandidate,
    MappingDecision,
    MappingImport,
    MappingRow,
    PowerItem,
    Publication,
    SearchTerm,
    SpotCheckItem,
)

ITEM_KINDS = {ChangeKind.ITEM_ADD, ChangeKind.ITEM_MODIFY, ChangeKind.ITEM_SPLIT, ChangeKind.ITEM_MERGE,
              ChangeKind.ITEM_CANCEL, ChangeKind.ITEM_SUSPEND, ChangeKind.ITEM_RESUME}

ITEM_FIELDS = ("name", "action_type", "supervised_object", "supervision_method", "supervision_process",
               "supervision_result", "levels", "basis")
IMPLEMENTATION_FIELDS = ("delegated_by", "check_category", "check_method", "in_random_checks", "check_ratio",
                         "check_frequency", "content_routine", "content_special", "sampling", "sampling_content",
                         "cooperative", "cooperating_bodies")
CHECK_CATEGORIES = ("现场检查", "非现场检查")


# --- validation of payloads --------------------------------------------------------------------------------


def _dates(payload: dict[str, Any]) -> tuple[dt.date, dt.date | None]:
    effective = parse_date(payload.get("effective_from"), "effective_from")
    cancel = parse_date(payload["cancel_on"], "cancel_on") if payload.get("cancel_on") else None
    if cancel is not None and cancel <= effective:
        raise ValidationFailed("计划生效日期必须早于计划取消日期", code="date_order", field="cancel_on")
    payload["effective_from"] = effective.isoformat()
    payload["cancel_on"] = cancel.isoformat() if cancel else None
    return effective, cancel


def _item(code: str, field: str = "code") -> CatalogItem:
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
            parent_item = _item(parent, "parent")
            if parent_item.parent_id is not None:
                raise ValidationFailed("上级事项必须是主项", code="parent_not_main_item", field="parent")
            payload["line"] = parent_item.line
        elif payload.get("line") not in DepartmentKind.values:
            raise ValidationFailed("主项必须指明监管部门（条线）", code="line_invalid", field="line")
        payload.update(_item_fields(payload, sub_item=bool(parent)))
    elif kind in (ChangeKind.ITEM_MODIFY, ChangeKind.ITEM_CANCEL, ChangeKind.ITEM_SUSPEND, ChangeKind.ITEM_RESUME):
        item = _item(payload.get("code", ""))
        current = latest_version(item)
        if current and effective < current.effective_from:
            raise ValidationFailed(f"生效日期不能早于现行版本的生效日期 {current.effective_from}",
                                   code="effective_before_current", field="effective_from")
        if kind == ChangeKind.ITEM_MODIFY:
            merged = {**_version_fields(current), **payload.get("fields", {})}
            payload["fields"] = _item_fields(merged, sub_item=item.is_sub_item, prefix="fields.")
        if kind == ChangeKind.ITEM_RESUME and (current is None or current.status != ItemStatus.SUSPENDED):
            raise ValidationFailed("只有停用的事项可以恢复", code="not_suspended", field="code")
        ending = kind in (ChangeKind.ITEM_CANCEL, ChangeKind.ITEM_SUSPEND)
        if ending and current and current.status != ItemStatus.IN_USE:
            raise ValidationFailed("事项已不在用", code="not_in_use", field="code")
    elif kind == ChangeKind.ITEM_SPLIT:
        item = _item(payload.get("code", ""))
        if not item.is_sub_item:
            raise ValidationFailed("只能拆分子项", code="split_main_item", field="code")
        parts = payload.get("into") or []
        if len(parts) < 2:
            raise ValidationFailed("拆分须至少得到两个新子项", code="split_too_few", field="into")
        base = _version_fields(latest_version(item))
        payload["into"] = [{"code": _new_code_free(part.get("code", ""), f"into[{i}].code"),
                            **_item_fields({**base, **part}, sub_item=True, prefix=f"into[{i}].")}
                           for i, part in enumerate(parts)]
        _unique_codes([p["code"] for p in payload["into"]], "into")
    elif kind == ChangeKind.ITEM_MERGE:
        merged_codes = payload.get("codes") or []
        if len(merged_codes) < 2:
            raise ValidationFailed("合并须至少两个子项", code="merge_too_few", field="codes")
        items = [_item(code, f"codes[{i}]") for i, code in enumerate(merged_codes)]
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
            payload["fields"] = _implementation_fields({**_implementation_values(current), **payload.get("fields", {})})
    else:
        raise ValidationFailed(f"未知的变更类型“{kind}”", code="kind_invalid", field="kind")
    return payload


def _unique_codes(values: list[str], field: str) -> None:
    if len(set(values)) != len(values):
        raise ValidationFailed("编码重复", code="catalog_code_duplicate", field=field)


def _claim(payload: dict[str, Any], department: Department) -> dict[str, Any]:
    """A claim: the body's own 子项 (its line), at the body's own level, not claimed before."""
    item = _item(payload.get("item", ""), "item")
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


def _version_fields(version: CatalogVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    return {"name": version.name, "action_type": version.action_type, "supervised_object": version.supervised_object,
            "supervision_method": version.supervision_method, "supervision_process": version.supervision_process,
            "supervision_result": version.supervision_result, "levels": version.levels,
            "basis": [{"law": r.law.key, "article": r.article, "clause": r.clause, "text": r.text}
                      for r in version.basis.select_related("law")]}


def _implementation_values(version: ImplementationVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    values = {name: getattr(version, name) for name in IMPLEMENTATION_FIELDS
              if name not in ("delegated_by", "cooperating_bodies")}
    values["delegated_by"] = version.delegated_by_id
    values["cooperating_bodies"] = list(version.cooperating_bodies.values_list("pk", flat=True))
    return values


# --- the workflow --------------------------------------------------------------------------------------------


def _require_submitter(actor: User, kind: str) -> None:
    if kind in ITEM_KINDS and actor.has_role(Role.DATA_ADMIN):
        return
    if not actor.has_role(Role.DEPARTMENT_ADMIN):
        raise AccessDenied("只有部门管理员可以提出清单变更", code="not_department_admin")


def _facts(change: ChangeRequest, actor: User) -> workflow.Facts:
    return workflow.Facts(state=change.status, actor=actor, kind=change.kind, submitted_by_id=change.submitted_by_id,
                          department_parent_id=change.department.parent_id)


def can_review(actor: User, change: ChangeRequest) -> bool:
    """Whether `actor` may review `change` (`workflow.can_review`)."""
    return workflow.can_review(actor, _facts(change, actor))


def _refuse(refusal: Exception | None) -> None:
    if refusal is not None:
        raise refusal


def _step(change: ChangeRequest, action: str, actor: User, note: str = "") -> None:
    """Take the edge for `action` (`workflow.CHANGES.check`), record the step and its audit event."""
    edge = workflow.CHANGES.check(action, _facts(change, actor))
    old, change.status = change.status, edge.target
    ChangeStep.objects.create(change=change, old=old, new=edge.target, actor=actor, note=note)
    record(actor=actor, verb=f"catalog.change_{action}", target=change,
           data={"kind": change.kind, "old": old, "new": edge.target, "note": note})


@transaction.atomic
def change_submit(*, actor: User, kind: str, payload: dict[str, Any], reason: str = "") -> ChangeRequest:
    """Propose a change of the list and send it for review (validated now, and again when published)."""
    _require_submitter(actor, kind)
    clean = validate(kind, payload, actor.department)
    change = ChangeRequest.objects.create(kind=kind, payload=clean, reason=reason, department=actor.department,
                                          region_id=actor.department.region_id, submitted_by=actor)
    record(actor=actor, verb="catalog.change_drafted", target=change, data={"kind": kind, "payload": clean})
    change.submitted_at = timezone.now()
    _step(change, "submit", actor)
    change.save(update_fields=["status", "submitted_at", "updated_at"])
    return change


def _locked(change_id: int) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().filter(pk=change_id).first()
    if change is None:
        raise NotFound()
    return change


@transaction.atomic
def change_review(*, actor: User, change_id: int, approve: bool, note: str = "") -> ChangeRequest:
    """Approve or send back a submitted change (the level above or the data administrator).

    The payload was validated when submitted and is validated again when published, against the list as it
    stands then; approval judges its merits.
    """
    change = _locked(change_id)
    _refuse(workflow.refuse_reviewer(None, _facts(change, actor)))
    if not approve and not note.strip():
        raise ValidationFailed("退回时须填写审核意见", code="required", field="note")
    _step(change, "approve" if approve else "reject", actor, note)
    change.reviewed_by, change.reviewed_at, change.review_note = actor, timezone.now(), note
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    return change


@transaction.atomic
def change_withdraw(*, actor: User, change_id: int) -> ChangeRequest:
    change = _locked(change_id)
    _refuse(workflow.submitter_refusal("withdraw", _facts(change, actor)))
    _step(change, "withdraw", actor)
    change.save(update_fields=["status", "updated_at"])
    return change


@transaction.atomic
def change_resubmit(*, actor: User, change_id: int, payload: dict[str, Any], reason: str = "") -> ChangeRequest:
    change = _locked(change_id)
    _refuse(workflow.submitter_refusal("submit", _facts(change, actor)))
    change.payload = validate(change.kind, payload, change.department)
    change.reason = reason or change.reason
    _step(change, "submit", actor)
    change.submitted_at = timezone.now()
    change.save(update_fields=["status", "payload", "reason", "submitted_at", "updated_at"])
    return change


# --- publication ---------------------------------------------------------------------------------------------


def _version_id(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y%m%d%H%M%S")


def _supersede(versions, effective: dt.date) -> tuple[int, Any]:
    """Close the open version of an identity on `effective`; return the next version number and the closed one."""
    open_version = versions.filter(superseded_on__isnull=True).order_by("-version").first()
    if open_version is not None:
        open_version.superseded_on = effective
        open_version.save(update_fields=["superseded_on"])
    return (versions.aggregate(n=Max("version"))["n"] or 0) + 1, open_version


def _new_catalog_version(item: CatalogItem, fields: dict[str, Any], *, effective: dt.date, cancel: dt.date | None,
                         status: str, change: ChangeRequest | None, moment: dt.datetime) -> CatalogVersion:
    number, closed = _supersede(item.versions.all(), effective)
    if closed is not None:
        SearchTerm.objects.filter(version=closed).update(superseded_on=effective)
    version = CatalogVersion.objects.create(
        item=item, code=item.code, is_sub_item=item.parent_id is not None,
        version=number, version_id=_version_id(moment), status=status, effective_from=effective,
        cancel_on=cancel, published_at=moment, change=change,
        **{k: fields.get(k, "" if k != "levels" else []) for k in ITEM_FIELDS if k != "basis"})
    laws = {law.key: law for law in Law.objects.filter(key__in=[b["law"] for b in fields.get("basis", [])])}
    LegalReference.objects.bulk_create([
        LegalReference(version=version, law=laws[b["law"]], article=b["article"], clause=b["clause"], text=b["text"],
                       position=i) for i, b in enumerate(fields.get("basis", []))])
    SearchTerm.objects.bulk_create([
        SearchTerm(term=term, version=version, is_sub_item=version.is_sub_item, status=version.status,
                   effective_from=version.effective_from, cancel_on=version.cancel_on)
        for term in search.version_terms(version.name, [laws[b["law"]].title for b in fields.get("basis", [])],
                                         version.supervised_object)])
    return version


def _new_implementation_version(implementation: Implementation, fields: dict[str, Any], *, effective: dt.date,
                                cancel: dt.date | None, status: str, change: ChangeRequest | None,
                                moment: dt.datetime) -> ImplementationVersion:
    number, _ = _supersede(implementation.versions.all(), effective)
    values = {k: v for k, v in fields.items() if k not in ("cooperating_bodies", "delegated_by")}
    period, times = parse_frequency(values.get("check_frequency", "")) or ("", None)
    values.update(frequency_period=period, frequency_min_times=times)
    version = ImplementationVersion.objects.create(
        implementation=implementation, version=number, version_id=_version_id(moment), status=status,
        effective_from=effective, cancel_on=cancel, published_at=moment, change=change,
        delegated_by_id=fields.get("delegated_by"), **values)
    version.cooperating_bodies.set(fields.get("cooperating_bodies", []))
    return version


def apply_change(change: ChangeRequest, *, moment: dt.datetime) -> None:
    """Turn one approved change into versions (inside the publication's transaction)."""
    payload = change.payload
    effective = dt.date.fromisoformat(payload["effective_from"])
    cancel = dt.date.fromisoformat(payload["cancel_on"]) if payload.get("cancel_on") else None
    kind = change.kind
    common = {"change": change, "moment": moment}
    if kind == ChangeKind.ITEM_ADD:
        parent = CatalogItem.objects.get(code=payload["parent"]) if payload.get("parent") else None
        item = CatalogItem.objects.create(code=payload["code"], parent=parent, line=payload["line"])
        _new_catalog_version(item, payload, effective=effective, cancel=cancel, status=ItemStatus.IN_USE, **common)
    elif kind in (ChangeKind.ITEM_MODIFY, ChangeKind.ITEM_CANCEL, ChangeKind.ITEM_SUSPEND, ChangeKind.ITEM_RESUME):
        item = CatalogItem.objects.get(code=payload["code"])
        current = _version_fields(latest_version(item))
        status = {ChangeKind.ITEM_CANCEL: ItemStatus.CANCELLED, ChangeKind.ITEM_SUSPEND: ItemStatus.SUSPENDED}.get(
            kind, ItemStatus.IN_USE)
        _new_catalog_version(item, payload.get("fields", current), effective=effective, cancel=cancel, status=status,
                             **common)
    elif kind == ChangeKind.ITEM_SPLIT:
        old = CatalogItem.objects.get(code=payload["code"])
        for part in payload["into"]:
            item = CatalogItem.objects.create(code=part["code"], parent=old.parent, line=old.line)
            _new_catalog_version(item, part, effective=effective, cancel=cancel, status=ItemStatus.IN_USE, **common)
        _new_catalog_version(old, _version_fields(latest_version(old)), effective=effective, cancel=None,
                             status=ItemStatus.CANCELLED, **common)
    elif kind == ChangeKind.ITEM_MERGE:
        olds = list(CatalogItem.objects.filter(code__in=payload["codes"]))
        target = payload["into"]
        item = CatalogItem.objects.create(code=target["code"], parent=olds[0].parent, line=olds[0].line)
        _new_catalog_version(item, target, effective=effective, cancel=cancel, status=ItemStatus.IN_USE, **common)
        for old in olds:
            _new_catalog_version(old, _version_fields(latest_version(old)), effective=effective, cancel=None,
                                 status=ItemStatus.CANCELLED, **common)
    elif kind == ChangeKind.CLAIM:
        implementation = Implementation.objects.create(
            code=payload["code"], item=CatalogItem.objects.get(code=payload["item"]), body_id=payload["body"],
            level=payload["level"])
        _new_implementation_version(implementation, payload["fields"], effective=effective, cancel=cancel,
                                    status=ItemStatus.IN_USE, **common)
    else:
        implementation = Implementation.objects.get(code=payload["implementation"])
        fields = payload.get("fields") or _implementation_values(implementation.versions.order_by("-version").first())
        status = {ChangeKind.IMPL_CANCEL: ItemStatus.CANCELLED, ChangeKind.IMPL_SUSPEND: ItemStatus.SUSPENDED}.get(
            kind, ItemStatus.IN_USE)
        _new_implementation_version(implementation, fields, effective=effective, cancel=cancel, status=status,
                                    **common)


def list_digest(day: dt.date) -> tuple[int, int, str]:
    """How many 子项 and implementation rows are in force on `day`, and a SHA-256 over their codes and versions."""
    items = list(CatalogVersion.objects.in_force(day).filter(is_sub_item=True)
                 .order_by("code").values_list("code", "version"))
    rows = list(ImplementationVersion.objects.in_force(day).order_by("implementation__code")
                .values_list("implementation__code", "version"))
    digest = hashlib.sha256(canonical_json({"items": items, "implementations": rows})).hexdigest()
    return len(items), len(rows), digest


@transaction.atomic
def publication_publish(*, actor: User, title: str, changelog: str = "", moment: dt.datetime | None = None,
                        change_ids: list[int] | None = None) -> Publication:
    """Publish the approved changes (all, or those named) as a new version of the city's list.

    Each change is validated again against the list as it stands, in approval order; one failure refuses the
    whole publication, naming the change. The changelog lists every change.
    """
    _refuse(workflow.refuse_publisher(None, workflow.Facts(state=ChangeStatus.APPROVED, actor=actor)))
    moment = moment or timezone.now()
    pending = (ChangeRequest.objects.select_for_update().filter(status=ChangeStatus.APPROVED)
               .order_by("reviewed_at", "pk"))
    if change_ids is not None:
        pending = pending.filter(pk__in=change_ids)
    changes = list(pending)
    if not changes:
        raise ValidationFailed("没有已审核待发布的变更", code="nothing_to_publish")
    year = timezone.localtime(moment).year
    sequence = take("catalog.publication", str(year),
                    floor=lambda: Publication.objects.filter(number__startswith=f"{year}-").count())
    lines = []
    for change in changes:
        try:
            change.payload = validate(change.kind, change.payload, change.department)
        except ValidationFailed as exc:
            raise ValidationFailed(f"变更 #{change.pk}（{change.get_kind_display()}）已不能发布：{exc.message}",
                                   code=exc.code, field=exc.field, extra={"change": change.pk}) from None
        apply_change(change, moment=moment)
        lines.append(f"#{change.pk} {change.get_kind_display()}：{_describe(change)}（{change.department.name}）")
    publication = Publication.objects.create(
        number=f"{year}-{sequence:03d}", title=title.strip() or f"{year} 年第 {sequence} 版", published_by=actor,
        published_at=moment, effective_on=timezone.localtime(moment).date(),
        changelog=(changelog.strip() + "\n" if changelog.strip() else "") + "\n".join(lines))
    for change in changes:
        change.publication = publication
        _step(change, "publish", actor)
        change.save(update_fields=["status", "publication", "payload", "updated_at"])
    publication.item_count, publication.implementation_count, publication.digest = list_digest(
        publication.effective_on)
    publication.save(update_fields=["item_count", "implementation_count", "digest"])
    record(actor=actor, verb="catalog.list_published", target=publication,
           data={"number": publication.number, "changes": [c.pk for c in changes], "digest": publication.digest})
    return publication


def _describe(change: ChangeRequest) -> str:
    payload = change.payload
    if change.kind == ChangeKind.CLAIM:
        return f"{payload['item']} → {payload['code']}"
    if change.kind == ChangeKind.ITEM_MERGE:
        return f"{'、'.join(payload['codes'])} → {payload['into']['code']}"
    if change.kind == ChangeKind.ITEM_SPLIT:
        return f"{payload['code']} → {'、'.join(p['code'] for p in payload['into'])}"
    return payload.get("code") or payload.get("implementation", "")


# --- guidance --------------------------------------------------------------------------------------------------


@transaction.atomic
def guidance_send(*, actor: User, to_department: Department, item: CatalogItem, note: str) -> Guidance:
    """A guiding department's administrator writes to a department it guides about a 子项."""
    if not actor.has_role(Role.DEPARTMENT_ADMIN) or to_department.parent_id != actor.department_id:
        raise AccessDenied("只能指导本部门所指导的下级部门", code="not_guiding_department")
    if not note.strip():
        raise ValidationFailed("指导意见不能为空", code="required", field="note")
    guidance = Guidance.objects.create(from_department=actor.department, to_department=to_department, item=item,
                                       note=note.strip(), author=actor)
    record(actor=actor, verb="catalog.guidance_sent", target=guidance, department_id=to_department.pk,
           region_code=to_department.region_id, data={"item": item.code, "to": to_department.pk, "note": note})
    return guidance


# --- mapping a department's own list ---------------------------------------------------------------------------

MAPPING_REQUIRED = ("事项名称", "设定依据")
MAPPING_OPTIONAL = ("序号", "行政类型", "备注")


def _require_list_keeper(actor: User) -> None:
    if not actor.has_role(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN):
        raise AccessDenied("只有部门管理员或数据管理员可以导入事项清单", code="not_department_admin")


@transaction.atomic
def mapping_import(*, actor: User, file_name: str, data: bytes) -> MappingImport:
    """Import a department's self-built item list (xlsx or CSV) whole, keep the file, and rank catalog 子项 for
    every row by legal basis and words. A file with any problem is refused whole (ImportRefused)."""
    _require_list_keeper(actor)
    table = read_table(data, file_name, required=MAPPING_REQUIRED, optional=MAPPING_OPTIONAL)
    mapping = MappingImport.objects.create(department=actor.department, region_id=actor.department.region_id,
                                           file_name=file_name[:200], raw=data, uploaded_by=actor)
    versions = list(CatalogVersion.objects.in_force(timezone.localdate()).filter(is_sub_item=True)
                    .select_related("item").prefetch_related("basis__law"))
    matcher = matching.Matcher(versions)
    candidates = []
    for number, values in table.rows:
        row = MappingRow.objects.create(mapping=mapping, row_number=number, name=values["事项名称"][:300],
                                        action_type=values.get("行政类型", "")[:10], basis=values["设定依据"])
        for rank, candidate in enumerate(matcher.match(row.name, row.basis), start=1):
            candidates.append(MappingCandidate(row=row, item=candidate.version.item, rank=rank,
                                               score=candidate.score, evidence=candidate.evidence))
    MappingCandidate.objects.bulk_create(candidates)
    record(actor=actor, verb="catalog.mapping_imported", target=mapping,
           data={"file": file_name, "rows": len(table.rows), "sha256": hashlib.sha256(data).hexdigest()})
    return mapping


@transaction.atomic
def mapping_decide(*, actor: User, row_id: int, item_code: str | None) -> MappingRow:
    """Confirm a row's catalog 子项 (one of its candidates or any in force), or record that none applies."""
    _require_list_keeper(actor)
    row = MappingRow.objects.select_for_update().select_related("mapping").filter(
        pk=row_id, mapping__in=MappingImport.objects.visible_to(actor)).first()
    if row is None:
        raise NotFound()
    if item_code:
        item = _item(item_code, "item")
        row.decision, row.confirmed_item = MappingDecision.CONFIRMED, item
    else:
        row.decision, row.confirmed_item = MappingDecision.REJECTED, None
    row.decided_by = actor
    row.save(update_fields=["decision", "confirmed_item", "decided_by"])
    record(actor=actor, verb="catalog.mapping_decided", target=row.mapping,
           data={"row": row.row_number, "decision": row.decision, "item": item_code})
    return row


# --- fusion links ----------------------------------------------------------------------------------------------


@transaction.atomic
def fusion_link(*, actor: User, row: SpotCheckItem | PowerItem, item_codes: list[str]) -> SpotCheckItem | PowerItem:
    """Link a 随机抽查事项 or 权力事项 row to the 子项 it rests on (replacing its links); data administrator only."""
    if not actor.has_role(Role.DATA_ADMIN):
        raise AccessDenied("只有数据管理员可以维护清单融合关系", code="not_data_admin")
    items = [_item(code, f"items[{i}]") for i, code in enumerate(item_codes)]
    if any(not item.is_sub_item for item in items):
        raise ValidationFailed("只能关联子项", code="link_main_item", field="items")
    row.items.set(items)
    record(actor=actor, verb="catalog.fusion_linked", target=row, data={"items": [i.code for i in items]})
    return row
