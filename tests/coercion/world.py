"""The world of the coercion tests: the city 市场监管局 with credentialed officers and the head, and helpers that
request, act in an emergency and execute."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.coercion import executions, measures
from jianguan.coercion.models import Execution, Measure
from jianguan.enforcement import contracts as cases
from tests.library_fixtures import COERCION, SYSTEM, inspect

GOODS = [{"name": "过期饼干", "spec": "200g/袋", "quantity": "46", "unit": "袋", "condition": "外包装完好"},
         {"name": "散装白酒", "spec": "无标签", "quantity": "3", "unit": "桶", "condition": "已加贴封条"}]

SEPT_1 = timezone.make_aware(dt.datetime(2026, 9, 1, 10, 0))

@pytest.fixture
def city() -> Department:
    return Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")


def _officer(city: Department, username: str, serial: int, valid_to: dt.date = dt.date(2029, 12, 31),
             valid_from: dt.date = dt.date(2020, 1, 1)) -> User:
    user = accounts.user_create(actor=SYSTEM, username=username, full_name=f"执法员{serial}", department=city,
                                password_hash="!", roles=["officer"])
    accounts.credential_add(actor=SYSTEM, user=user, number=f"4212007{serial:06d}", issued_by="咸宁市人民政府",
                            valid_from=valid_from, valid_to=valid_to, domains=["市场监管"],
                            qualifications=["食品"])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world(enforcement_items, xianan_entity, city, persona):
    """Two credentialed officers of the city 市场监管局, one whose credential ran out in 2025, the head, and the
    inspection that found the facts."""
    actor = _officer(city, "qz_a", 1)
    _officer(city, "qz_b", 2)
    _officer(city, "qz_old", 3, valid_to=dt.date(2025, 12, 31))
    return {"actor": actor, "head": persona("scjg_head"), "inspection": inspect(xianan_entity),
            "entity": xianan_entity, "city": city}


def _values(world, **changes) -> dict:
    return {"kind": "seize", "inspection_number": world["inspection"].number, "catalog_code": COERCION,
            "facts": "经营超过保质期的食品", "basis": "《中华人民共和国食品安全法》第一百一十条第四项", "items": GOODS,
            "officers": ["qz_a", "qz_b"], "days": 30, "place": "涉案财物保管室", **changes}


def _request(world, **changes) -> Measure:
    return measures.measure_request(actor=world["actor"], **_values(world, **changes))


def _emergency(world, at: dt.datetime = SEPT_1, **changes) -> Measure:
    return measures.measure_act_emergency(actor=world["actor"], acted_at=at, **_values(world, **changes))


def _in_force_since_sept_1(world, **changes) -> Measure:
    """A measure taken on the spot on 1 September 2026 and approved (late) by the head: in force from that day."""
    measure = _emergency(world, **changes)
    return measures.measure_approve(actor=world["head"], measure_id=measure.pk)


def _case(world, entity=None, ref: str = "JC-CASE-1"):
    return cases.case_from_finding(actor=world["actor"], department=world["city"],
                                   party={"uscc": (entity or world["entity"]).uscc}, summary="销售过期食品",
                                   source="inspection", source_ref=ref, found_on=dt.date(2026, 8, 30))


def _execution(world, **changes) -> Execution:
    values = {"inspection_number": world["inspection"].number, "catalog_code": COERCION, "power": "own",
              "mode": "late_fee", "decision_reference": "咸市监处罚〔2026〕3号", "decision_served_on": "2026-02-20",
              "obligation": "缴纳罚款人民币五千元", "principal": "5000", "payment_due": "2026-03-07", **changes}
    return executions.execution_create(actor=world["actor"], **values)

