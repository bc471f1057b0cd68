"""Records of every library about one 咸安区 entity, made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.behaviour import services as behaviour
from jianguan.catalog import change_requests
from jianguan.catalog.models import ChangeKind, Implementation
from jianguan.complaints import services as complaints
from jianguan.core.actors import SystemActor
from jianguan.credit import services as credit
from jianguan.subjects.models import Licence, MarketEntity, RegistrationEvent
from tests.catalog_fixtures import FOOD, MAIN, START, food_fields, publish

PENALTY = "11000000000111"
COERCION = "11000000000112"
SYSTEM = SystemActor("test")


@pytest.fixture
def enforcement_items(small_catalog):
    """A 行政处罚 and a 行政强制 子项 under the same 主项."""
    data_admin = small_catalog["data_admin"]
    changes = [change_requests.change_submit(actor=data_admin, kind=ChangeKind.ITEM_ADD, payload={
        "code": code, "parent": MAIN, "effective_from": START, **food_fields(name=name, action_type=kind)})
        for code, name, kind in ((PENALTY, "对生产经营不符合食品安全标准的食品的处罚", "penalty"),
                                 (COERCION, "查封、扣押不符合食品安全标准的食品", "coercion"))]
    publish(small_catalog, *changes)
    return small_catalog


@pytest.fixture
def xianan_entity(db) -> MarketEntity:
    return MarketEntity.objects.filter(region__path__contains="/421202/").exclude(region_id="421202570").order_by(
        "uscc").first()


def inspect(entity: MarketEntity, number: str = "JC-2025-0001", day: dt.date = dt.date(2025, 6, 3)):
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    row = Implementation.objects.get(item__code=FOOD, body=city)
    return behaviour.inspection_record(
        actor=SYSTEM, department=city, implementation_code=row.code, number=number, name="食品生产日常检查",
        date=day, form="日常检查", category="1", result="发现问题已责令整改", inspectors=["张伟", "李强"],
        credential_numbers=["4212000000001", "4212000000002"], party={"entity_code": entity.uscc})


@pytest.fixture
def chain_world(enforcement_items, xianan_entity):
    """An inspection and a penalty by the city 市场监管局, a complaint assigned to 咸安区市场监管局, a credit record,
    a registration event and a licence — all about one 咸安区 entity."""
    entity = xianan_entity
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    inspection = inspect(entity)
    behaviour.penalty_record(
        actor=SYSTEM, department=city, catalog_code=PENALTY, inspection_number=inspection.number,
        number="CF-2025-0001", name="销售不符合食品安全标准的食品案", decided_on=dt.date(2025, 7, 10),
        decision_number="咸市监处罚〔2025〕1号", facts="销售过期食品",
        basis="《中华人民共和国食品安全法》第一百二十四条",
        procedure="02", penalty_kinds=["01", "02"], result="警告，罚款五千元", case_source="监督检查", fine="5000")
    complaints.complaint_receive(actor=SYSTEM, channel="portal", values={
        "kind": "complaint", "category": "food", "subject_uscc": entity.uscc, "content": "购买的食品已过保质期"},
        received_at=timezone.make_aware(dt.datetime(2025, 5, 20, 10, 0)))
    credit.credit_import_json(actor=SYSTEM, kind="abnormal", source="国家企业信用信息公示系统", records=[
        {"uscc": entity.uscc, "date": "2024-07-01", "title": "未按规定报送年度报告", "source_ref": "YC-001",
         "authority": "咸安区市场监督管理局"}])
    RegistrationEvent.objects.create(entity=entity, kind="established", date=entity.established_on,
                                     detail="设立登记", authority="咸安区市场监督管理局")
    Licence.objects.create(entity=entity, licence_type="食品经营许可证", number="JY14212020000001",
                           issued_by="咸安区市场监督管理局", valid_from=dt.date(2023, 3, 1),
                           valid_to=dt.date(2028, 2, 28))
    return entity
