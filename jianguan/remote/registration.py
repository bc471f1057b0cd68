"""The point registration page's form read into `services.point_register` (ADR 0065): the linked object named by
统一社会信用代码, licence number or site identifier (each resolved to its entity within the registrar's
jurisdiction), the rows of limits, and a survey area uploaded as a GeoJSON file. Every refusal names its field;
the service writes the point, its factors and the audit event in one transaction, or nothing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from jianguan.accounts.models import Department
from jianguan.catalog import contracts as catalog
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed
from jianguan.core.scoping import HasScope
from jianguan.subjects.models import Licence, MarketEntity, ObjectKind, SupervisedObject

from . import services
from .models import MonitoredPoint, SurveyFinding

FACTOR_ROWS = 4
FACTOR_FIELDS = ("code", "name", "unit", "lower", "upper", "basis")
OBJECT_KINDS = (("uscc", "统一社会信用代码"), ("licence", "许可证编号"), ("site", "场所标识"))
GEOJSON_LIMIT = 1024 * 1024
LABELS = {"code": "监测点编码（设备号 / MN）", "name": "名称", "kind": "类型", "object_ref": "关联对象",
          "entity": "关联对象", "implementation_code": "支撑的检查实施清单", "interval_seconds": "报送间隔（秒）",
          "password": "访问密码", "longitude": "经度", "latitude": "纬度", "geometry": "巡查范围（GeoJSON）",
          "active": "启用", "source": "来源", "observed_on": "发现日期", "address": "地址", "description": "说明"}
FACTOR_LABELS = {"code": "因子编码", "name": "因子名称", "unit": "单位", "lower": "下限", "upper": "上限",
                 "basis": "限值依据"}


@dataclass(frozen=True)
class Row:
    """An implementation row the department claims, as an option of the form."""

    code: str
    label: str


def claimed_rows(department: Department) -> list[Row]:
    """The department's implementation rows in force today: a point supports one of them (照单监管)."""
    versions = list(catalog.implementation_list(as_of=timezone.localdate(), body=department.pk)[:200])
    names = catalog.item_names(v.implementation.item.code for v in versions)
    return [Row(v.implementation.code, f"{v.implementation.code} {names.get(v.implementation.item.code, '')}")
            for v in versions]


def label_of(field: str) -> str:
    """The form's label of a service's field name (`factors[0].basis` → 第 1 行因子的限值依据)."""
    if field.startswith("factor-"):
        _, index, name = field.split("-", 2)
        return f"第 {int(index) + 1} 行因子的{FACTOR_LABELS.get(name, name)}"
    return LABELS.get(field, field)


def _entity(kind: str, reference: str, actor: Actor) -> tuple[str, str]:
    """The 统一社会信用代码 of the linked object, and the licence number when the object is a licence."""
    if not reference:
        raise ValidationFailed("请填写关联对象（统一社会信用代码、许可证编号或场所标识）", code="required",
                               field="object_ref")
    if kind == "uscc":
        return reference, ""
    visible = MarketEntity.objects.visible_to(actor) if isinstance(actor, HasScope) else MarketEntity.objects.all()
    if kind == "licence":
        owners = list(Licence.objects.filter(number=reference, entity__in=visible).values_list("entity__uscc",
                                                                                              flat=True)[:2])
        what = f"许可证编号“{reference}”"
    elif kind == "site":
        owners = list(SupervisedObject.objects.filter(kind=ObjectKind.PLACE, identifier=reference, owner__in=visible)
                      .values_list("owner__uscc", flat=True)[:2])
        what = f"场所标识“{reference}”"
    else:
        raise ValidationFailed(f"未知的关联对象类型“{kind}”", code="choice_invalid", field="object_kind")
    if not owners:
        raise ValidationFailed(f"{what}不在监管对象库中或不在本部门管辖范围内", code="object_unknown",
                               field="object_ref")
    if len(set(owners)) > 1:
        raise ValidationFailed(f"{what}对应多个市场主体，请改用统一社会信用代码", code="object_ambiguous",
                               field="object_ref")
    return owners[0], reference if kind == "licence" else ""


def _interval(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ValidationFailed("报送间隔应为整数秒", code="not_integer", field="interval_seconds") from None


def _geometry(upload: UploadedFile[Any] | None) -> Any:
    if upload is None:
        return None
    if upload.size is not None and upload.size > GEOJSON_LIMIT:
        raise ValidationFailed("巡查范围文件不得超过 1 MB", code="file_too_large", field="geometry")
    try:
        return json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed("巡查范围文件不是有效的 GeoJSON（UTF-8 编码的 JSON）", code="geojson_invalid",
                               field="geometry") from None


def _factors(data: MultiValueDict[str, Any]) -> tuple[list[dict[str, str]], list[int]]:
    """The filled rows of limits, and for each the row of the form it came from."""
    rows, origin = [], []
    for index in range(FACTOR_ROWS):
        row = {name: str(data.get(f"factor-{index}-{name}", "")).strip() for name in FACTOR_FIELDS}
        if any(row.values()):
            rows.append({k: v for k, v in row.items() if v != "" or k in ("code", "basis")})
            origin.append(index)
    return rows, origin


def point_from_form(*, actor: Actor, department: Department, data: MultiValueDict[str, Any],
                    files: MultiValueDict[str, UploadedFile[Any]]) -> MonitoredPoint:
    """Register the point the form describes for `department` (the registrar's own)."""
    uscc, licence = _entity(str(data.get("object_kind", "uscc")), str(data.get("object_ref", "")).strip(), actor)
    factors, origin = _factors(data)
    try:
        return services.point_register(
            actor=actor, department=department, code=str(data.get("code", "")).strip(),
            name=str(data.get("name", "")).strip()[:200], kind=str(data.get("kind", "")), entity_code=uscc,
            implementation_code=str(data.get("implementation_code", "")),
            interval_seconds=_interval(str(data.get("interval_seconds", ""))), factors=factors,
            licence_number=licence, password=str(data.get("password", "")),
            longitude=data.get("longitude") or None, latitude=data.get("latitude") or None,
            geometry=_geometry(files.get("geometry")))
    except ValidationFailed as error:
        field = error.field or ""
        if field.startswith("factors["):
            index, name = field[len("factors["):].split("].", 1)
            error.field = f"factor-{origin[int(index)]}-{name}"
        raise


def point_change_from_form(*, actor: Actor, point: MonitoredPoint, data: MultiValueDict[str, Any],
                           files: MultiValueDict[str, UploadedFile[Any]]) -> MonitoredPoint:
    """Change the point as the edit form says: name, interval, place, a new survey area, active or not."""
    return services.point_update(
        actor=actor, point=point, name=str(data.get("name", "")), active=data.get("active") == "on",
        interval_seconds=_interval(str(data.get("interval_seconds", ""))),
        longitude=data.get("longitude") or None, latitude=data.get("latitude") or None,
        geometry=_geometry(files.get("geometry")))


def _date(value: str, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(f"{label}应为日期（如 2026-11-02）", code="not_date", field=field) from None


def finding_from_form(*, actor: Actor, department: Department, data: MultiValueDict[str, Any],
                      files: MultiValueDict[str, UploadedFile[Any]]) -> SurveyFinding:
    """Record the survey finding the form describes for `department` (the recorder's own)."""
    source = str(data.get("source", "")).strip()
    if not source:
        raise ValidationFailed("请填写来源（如卫星遥感、无人机航拍）", code="required", field="source")
    geometry = _geometry(files.get("geometry"))
    if geometry is None:
        raise ValidationFailed("请上传巡查发现的范围（GeoJSON 多边形文件）", code="required", field="geometry")
    return services.finding_record(actor=actor, department=department, source=source,
                                   observed_on=_date(str(data.get("observed_on", "")), "observed_on", "发现日期"),
                                   geometry=geometry, address=str(data.get("address", "")).strip(),
                                   description=str(data.get("description", "")).strip())
