"""Writes of the registry: monitored points with their factors, announced inspection windows, survey findings.

A point supports an implementation row its owner department claims and that is in force (照单监管, catalog's
`require_in_force`); a factor with a limit cites where the limit comes from (the standard, or the 排污许可证 —
排污许可管理条例 第十七条).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.catalog.contracts import require_in_force
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed
from jianguan.subjects.contracts import require_entity
from jianguan.subjects.models import MarketEntity

from .intake import password_digest
from .maps import contains
from .models import AnnouncedWindow, Factor, MonitoredPoint, PointKind, SurveyFinding

MIN_INTERVAL = 10


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed("限值应为数字", code="not_number", field=where) from None
    if not number.is_finite():
        raise ValidationFailed("限值应为数字", code="not_number", field=where)
    return number


def _factors(items: list[dict[str, Any]]) -> list[Factor]:
    factors, seen = [], set()
    for index, item in enumerate(items):
        where = f"factors[{index}]"
        code = str(item.get("code", "")).strip()
        if not code or len(code) > 32:
            raise ValidationFailed("因子编码必填且不超过 32 个字符", code="required", field=f"{where}.code")
        if code in seen:
            raise ValidationFailed(f"因子“{code}”重复", code="factor_duplicate", field=f"{where}.code")
        seen.add(code)
        lower, upper = _decimal(item.get("lower"), f"{where}.lower"), _decimal(item.get("upper"), f"{where}.upper")
        basis = str(item.get("basis", "")).strip()
        if (lower is not None or upper is not None) and not basis:
            raise ValidationFailed("设有限值的因子须写明限值依据（标准或许可证）", code="limit_basis_required",
                                   field=f"{where}.basis")
        if lower is not None and upper is not None and lower > upper:
            raise ValidationFailed("下限不得高于上限", code="limit_order", field=f"{where}.lower")
        factors.append(Factor(code=code, name=str(item.get("name", code))[:100], unit=str(item.get("unit", ""))[:20],
                              lower=lower, upper=upper, basis=basis[:300]))
    return factors


def _coordinate(value: Any, field: str, label: str, bound: int) -> Decimal | None:
    number = _decimal(value, field)
    if number is None:
        return None
    if not -bound <= number <= bound:
        raise ValidationFailed(f"{label}应在 -{bound} 至 {bound} 度之间", code="coordinate_out_of_range", field=field)
    return number.quantize(Decimal("0.000001"))


def _location(longitude: Any, latitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """WGS-84 degrees, both or neither."""
    lng = _coordinate(longitude, "longitude", "经度", 180)
    lat = _coordinate(latitude, "latitude", "纬度", 90)
    if (lng is None) != (lat is None):
        raise ValidationFailed("经度和纬度须同时填写", code="coordinate_incomplete",
                               field="latitude" if lat is None else "longitude")
    return lng, lat


@transaction.atomic
def point_register(*, actor: Actor, department: Department, code: str, name: str, kind: str, entity_code: str,
                   implementation_code: str, interval_seconds: int, factors: list[dict[str, Any]],
                   licence_number: str = "", password: str = "", longitude: Any = None, latitude: Any = None,
                   geometry: Any = None) -> MonitoredPoint:
    """Register a device or feed for an entity, supporting an implementation row the department claims.

    A person registers only for an entity of their jurisdiction (refused like an unknown one otherwise); a survey
    point (卫星与无人机巡查) covers an area, a GeoJSON Polygon or MultiPolygon; any point may say where it stands."""
    if kind not in PointKind.values:
        raise ValidationFailed(f"未知的监测点类型“{kind}”", code="kind_unknown", field="kind")
    if not code.strip() or len(code) > 64:
        raise ValidationFailed("监测点编码必填且不超过 64 个字符", code="required", field="code")
    if not name.strip():
        raise ValidationFailed("名称必填", code="required", field="name")
    if MonitoredPoint.objects.filter(code=code).exists():
        raise ValidationFailed(f"监测点编码“{code}”已登记", code="point_duplicate", field="code")
    if interval_seconds < MIN_INTERVAL:
        raise ValidationFailed(f"报送间隔不得少于 {MIN_INTERVAL} 秒", code="interval_too_short",
                               field="interval_seconds")
    require_in_force(body_id=department.pk, implementation_code=implementation_code, on=timezone.localdate(),
                     field="implementation_code")
    entity = require_entity(entity_code, "entity", reader=actor)
    rows = _factors(factors)
    longitude, latitude = _location(longitude, latitude)
    if kind == PointKind.SURVEY and geometry is None:
        raise ValidationFailed("卫星与无人机巡查点须上传巡查范围（GeoJSON 多边形）", code="required",
                               field="geometry")
    shape = check_polygon(geometry) if geometry is not None else None
    point = MonitoredPoint.objects.create(
        code=code.strip(), name=name, kind=kind, department=department, region=entity.region, entity=entity,
        licence_number=licence_number, implementation_code=implementation_code, interval_seconds=interval_seconds,
        password_hash=password_digest(password) if password else "", longitude=longitude, latitude=latitude,
        geometry=shape)
    for factor in rows:
        factor.point = point
    Factor.objects.bulk_create(rows)
    record(actor=actor, verb="remote.point_registered", target=point,
           data={"code": point.code, "kind": kind, "entity": entity.uscc, "factors": [f.code for f in rows]})
    return point


EDITABLE = ("name", "interval_seconds", "longitude", "latitude", "geometry", "active")


@transaction.atomic
def point_update(*, actor: Actor, point: MonitoredPoint, name: str, interval_seconds: int, longitude: Any = None,
                 latitude: Any = None, geometry: Any = None, active: bool = True) -> MonitoredPoint:
    """Change a point's name, interval, place or survey area, or deactivate it (its data are refused from then on);
    the point is locked, the audit event lists what changed. Who may is the caller's check (the point's own
    department's administrators and officers)."""
    locked: MonitoredPoint = MonitoredPoint.objects.select_for_update().get(pk=point.pk)
    if not name.strip():
        raise ValidationFailed("名称必填", code="required", field="name")
    if interval_seconds < MIN_INTERVAL:
        raise ValidationFailed(f"报送间隔不得少于 {MIN_INTERVAL} 秒", code="interval_too_short",
                               field="interval_seconds")
    lng, lat = _location(longitude, latitude)
    shape = check_polygon(geometry) if geometry is not None else locked.geometry
    if locked.kind == PointKind.SURVEY and shape is None:
        raise ValidationFailed("卫星与无人机巡查点须上传巡查范围（GeoJSON 多边形）", code="required",
                               field="geometry")
    new = {"name": name.strip()[:200], "interval_seconds": interval_seconds, "longitude": lng, "latitude": lat,
           "geometry": shape, "active": bool(active)}
    changed = {field: value for field, value in new.items() if getattr(locked, field) != value}
    for field, value in changed.items():
        setattr(locked, field, value)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        record(actor=actor, verb="remote.point_changed", target=locked,
               data={"code": locked.code, "changed": sorted(changed),
                     **{k: str(v) for k, v in changed.items() if k != "geometry"}})
    return locked


@transaction.atomic
def announced_record(*, actor: Actor, point: MonitoredPoint, starts_on: dt.date, ends_on: dt.date) -> AnnouncedWindow:
    """Record that an inspection of the point's entity was announced on `starts_on` for `ends_on`."""
    if ends_on < starts_on:
        raise ValidationFailed("检查日期不得早于通知日期", code="date_order", field="ends_on")
    window = AnnouncedWindow.objects.create(entity_id=point.entity_id, department_id=point.department_id,
                                            region_id=point.region_id, starts_on=starts_on, ends_on=ends_on)
    record(actor=actor, verb="remote.inspection_announced", target=window,
           data={"entity": point.entity_id, "starts_on": starts_on, "ends_on": ends_on})
    return window


def _ring_ok(ring: Any) -> bool:
    return (isinstance(ring, list) and len(ring) >= 4 and ring[0] == ring[-1]
            and all(isinstance(p, list) and len(p) >= 2 and all(isinstance(c, int | float) for c in p[:2])
                    for p in ring))


def check_polygon(geometry: Any) -> dict[str, Any]:
    """A GeoJSON Polygon or MultiPolygon (closed rings of at least four positions); anything else refused."""
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationFailed("范围应为 GeoJSON 多边形（Polygon 或 MultiPolygon）", code="geojson_not_polygon",
                               field="geometry")
    polygons = [geometry.get("coordinates")] if geometry["type"] == "Polygon" else geometry.get("coordinates")
    if not isinstance(polygons, list) or not polygons or not all(
            isinstance(rings, list) and rings and all(_ring_ok(r) for r in rings) for rings in polygons):
        raise ValidationFailed("多边形的每个环须闭合且至少有四个坐标点", code="geojson_not_polygon",
                               field="geometry")
    return geometry


def located_within(geometry: dict[str, Any], *, region_id: str, limit: int = 50) -> list[MarketEntity]:
    """The entities of the region (and the regions below it) with a located point inside the polygon: the object
    library keeps no coordinates, the points registered with a place are what locates an entity."""
    located = (MonitoredPoint.objects.filter(region__path__contains=f"/{region_id}/", longitude__isnull=False,
                                             latitude__isnull=False)
               .values_list("entity_id", "longitude", "latitude"))
    inside = sorted({entity for entity, lng, lat in located if contains(geometry, float(lng), float(lat))})[:limit]
    return list(MarketEntity.objects.filter(pk__in=inside).order_by("pk"))


@transaction.atomic
def finding_record(*, actor: Actor, department: Department, source: str, observed_on: dt.date, geometry: Any,
                   address: str = "", description: str = "") -> SurveyFinding:
    """Record a survey finding and link it to the entities of the department's region whose registered address
    contains the finding's address: the object library keeps no coordinates, so the match is by address."""
    shape = check_polygon(geometry)
    if observed_on > timezone.localdate():
        raise ValidationFailed("发现日期不得晚于今天", code="date_in_future", field="observed_on")
    finding = SurveyFinding.objects.create(department=department, region=department.region, source=source[:100],
                                           observed_on=observed_on, geometry=shape, address=address[:300],
                                           description=description[:500])
    by_address: list[MarketEntity] = []
    if address.strip():
        by_address = list(MarketEntity.objects.filter(region__path__contains=f"/{department.region_id}/",
                                                      registered_address__contains=address.strip())[:50])
    by_place = located_within(shape, region_id=department.region_id)
    matched = list({e.pk: e for e in [*by_address, *by_place]}.values())
    finding.entities.set(matched)
    notes = [f"按地址匹配 {len(by_address)} 个主体" if address.strip() else "未给出地址",
             f"按监测点坐标匹配 {len(by_place)} 个主体（主体库无坐标）"]
    finding.match_note = "；".join(notes)
    finding.save(update_fields=["match_note"])
    record(actor=actor, verb="remote.finding_recorded", target=finding,
           data={"source": source, "observed_on": observed_on, "entities": [e.uscc for e in matched]})
    return finding
