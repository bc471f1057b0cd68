"""A received record as it goes through an intake's steps (`intake.py`): who sends it (`Sender`, whose scope the
record must fall in), its envelope (operation, version, fields by id) and its 记录唯一标识 (`Item`), its check by
the quality engine, its owning department and region, and each problem found as an `issue` dict. `LIBRARY` names
the behaviour-library table of each standard that has one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from jianguan.accounts.models import ApiClient, Department, Region, User
from jianguan.behaviour.models import Coercion, Inspection, OtherAction, Penalty

from .models import Op
from .quality import engine
from .refs import LibraryRefs
from .standards import values as v

LIBRARY: dict[str, type[models.Model]] = {"inspection": Inspection, "penalty": Penalty, "coercion": Coercion,
                                          "other_action": OtherAction}
OP_KEYS = ("op", "cd_operation", "操作类型")
VERSION_KEYS = ("version", "版本", "版本号")
# 双公示 records may leave 记录唯一标识 empty: they are then identified by their de-duplication key, with this prefix.
DERIVED_KEYS = {"disclosure_penalty": "SGS-CF", "disclosure_licence": "SGS-XK"}
MAX_VERSION = 2**31 - 1  # the version column's range on every database


# --- who sends ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sender:
    """The sending party: its department (whose repair queue gets its refused records), its scope (the departments
    and regions it may report for) and its system code (part of the idempotency key)."""

    actor: Any
    department: Department
    source_system: str
    client: ApiClient | None = None

    @classmethod
    def of(cls, actor: User | ApiClient, *, source_system: str = "") -> Sender:
        if isinstance(actor, ApiClient):
            return cls(actor, actor.department, source_system or f"client:{actor.pk}", actor)
        department = actor.department
        return cls(actor, department, source_system or f"portal:{department.uscc}")

    def covers(self, department_id: int, region_id: str) -> bool:
        scope = self.actor.scope
        return scope.covers_department(department_id) and scope.covers_region(region_id)


def issue(field_id: str, code: str, message: str, dimension: str = "conformity", rule: str = "") -> dict[str, str]:
    return {"field": field_id, "code": code, "message": message, "rule": rule or f"exchange.{code}",
            "dimension": dimension}


# --- one record: envelope, identity, check -----------------------------------------------------------------------

@dataclass
class Item:
    """One record of the call as it goes through the steps."""

    index: int
    op: str = Op.INSERT
    version: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    department_id: int | None = None
    region_id: str | None = None
    duplicate: bool = False
    pushed: dict[str, Any] | None = None  # the record as it is pushed (set when it is stored)

    record_id: str = ""

    def identify(self, std: Any) -> Item:
        """The record's 记录唯一标识: the standard's key (`record_id`, or 任务编号 for a joint task); a 双公示 record
        that leaves it empty is identified by its de-duplication key (决定书文号 or 许可编号, and the party)."""
        value = self.data.get(std.key)
        self.record_id = value.strip() if isinstance(value, str) else ("" if value is None else str(value))
        if not self.record_id and std.name in DERIVED_KEYS and std.dedup:
            texts = {f: v.as_text(self.data.get(f)) for part in std.dedup[0].parts for f in part}
            key = std.dedup[0].key({f: t.strip() for f, t in texts.items() if t})
            if key is not None:
                digest = hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:40]
                self.record_id = f"{DERIVED_KEYS[std.name]}-{digest}"
        return self


_ENVELOPE_KEYS = frozenset(OP_KEYS + VERSION_KEYS)
_field_ids: dict[str, frozenset[str]] = {}


def split_envelope(std: Any, index: int, raw: Any) -> Item:
    """Split a record into its operation, its version and its fields (keyed by field id)."""
    item = Item(index)
    if not isinstance(raw, dict):
        item.errors.append(issue("", "record_not_object", f"第 {index + 1} 条记录应为 JSON 对象"))
        return item
    ids = _field_ids.get(std.name)
    if ids is None:
        ids = _field_ids[std.name] = frozenset(f.id for f in std.fields)
    if raw.keys() <= ids:  # the common case: ascii field ids only, no operation or version
        item.data = raw
        return item
    fields = {k: value for k, value in raw.items() if k not in _ENVELOPE_KEYS}
    op = next((raw[k] for k in OP_KEYS if k in raw), Op.INSERT)
    version = next((raw[k] for k in VERSION_KEYS if k in raw), None)
    item.data = fields if fields.keys() <= ids else std.normalize(fields)
    if not isinstance(op, str) or op.strip().lower() not in Op.values:
        item.errors.append(issue("op", "op_invalid", "操作类型应为 i（新增）、u（更新）或 d（删除）"))
    else:
        item.op = op.strip().lower()
    if version not in (None, ""):
        text = v.as_text(version)
        if text is None or not text.isdigit() or len(text) > 10 or not 1 <= int(text) <= MAX_VERSION:
            item.errors.append(issue("version", "version_invalid", f"版本号应为 1 到 {MAX_VERSION} 之间的整数"))
        else:
            item.version = int(text)
    return item

def check_items(std: Any, items: list[Item]) -> None:
    """Run the quality engine over the records to insert or update (a withdrawal needs only its id)."""
    content = [item for item in items if not item.errors and item.op != Op.DELETE]
    if content:
        verdicts = engine.check(std, [item.data for item in content], refs=_refs())
        for verdict in verdicts:
            if not verdict.ok:
                content[verdict.index].errors += [issue_dict(e) for e in verdict.errors]
    for item in items:
        if item.op == Op.DELETE and not item.errors and not item.record_id:
            item.errors.append(issue(std.key, "required", "删除操作须提供“记录唯一标识”", "completeness"))


def issue_dict(found: Any) -> dict[str, str]:
    if hasattr(found, "as_dict"):
        return found.as_dict()
    return dict(found)


def _refs() -> LibraryRefs:
    return LibraryRefs()


# --- resolving departments and regions ---------------------------------------------------------------------------

def active_departments() -> dict[str, tuple[int, str]]:
    return {uscc: (pk, region) for uscc, pk, region in Department.objects.filter(is_active=True).values_list(
        "uscc", "pk", "region_id")}


def resolve_owners(sender: Sender, std: Any, items: list[Item]) -> None:
    """Each record's owning department (实施机构编码, else the sender's) and region (行政区划代码); a record for a
    department or region outside the sender's scope is refused."""
    departments = active_departments() if any(i.data.get("department_code") for i in items) else {}
    codes = {str(i.data.get("region_code")) for i in items if i.data.get("region_code")}
    regions = set(Region.objects.filter(code__in=codes).values_list("code", flat=True)) if codes else set()
    for item in items:
        code = item.data.get("department_code")
        if code:
            found = departments.get(str(code).strip().upper())
            if found is None:
                if not item.errors:
                    item.errors.append(issue("department_code", "department_unknown",
                                             f"实施机构编码“{v.shown(code)}”不是本平台登记的部门", "relevance"))
            elif not sender.covers(*found):
                item.errors.append(issue("department_code", "department_out_of_scope",
                                         "无权报送该实施机构的数据", "relevance"))
            else:
                item.department_id = found[0]
        department_region = (departments.get(str(code).strip().upper(), (0, None))[1] if code else None) \
            or sender.department.region_id
        region = str(item.data.get("region_code") or "")
        if region and region in regions:
            if not sender.actor.scope.covers_region(region):
                item.errors.append(issue("region_code", "region_out_of_scope", f"行政区划“{region}”不在报送方辖区内",
                                         "relevance"))
            item.region_id = region
        elif region and not item.errors and item.op != Op.DELETE and std.name in LIBRARY:
            item.errors.append(issue("region_code", "region_unknown", f"行政区划“{v.shown(region)}”不在本平台辖区",
                                     "relevance"))
        else:
            item.region_id = department_region
        if item.department_id is None:
            item.department_id = sender.department.pk if not code else None
