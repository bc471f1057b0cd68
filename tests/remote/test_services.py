"""Registering points (the owner's claimed row, limits with their basis) and survey findings (polygons only)."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.catalog.contracts import OutsideTheList
from jianguan.core.errors import ValidationFailed
from jianguan.remote import services
from jianguan.remote.models import Factor, MonitoredPoint, SurveyFinding
from tests.remote.world import SYSTEM, city, register

pytestmark = pytest.mark.django_db
SQUARE = {"type": "Polygon", "coordinates": [[[114.3, 29.8], [114.4, 29.8], [114.4, 29.9], [114.3, 29.8]]]}


def test_a_point_supports_a_row_its_department_claims(small_catalog, xianan_entity, persona):
    point = register(xianan_entity)
    assert point.password_hash and point.password_hash != "pw123456"
    assert Factor.objects.get(point=point, code="w01018").basis == "排污许可证 第3条"
    with pytest.raises(OutsideTheList) as refused:
        services.point_register(actor=SYSTEM, department=persona("sthj_officer").department, code="MN2", name="x",
                                kind="pollution", entity_code=xianan_entity.uscc,
                                implementation_code=point.implementation_code, interval_seconds=60, factors=[])
    assert refused.value.code == "implementation_other_body"


@pytest.mark.parametrize(("factors", "field", "code"), [
    ([{"code": "w01018", "upper": "100"}], "factors[0].basis", "limit_basis_required"),
    ([{"code": "w01018", "upper": "abc", "basis": "许可证"}], "factors[0].upper", "not_number"),
    ([{"code": "w01018", "lower": "9", "upper": "1", "basis": "许可证"}], "factors[0].lower", "limit_order"),
    ([{"code": "a"}, {"code": "a"}], "factors[1].code", "factor_duplicate"),
])
def test_a_bad_factor_is_refused_and_nothing_is_stored(small_catalog, xianan_entity, factors, field, code):
    with pytest.raises(ValidationFailed) as refused:
        register(xianan_entity, factors=factors)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not MonitoredPoint.objects.exists() and not Factor.objects.exists()


def test_a_second_point_with_the_same_code_or_an_unknown_kind_is_refused(small_catalog, xianan_entity):
    register(xianan_entity)
    with pytest.raises(ValidationFailed) as twice:
        register(xianan_entity)
    assert twice.value.code == "point_duplicate"
    with pytest.raises(ValidationFailed) as kind:
        register(xianan_entity, code="X2", kind="weather")
    assert kind.value.code == "kind_unknown"


@pytest.mark.parametrize("shape", [{"type": "Point", "coordinates": [114.3, 29.8]},
                                   {"type": "LineString", "coordinates": [[114.3, 29.8], [114.4, 29.9]]},
                                   {"type": "Polygon", "coordinates": [[[114.3, 29.8], [114.4, 29.8]]]},
                                   {"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], [3, 3]]]},
                                   "not json", None])
def test_a_finding_that_is_not_a_polygon_is_refused(db, shape):
    with pytest.raises(ValidationFailed) as refused:
        services.finding_record(actor=SYSTEM, department=city(), source="卫星", observed_on=dt.date(2026, 11, 1),
                                geometry=shape)
    assert (refused.value.code, refused.value.field) == ("geojson_not_polygon", "geometry")
    assert not SurveyFinding.objects.exists()


def test_a_finding_is_matched_to_entities_by_address(db, xianan_entity):
    address = xianan_entity.registered_address
    finding = services.finding_record(actor=SYSTEM, department=city(), source="无人机巡查",
                                      observed_on=dt.date(2026, 11, 1), geometry={"type": "Feature",
                                                                                 "geometry": SQUARE},
                                      address=address)
    assert xianan_entity in finding.entities.all()
    assert "按地址匹配" in finding.match_note and "无坐标" in finding.match_note
