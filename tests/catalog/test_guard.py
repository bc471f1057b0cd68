"""No supervision outside the list: the guard other apps call before storing a supervision record."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.catalog import change_requests
from jianguan.catalog.contracts import OutsideTheList, require_in_force
from jianguan.catalog.models import ChangeKind, Implementation
from tests.catalog_fixtures import FOOD, START, department_admin, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_row(small_catalog):
    return Implementation.objects.get(item__code=FOOD, body__region_id="421200")


def test_in_force(city_row):
    card = require_in_force(body_id=city_row.body_id, implementation_code=city_row.code, on=dt.date(2025, 6, 1))
    assert (card.item_code, card.action_type, card.in_random_checks, card.check_ratio) == (FOOD, "check", True, "5%")


def test_not_yet_in_force(city_row):
    with pytest.raises(OutsideTheList) as caught:
        require_in_force(body_id=city_row.body_id, implementation_code=city_row.code, on=START - dt.timedelta(days=1))
    assert caught.value.code == "implementation_not_yet_in_force" and caught.value.field == "implementation"


def test_cancelled(small_catalog, city_row):
    admin = department_admin(DepartmentKind.SCJG, "421200")
    cancel = change_requests.change_submit(actor=admin, kind=ChangeKind.IMPL_CANCEL, payload={
        "implementation": city_row.code, "effective_from": "2025-09-01"})
    publish(small_catalog, cancel)
    assert require_in_force(body_id=city_row.body_id, implementation_code=city_row.code, on=dt.date(2025, 8, 31))
    with pytest.raises(OutsideTheList) as caught:
        require_in_force(body_id=city_row.body_id, implementation_code=city_row.code, on=dt.date(2025, 9, 1))
    assert caught.value.code == "implementation_cancelled"


def test_suspended(small_catalog, city_row):
    admin = department_admin(DepartmentKind.SCJG, "421200")
    publish(small_catalog, change_requests.change_submit(actor=admin, kind=ChangeKind.IMPL_SUSPEND, payload={
        "implementation": city_row.code, "effective_from": "2025-10-01"}))
    with pytest.raises(OutsideTheList) as caught:
        require_in_force(body_id=city_row.body_id, implementation_code=city_row.code, on=dt.date(2025, 10, 2))
    assert caught.value.code == "implementation_suspended"


def test_another_bodys_row(city_row):
    other = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421202")
    with pytest.raises(OutsideTheList) as caught:
        require_in_force(body_id=other.pk, implementation_code=city_row.code, on=dt.date(2025, 6, 1))
    assert caught.value.code == "implementation_other_body"


def test_unknown_row(city_row):
    with pytest.raises(OutsideTheList) as caught:
        require_in_force(body_id=city_row.body_id, implementation_code="X" * 35, on=dt.date(2025, 6, 1))
    assert caught.value.code == "implementation_unknown"


def test_catalog_item_cancelled_under_a_live_row(small_catalog, city_row):
    publish(small_catalog, change_requests.change_submit(actor=small_catalog["data_admin"], kind=ChangeKind.ITEM_CANCEL,
                                                         payload={"code": FOOD, "effective_from": "2025-11-01"}))
    with pytest.raises(OutsideTheList) as caught:
        require_in_force(body_id=city_row.body_id, implementation_code=city_row.code, on=dt.date(2025, 11, 1))
    assert caught.value.code == "catalog_item_not_in_force"
