"""The remote tests' world: a pollution monitor and a cold-chain sensor of one 咸安区 entity, registered by the
city 市场监管局 under the food-inspection row it claims (small_catalog), and helpers to send readings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.catalog.models import Implementation
from jianguan.core.actors import SystemActor
from jianguan.remote import intake, services
from jianguan.remote.wire import Delivery, ReadingIn
from tests.catalog_fixtures import FOOD

SYSTEM = SystemActor("test")
COD, NH3 = "w01018", "w21003"
NOW = timezone.now().replace(minute=0, second=0, microsecond=0)  # the last full hour: nothing is late yet


def city() -> Department:
    return Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")


def register(entity, *, code="MN0001", kind="pollution", password="pw123456",  # noqa: S107
             factors=None, interval=3600):
    row = Implementation.objects.get(item__code=FOOD, body=city())
    factors = factors or [
        {"code": COD, "name": "化学需氧量", "unit": "mg/L", "upper": "100", "basis": "排污许可证 第3条"},
        {"code": NH3, "name": "氨氮", "unit": "mg/L", "upper": "15", "basis": "排污许可证 第3条"},
        {"code": "no_hat", "name": "未戴帽"}, {"code": "no_mask", "name": "未戴口罩"},
        {"code": "rodent", "name": "鼠迹"}, {"code": "temp", "name": "温度", "unit": "℃", "lower": "2",
                                                 "upper": "8", "basis": "药品经营质量管理规范"}]
    return services.point_register(actor=SYSTEM, department=city(), code=code, name="总排口", kind=kind,
                                   entity_code=entity.uscc, implementation_code=row.code, interval_seconds=interval,
                                   factors=factors, password=password)


def hourly(values, *, start=None, code=COD, flag="N", period="hour", unit="mg/L"):
    """Readings of `code`, one an hour from `start`, as sent."""
    start = start or NOW - dt.timedelta(hours=len(values) - 1)
    return tuple(ReadingIn(code=code, at=start + dt.timedelta(hours=i),
                           value=None if v is None else Decimal(str(v)), period=period, flag=flag, unit=unit)
                 for i, v in enumerate(values))


def delivery(point_code, readings, *, password="pw123456", channel="hj212"):  # noqa: S107
    return Delivery(channel=channel, device=point_code, readings=tuple(readings), raw=b"##0001test",
                    password=password)


def send(point_code, readings, **kwargs):
    return intake.accept(delivery(point_code, readings, **kwargs))


@pytest.fixture
def point(small_catalog, xianan_entity):
    return register(xianan_entity)


def put(point_code, readings, **kwargs):
    """Store readings as the sink does, without evaluating the rules (the tests evaluate at chosen times)."""
    from django.db import transaction

    sent = delivery(point_code, readings, **kwargs)
    with transaction.atomic():
        return intake.store(sent, intake.check(sent))[1]


def open_alarm(entity):
    """A pollution point of `entity` registered by the city 市场监管局 with an open 化学需氧量 alarm."""
    from jianguan.remote import alarms

    found = register(entity, code=f"MN-{entity.pk}")
    put(found.code, hourly([150, 150, 150]))
    alarms.evaluate_point(point_id=found.pk, as_of=NOW)
    from jianguan.remote.models import AlarmState

    return AlarmState.objects.get(point=found, rule="cod_over_limit")
