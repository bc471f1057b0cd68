"""Demo non-on-site supervision: a pollution-source monitor of the city's 生态环境局 whose 化学需氧量 exceeded the
permitted limit for the last hours (an open alarm, turned into a 非现场检查 that shows in the entity's chain), a
cold-chain sensor and a 明厨亮灶 camera of the 市场监管局 (a rodent seen: an open alarm); and the simulated devices
`jianguan demo` runs (`contracts.DEMO_FLEETS`, listed by the simulator itself), registered with the codes and
password they send with. Departments without a row the guard accepts today are left out."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from jianguan.accounts.models import Department, User
from jianguan.catalog import contracts as catalog
from jianguan.core.registry import SeedStep
from jianguan.core.seeding import SeedContext
from jianguan.subjects.models import MarketEntity

from . import alarms, disposal, intake, services
from .contracts import DEMO_FLEETS, DEMO_PASSWORD, devsim_list_command
from .models import AlarmState, MonitoredPoint, PointKind, SurveyFinding
from .wire import Delivery, ReadingIn

DEVICE_PASSWORD = DEMO_PASSWORD
COD = {"code": "w01018", "name": "化学需氧量", "unit": "mg/L", "upper": "100",
       "basis": "排污许可证载明的排放浓度限值（GB 8978-1996 一级标准）"}
NH3 = {"code": "w21003", "name": "氨氮", "unit": "mg/L", "upper": "15", "basis": "排污许可证载明的排放浓度限值"}
TEMP = {"code": "temp", "name": "冷藏温度", "unit": "℃", "lower": "2", "upper": "8",
        "basis": "药品经营质量管理规范：冷藏药品 2～8 ℃"}
CAMERA = [{"code": code, "name": name} for code, name in (("no_hat", "未戴工作帽"), ("no_mask", "未戴口罩"),
                                                            ("rodent", "鼠迹"))]


PH = {"code": "w01001", "name": "pH 值", "unit": "", "lower": "6", "upper": "9",
      "basis": "排污许可证载明的排放浓度限值（GB 8978-1996 一级标准）"}
FLOW = {"code": "w00000", "name": "废水流量", "unit": "L/s"}
HUMIDITY = {"code": "humidity", "name": "相对湿度", "unit": "%"}
# the simulator's kinds, and the factors registered for them (with the limits the rules compare against)
SIMULATED: dict[str, tuple[str, str, str, list[dict[str, str]]]] = {
    "pollution": (PointKind.POLLUTION, "sthj", "废水总排口在线监测（模拟）", [COD, NH3, PH, FLOW]),
    "coldchain": (PointKind.COLD_CHAIN, "scjg", "冷库温湿度监测（模拟）", [TEMP, HUMIDITY]),
    "kitchen": (PointKind.KITCHEN_VIDEO, "scjg", "后厨视频分析（模拟）", CAMERA),
}


def _row(department: Department) -> str | None:
    """A row of the department the guard accepts today (a point supports a claimed row: 照单监管)."""
    today = timezone.localdate()
    codes = catalog.implementation_list(as_of=today, body=department.pk).values_list("implementation__code",
                                                                                     flat=True)[:20]
    for code in codes:
        try:
            catalog.require_in_force(body_id=department.pk, implementation_code=code, on=today)
        except catalog.OutsideTheList:
            continue
        return code
    return None


def _send(point: MonitoredPoint, readings: list[ReadingIn]) -> None:
    intake.accept(Delivery(channel="http", device=point.code, readings=tuple(readings), raw=b"seed",
                           password=DEVICE_PASSWORD))


def _hours(code: str, values: list[float], unit: str, period: str = "hour") -> list[ReadingIn]:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return [ReadingIn(code=code, at=now - dt.timedelta(hours=len(values) - 1 - i), value=Decimal(str(v)),
                      period=period, unit=unit) for i, v in enumerate(values)]  # type: ignore[arg-type]


def _pollution(ctx: SeedContext, sthj: Department, entity: MarketEntity) -> int:
    row = _row(sthj)
    if row is None:
        return 0
    point = services.point_register(actor=ctx.actor, department=sthj, code="MN42120000000001", name="废水总排口",
                                    kind="pollution", entity_code=entity.uscc, implementation_code=row,
                                    interval_seconds=3600, factors=[COD, NH3], password=DEVICE_PASSWORD,
                                    licence_number="91421200MA000001XY001V")
    rng = ctx.rng("remote")
    values = [round(rng.uniform(40, 80), 1) for _ in range(45)] + [132.5, 141.0, 138.2]
    _send(point, _hours("w01018", values, "mg/L") + _hours("w21003", [round(rng.uniform(3, 9), 2)
                                                                     for _ in range(48)], "mg/L"))
    officer = User.objects.filter(username="sthj_officer", department=sthj).first()
    alarm = AlarmState.objects.filter(point=point, rule="cod_over_limit", level__gt=0).first()
    if officer is not None and alarm is not None:
        disposal.alarm_transition(actor=officer, alarm_id=alarm.pk, action="remote_check", data={
            "result": "发现问题", "colleague": f"sthj_{sthj.region_id}_01",
            "note": "调阅在线监测数据，化学需氧量连续三小时超过许可排放浓度"})
    return 1


def _market(ctx: SeedContext, scjg: Department, entities: list[MarketEntity]) -> int:
    row = _row(scjg)
    if row is None or len(entities) < 2:
        return 0
    fridge = services.point_register(actor=ctx.actor, department=scjg, code="COLD-421200-0001", name="药品冷库",
                                     kind="cold_chain", entity_code=entities[0].uscc, implementation_code=row,
                                     interval_seconds=600, factors=[TEMP], password=DEVICE_PASSWORD)
    rng = ctx.rng("remote-cold")
    _send(fridge, _hours("temp", [round(rng.uniform(3, 7), 1) for _ in range(24)], "℃", period="min"))
    camera = services.point_register(actor=ctx.actor, department=scjg, code="CAM-421200-0001", name="后厨摄像头",
                                     kind="kitchen_video", entity_code=entities[1].uscc, implementation_code=row,
                                     interval_seconds=3600, factors=CAMERA, password=DEVICE_PASSWORD)
    _send(camera, _hours("rodent", [1], "", period="event") + _hours("no_hat", [1, 0, 1], "", period="event"))
    return 2


def simulated_devices() -> list[tuple[Any, dict[str, Any]]]:
    """Every demo fleet's devices as the simulator lists them (code, kind, password, factors), with their fleet."""
    devices = []
    for fleet in DEMO_FLEETS:
        listed = subprocess.run(devsim_list_command(fleet), capture_output=True, check=True, timeout=60)  # noqa: S603
        devices += [(fleet, device) for device in json.loads(listed.stdout)]
    return devices


def _simulated(ctx: SeedContext, city: dict[str, Department], entities: list[MarketEntity]) -> int:
    """Register the simulator's devices on entities of the city, each with its department's claimed row."""
    rows = {kind: _row(department) for kind, department in city.items()}
    made = 0
    for index, (fleet, device) in enumerate(simulated_devices()):
        kind, department_kind, name, factors = SIMULATED[device["kind"]]
        row = rows.get(department_kind)
        if row is None:
            continue
        entity = entities[index % len(entities)]
        services.point_register(actor=ctx.actor, department=city[department_kind], code=device["code"],
                                name=f"{name} {device['code'][-4:]}", kind=kind, entity_code=entity.uscc,
                                implementation_code=row, interval_seconds=fleet.point_interval, factors=factors,
                                password=device["password"])
        made += 1
    return made


def seed_remote(ctx: SeedContext) -> None:
    if ctx.scale == "test" or MonitoredPoint.objects.exists():
        return
    city = {d.kind: d for d in Department.objects.filter(region_id=settings.JIANGUAN_LOCALITY, kind__in=("scjg",
                                                                                                        "sthj"))}
    entities = list(MarketEntity.objects.filter(
        status="active", region__path__contains=f"/{settings.JIANGUAN_LOCALITY}/").order_by("pk")[:15])
    if len(entities) < 3:
        return
    made = _pollution(ctx, city["sthj"], entities[0]) if "sthj" in city else 0
    made += _market(ctx, city["scjg"], entities[1:3]) if "scjg" in city else 0
    made += _simulated(ctx, city, entities[3:] or entities)
    for point in MonitoredPoint.objects.all():
        alarms.evaluate_point(point_id=point.pk)
    ctx.say(f"  非现场监管：监测点 {made} 个，未消除告警 {AlarmState.objects.filter(level__gt=0).count()} 条")


STEPS = [SeedStep("非现场监管", 96, seed_remote)]


# Places of the demo's points around 咸宁市区 (WGS-84), and the surveys of 自然资源 and 住建 over them (ADR 0065).
PLACES = {"MN42120000000001": ("114.322300", "29.841500"), "COLD-421200-0001": ("114.301200", "29.853100"),
          "CAM-421200-0001": ("114.335800", "29.829400")}


def _square(longitude: float, latitude: float, half: float) -> dict[str, object]:
    west, east, south, north = longitude - half, longitude + half, latitude - half, latitude + half
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north],
                                                [west, south]]]}


def _around_the_centre(index: int) -> tuple[str, str]:
    """A place for a demo point without one of its own: on a grid, a few hundred metres apart, around the centre."""
    return f"{114.28 + (index % 6) * 0.012:.6f}", f"{29.80 + (index // 6) * 0.01:.6f}"


def seed_survey(ctx: SeedContext) -> None:
    """The demo points placed on the map; a satellite finding of the 自然资源和规划局 over the pollution source and
    a drone finding of the 住房和城乡建设局 over the kitchen, each matched to the entity located inside it."""
    if ctx.scale == "test" or SurveyFinding.objects.exists():
        return
    unplaced = MonitoredPoint.objects.filter(longitude__isnull=True).order_by("code")
    for index, point in enumerate(unplaced):
        longitude, latitude = PLACES.get(point.code) or _around_the_centre(index)
        services.point_update(actor=ctx.actor, point=point, name=point.name, interval_seconds=point.interval_seconds,
                              longitude=longitude, latitude=latitude, active=point.active)
    city = {d.kind: d for d in Department.objects.filter(region_id=settings.JIANGUAN_LOCALITY, kind__in=("zrzy",
                                                                                                        "zj"))}
    today = timezone.localdate()
    made = 0
    for kind, source, (longitude, latitude), text in (
            ("zrzy", "卫星遥感变化图斑", PLACES["MN42120000000001"], "厂区东侧新增硬化地面，疑似占用耕地"),
            ("zj", "无人机航拍", PLACES["CAM-421200-0001"], "屋顶新增彩钢棚，疑似违法搭建")):
        if kind in city:
            services.finding_record(actor=ctx.actor, department=city[kind], source=source,
                                    observed_on=today - dt.timedelta(days=3 + made),
                                    geometry=_square(float(longitude) + 0.002, float(latitude), 0.004),
                                    description=text)
            made += 1
    ctx.say(f"  巡查发现：{made} 处")


STEPS += [SeedStep("巡查发现", 97, seed_survey)]
