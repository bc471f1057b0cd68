"""A published 双随机 task of the city 市场监管局 on its food-safety row, made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind
from jianguan.catalog import change_requests
from jianguan.catalog.models import ChangeKind, Implementation
from jianguan.spotchecks import drawing, plans, task_setup
from jianguan.spotchecks.models import Draw
from tests.catalog_fixtures import DRUG, FOOD, START, department_admin, publish
from tests.library_fixtures import SYSTEM

WINDOW = (dt.date(2025, 6, 2), dt.date(2025, 7, 31))
MOMENT = timezone.make_aware(dt.datetime(2025, 5, 28, 9, 0))
VALUE = "ab" * 32


@pytest.fixture
def city_scjg() -> Department:
    return Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")


@pytest.fixture
def food_task(small_catalog, persona, city_scjg):
    """A published task of the city 市场监管局 on its food-safety row, with three credentialed inspectors."""
    for n in range(2):
        user = accounts.user_create(actor=SYSTEM, username=f"spot_{n}", full_name=f"检查员{n}", department=city_scjg,
                                    password_hash="!", roles=["officer"])
        accounts.credential_add(actor=SYSTEM, user=user, number=f"42120099{n:05d}", issued_by="咸宁市人民政府",
                                valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2029, 12, 31),
                                domains=["市场监管"], qualifications=["食品"])
    admin = persona("scjg_admin")
    plan = plans.plan_create(actor=admin, year=2025, title="2025年度双随机抽查计划")
    plans.plan_file(actor=admin, plan_id=plan.pk)
    plans.plan_publish(actor=admin, plan_id=plan.pk)
    code = Implementation.objects.get(item__code=FOOD, body=city_scjg).code
    task = task_setup.task_create(actor=admin, plan_id=plan.pk, name="食品经营者双随机抽查", items=[code],
                                  window_start=WINDOW[0], window_end=WINDOW[1], strata={"ALL": {"count": 4}},
                                  max_objects_per_inspector=3)
    task_setup.task_publish(actor=admin, task_id=task.pk)
    return task


@pytest.fixture
def two_item_task(food_task, small_catalog, persona, city_scjg):
    """A published task of the city 市场监管局 on two rows: the food-safety row and its drug row (claimed here)."""
    admin = department_admin(DepartmentKind.SCJG, "421200")
    claim = change_requests.change_submit(actor=admin, kind=ChangeKind.CLAIM, payload={
        "item": DRUG, "effective_from": START, "fields": {
            "check_category": "现场检查", "check_method": "现场检查", "in_random_checks": True, "check_ratio": "5%",
            "check_frequency": "每年1次", "content_routine": "购进验收、储存养护、销售记录"}})
    publish(small_catalog, claim)
    items = [Implementation.objects.get(item__code=code, body=city_scjg).code for code in (FOOD, DRUG)]
    task = task_setup.task_create(actor=persona("scjg_admin"), plan_id=food_task.plan_id,
                                  name="食品药品经营者双随机抽查", items=items, window_start=WINDOW[0],
                                  window_end=WINDOW[1], strata={"ALL": {"count": 2}}, max_objects_per_inspector=3)
    task_setup.task_publish(actor=persona("scjg_admin"), task_id=task.pk)
    return task


def _witness(minutes: int = 1) -> dict:
    return {"source": "witness", "witness": "纪检监察组", "due": (MOMENT + dt.timedelta(minutes=minutes)).isoformat()}


def _drawn(task, persona) -> Draw:
    admin = persona("scjg_admin")
    draw = drawing.draw_commit(actor=admin, task_id=task.pk, beacon=_witness(), now=MOMENT)
    return drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE,
                               now=MOMENT + dt.timedelta(minutes=1))
