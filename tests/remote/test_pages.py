"""The point registration page (the department's claimed rows, the linked object by code, licence or site, limits,
a survey area uploaded as GeoJSON; refusals naming the field, nothing half-written, audited) and the survey
findings map (polygons linked to their pages, entities located by their points, scoped by department and
jurisdiction); the map's drawing and point-in-polygon test."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.audit.models import AuditEvent
from jianguan.catalog.models import Implementation
from jianguan.remote import services
from jianguan.remote.maps import Marker, Shape, contains, svg_map
from jianguan.remote.models import Factor, MonitoredPoint, SurveyFinding
from jianguan.subjects.models import Licence, ObjectKind, SupervisedObject
from tests.catalog_fixtures import FOOD
from tests.remote.world import SYSTEM, city

pytestmark = pytest.mark.django_db
SQUARE = {"type": "Polygon", "coordinates": [[[114.30, 29.80], [114.40, 29.80], [114.40, 29.90], [114.30, 29.90],
                                              [114.30, 29.80]]]}
HOLED = {"type": "Polygon", "coordinates": [SQUARE["coordinates"][0],
                                            [[114.34, 29.84], [114.36, 29.84], [114.36, 29.86], [114.34, 29.84]]]}
URL = "/remote/points/new/"


# The map's drawing ---------------------------------------------------------------------------------------------

def test_a_position_is_inside_the_outer_ring_and_outside_its_holes():
    assert contains(SQUARE, 114.35, 29.85) and not contains(SQUARE, 114.45, 29.85)
    assert not contains(HOLED, 114.355, 29.845) and contains(HOLED, 114.31, 29.81)
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"],
                                                     [[[115, 30], [115.1, 30], [115.1, 30.1], [115, 30]]]]}
    assert contains(multi, 115.08, 30.01) and not contains(multi, 114.9, 30.0)


def test_the_map_is_scaled_to_the_shapes_links_them_and_escapes_every_label():
    drawn = str(svg_map([Shape("<发现>", SQUARE, "/remote/findings/1/")],
                        [Marker("某&公司", 114.35, 29.85, "/subjects/X/")], title="地图"))
    assert drawn.startswith("<svg") and 'href="/remote/findings/1/"' in drawn and 'href="/subjects/X/"' in drawn
    assert "&lt;发现&gt;" in drawn and "某&amp;公司" in drawn and "<发现>" not in drawn
    path = drawn.split(' d="', 1)[1].split('"', 1)[0]
    corners = [tuple(map(float, p.split())) for p in path.replace("M ", "").replace(" Z", "").split(" L ")]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    assert (min(ys), max(ys)) == (24, 456)  # the square fills the map's height, north up
    assert (max(xs) - min(xs)) / (max(ys) - min(ys)) == pytest.approx(math.cos(math.radians(29.85)), abs=0.01)
    assert 'cx="360.0"' in drawn  # the marker in the middle of the square
    assert svg_map([], [], title="空") == ""


# The registration page -----------------------------------------------------------------------------------------

def _row() -> str:
    return Implementation.objects.get(item__code=FOOD, body=city()).code


def _form(entity, **over):
    return {"kind": "pollution", "code": "MN-PAGE-1", "name": "废水总排口", "object_kind": "uscc",
            "object_ref": entity.uscc, "implementation_code": _row(), "interval_seconds": "3600",
            "password": "pw123456", "longitude": "114.35", "latitude": "29.85",
            "factor-0-code": "w01018", "factor-0-name": "化学需氧量", "factor-0-unit": "mg/L",
            "factor-0-upper": "100", "factor-0-basis": "排污许可证 第3条", **over}


def _geojson(shape, name="area.geojson") -> SimpleUploadedFile:
    data = shape if isinstance(shape, bytes) else json.dumps(shape).encode()
    return SimpleUploadedFile(name, data, content_type="application/geo+json")


def test_an_officer_registers_a_point_of_their_department(small_catalog, xianan_entity, signed_in, officer):
    client = signed_in(officer)
    page = client.get(URL).content.decode()
    assert _row() in page and "卫星与无人机巡查" in page
    response = client.post(URL, _form(xianan_entity))
    point = MonitoredPoint.objects.get(code="MN-PAGE-1")
    assert response.status_code == 302 and response["Location"] == f"/remote/points/{point.pk}/"
    assert (point.department, point.entity, point.interval_seconds) == (officer.department, xianan_entity, 3600)
    assert (str(point.longitude), str(point.latitude)) == ("114.350000", "29.850000")
    assert Factor.objects.get(point=point).basis == "排污许可证 第3条"
    event = AuditEvent.objects.get(verb="remote.point_registered")
    assert event.actor_id == str(officer.pk), (event.actor_id, event.actor_label)


def test_a_point_is_linked_by_licence_or_site(small_catalog, xianan_entity, signed_in, officer):
    Licence.objects.create(entity=xianan_entity, licence_type="排污许可证", number="PW-001", issued_by="市生态环境局",
                           valid_from=dt.date(2025, 1, 1))
    SupervisedObject.objects.create(kind=ObjectKind.PLACE, name="后厨", identifier="SITE-9", owner=xianan_entity,
                                    region=xianan_entity.region)
    client = signed_in(officer)
    assert client.post(URL, _form(xianan_entity, object_kind="licence", object_ref="PW-001")).status_code == 302
    assert client.post(URL, _form(xianan_entity, code="MN-PAGE-2", object_kind="site",
                                  object_ref="SITE-9")).status_code == 302
    licensed, sited = MonitoredPoint.objects.order_by("code")
    assert (licensed.entity, licensed.licence_number) == (xianan_entity, "PW-001")
    assert (sited.entity, sited.licence_number) == (xianan_entity, "")


def test_a_survey_point_takes_a_polygon_file_and_shows_its_area(small_catalog, xianan_entity, signed_in, officer):
    client = signed_in(officer)
    form = _form(xianan_entity, kind="survey", code="SURVEY-1", geometry=_geojson({"type": "Feature",
                                                                                    "geometry": SQUARE}))
    assert client.post(URL, form).status_code == 302
    point = MonitoredPoint.objects.get(code="SURVEY-1")
    assert point.geometry == SQUARE
    assert 'data-testid="point-area"' in client.get(f"/remote/points/{point.pk}/").content.decode()


@pytest.mark.parametrize(("over", "label", "code"), [
    ({"interval_seconds": "一小时"}, "报送间隔（秒）", "not_integer"),
    ({"interval_seconds": "5"}, "报送间隔（秒）", "interval_too_short"),
    ({"name": " "}, "名称", "required"),
    ({"kind": "weather"}, "类型", "kind_unknown"),
    ({"object_ref": "91420000MA000000"}, "关联对象", "uscc_length"),
    ({"object_kind": "licence", "object_ref": "NO-SUCH"}, "关联对象", "object_unknown"),
    ({"implementation_code": "NOT-A-ROW"}, "支撑的检查实施清单", "implementation_unknown"),
    ({"factor-2-code": "w21003", "factor-2-upper": "15"}, "第 3 行因子的限值依据", "limit_basis_required"),
    ({"factor-0-lower": "200"}, "第 1 行因子的下限", "limit_order"),
    ({"latitude": ""}, "纬度", "coordinate_incomplete"),
    ({"longitude": "514"}, "经度", "coordinate_out_of_range"),
    ({"kind": "survey"}, "巡查范围（GeoJSON）", "required"),
    ({"kind": "survey", "geometry": "LINE"}, "巡查范围（GeoJSON）", "geojson_not_polygon"),
    ({"kind": "survey", "geometry": "BROKEN"}, "巡查范围（GeoJSON）", "geojson_invalid"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(small_catalog, xianan_entity, signed_in,
                                                                       officer, over, label, code):
    files = {"LINE": _geojson({"type": "LineString", "coordinates": [[114.3, 29.8], [114.4, 29.9]]}),
             "BROKEN": _geojson(b"{not json")}
    over = {k: files.get(v, v) if k == "geometry" else v for k, v in over.items()}
    events = AuditEvent.objects.count()
    response = signed_in(officer).post(URL, _form(xianan_entity, **over))
    assert response.status_code == 400
    shown = response.content.decode()
    assert f"{label}：" in shown and f"（{code}）" in shown
    assert not MonitoredPoint.objects.exists() and not Factor.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_row_of_another_department_or_an_entity_outside_the_jurisdiction_is_refused(
        small_catalog, xianan_entity, signed_in, persona, outsider):
    response = signed_in(persona("sthj_officer")).post(URL, _form(xianan_entity))
    assert response.status_code == 400 and "implementation_other_body" in response.content.decode()
    county = persona("xa_scjg_officer")  # 咸安区: its own row, an entity of another county
    row = Implementation.objects.get(item__code=FOOD, body=county.department).code
    elsewhere = type(xianan_entity).objects.exclude(region__path__contains="/421202/").first()
    response = signed_in(county).post(URL, _form(elsewhere, implementation_code=row))
    assert response.status_code == 400 and "entity_unknown" in response.content.decode()
    assert signed_in(persona("leader")).post(URL, _form(xianan_entity)).status_code == 403
    assert not MonitoredPoint.objects.exists()


# The survey findings map ---------------------------------------------------------------------------------------

def _zrzy() -> Department:
    return Department.objects.get(kind=DepartmentKind.ZRZY, region_id="421200")


@pytest.fixture
def finding(small_catalog, xianan_entity):
    """A located point of the entity inside the square (registered by the 市场监管局), a survey finding of the
    city 自然资源和规划局 over the square: matched by the point's place."""
    services.point_register(actor=SYSTEM, department=city(), code="MN-LOC", name="总排口", kind="pollution",
                            entity_code=xianan_entity.uscc, implementation_code=_row(), interval_seconds=3600,
                            factors=[], longitude="114.35", latitude="29.85")
    return services.finding_record(actor=SYSTEM, department=_zrzy(), source="卫星遥感", geometry=SQUARE,
                                   observed_on=dt.date(2026, 11, 2), description="新增建筑")


def test_a_finding_is_matched_to_the_entities_located_inside_it(finding, xianan_entity):
    assert list(finding.entities.all()) == [xianan_entity]
    assert "按监测点坐标匹配 1 个主体" in finding.match_note
    elsewhere = services.finding_record(actor=SYSTEM, department=_zrzy(), source="无人机", geometry={
        "type": "Polygon", "coordinates": [[[110, 20], [110.1, 20], [110.1, 20.1], [110, 20]]]},
        observed_on=dt.date(2026, 11, 2))
    assert not elsewhere.entities.exists()


def test_the_departments_map_draws_its_findings_linked_with_the_matched_entities(finding, xianan_entity, signed_in,
                                                                               persona):
    client = signed_in(persona("zrzy_421200_01"))
    page = client.get("/remote/map/").content.decode()
    assert f'href="/remote/findings/{finding.pk}/"' in page and "<path" in page
    assert f'href="/subjects/{xianan_entity.uscc}/"' in page and 'data-marker="1"' in page
    assert "巡查发现 1" in page
    detail = client.get(f"/remote/findings/{finding.pk}/").content.decode()
    assert xianan_entity.name in detail and "按监测点坐标匹配" in detail and "<circle" in detail


def test_the_map_is_scoped_by_department_and_jurisdiction(finding, signed_in, persona, outsider):
    market = signed_in(persona("scjg_officer"))
    assert f"/remote/findings/{finding.pk}/" not in market.get("/remote/map/").content.decode()
    assert market.get(f"/remote/map/?department={finding.department_id}").status_code == 404
    assert market.get(f"/remote/findings/{finding.pk}/").status_code == 404
    county = signed_in(outsider)  # 嘉鱼县's 自然资源和规划局: the same line, another county
    assert county.get(f"/remote/findings/{finding.pk}/").status_code == 404
    assert county.get(f"/remote/map/?department={finding.department_id}").status_code == 404
    leader = signed_in(persona("leader"))  # reads the whole city: chooses the department
    page = leader.get(f"/remote/map/?department={finding.department_id}").content.decode()
    assert f"/remote/findings/{finding.pk}/" in page
    assert SurveyFinding.objects.count() == 1


# Changing and deactivating a point -----------------------------------------------------------------------------

def _edit(**over):
    return {"name": "废水总排口（改）", "interval_seconds": "600", "longitude": "114.36", "latitude": "29.86",
            "active": "on", **over}


def test_an_officer_changes_and_deactivates_a_point_and_its_data_are_refused(point, signed_in, officer):
    from jianguan.remote.models import Reading, Receipt, ReceiptStatus
    from tests.remote.world import hourly, send

    client = signed_in(officer)
    assert 'value="总排口"' in client.get(f"/remote/points/{point.pk}/edit/").content.decode()
    assert client.post(f"/remote/points/{point.pk}/edit/", _edit()).status_code == 302
    point.refresh_from_db()
    assert (point.name, point.interval_seconds, str(point.longitude), point.active) == (
        "废水总排口（改）", 600, "114.360000", True)
    event = AuditEvent.objects.filter(verb="remote.point_changed").get()
    assert event.payload["changed"] == ["interval_seconds", "latitude", "longitude", "name"]
    assert client.post(f"/remote/points/{point.pk}/edit/", _edit(active="")).status_code == 302
    assert 'data-testid="point-inactive"' in client.get(f"/remote/points/{point.pk}/").content.decode()
    outcome = send(point.code, hourly([50]))
    assert not outcome.known and outcome.refused[0].code == "device_inactive"
    assert not Reading.objects.exists() and Receipt.objects.get().status == ReceiptStatus.UNKNOWN


def test_a_bad_change_is_refused_naming_the_field_and_nothing_is_changed(point, signed_in, officer):
    events = AuditEvent.objects.count()
    response = signed_in(officer).post(f"/remote/points/{point.pk}/edit/", _edit(interval_seconds="1"))
    assert response.status_code == 400 and "报送间隔（秒）：" in response.content.decode()
    response = signed_in(officer).post(f"/remote/points/{point.pk}/edit/", _edit(
        geometry=_geojson({"type": "Point", "coordinates": [114.3, 29.8]})))
    assert response.status_code == 400 and "geojson_not_polygon" in response.content.decode()
    point.refresh_from_db()
    assert (point.name, point.interval_seconds, point.longitude) == ("总排口", 3600, None)
    assert AuditEvent.objects.count() == events


def test_other_people_may_not_change_a_point(point, signed_in, persona, outsider):
    for user, status in ((persona("leader"), 403), (persona("sthj_officer"), 404), (outsider, 404)):
        assert signed_in(user).post(f"/remote/points/{point.pk}/edit/", _edit()).status_code == status, user
        assert signed_in(user).get(f"/remote/points/{point.pk}/edit/").status_code == status, user
    point.refresh_from_db()
    assert point.name == "总排口" and point.active


# Recording a finding by page -----------------------------------------------------------------------------------

def _finding_form(**over):
    return {"source": "卫星遥感", "observed_on": "2026-11-02", "address": "", "description": "新增建筑",
            "geometry": _geojson(SQUARE), **over}


def test_an_officer_records_a_finding_of_their_department_matched_by_place(finding, signed_in, persona,
                                                                          xianan_entity):
    SurveyFinding.objects.all().delete()
    officer = persona("zrzy_421200_01")
    response = signed_in(officer).post("/remote/findings/new/", _finding_form())
    made = SurveyFinding.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/remote/findings/{made.pk}/"
    assert made.department == officer.department and list(made.entities.all()) == [xianan_entity]
    assert AuditEvent.objects.filter(verb="remote.finding_recorded", actor_id=str(officer.pk)).exists()


@pytest.mark.parametrize(("over", "label", "code"), [
    ({"source": ""}, "来源", "required"),
    ({"observed_on": "十一月"}, "发现日期", "not_date"),
    ({"observed_on": "2099-01-01"}, "发现日期", "date_in_future"),
    ({"geometry": "LINE"}, "巡查范围（GeoJSON）", "geojson_not_polygon"),
    ({"geometry": None}, "巡查范围（GeoJSON）", "required"),
])
def test_a_bad_finding_is_refused_naming_the_field_and_nothing_is_written(signed_in, persona, over, label, code):
    form = _finding_form(**over)
    if form["geometry"] == "LINE":
        form["geometry"] = _geojson({"type": "LineString", "coordinates": [[114.3, 29.8], [114.4, 29.9]]})
    if form["geometry"] is None:
        del form["geometry"]
    events = AuditEvent.objects.count()
    response = signed_in(persona("zrzy_421200_01")).post("/remote/findings/new/", form)
    assert response.status_code == 400
    assert f"{label}：" in response.content.decode() and f"（{code}）" in response.content.decode()
    assert not SurveyFinding.objects.exists() and AuditEvent.objects.count() == events
    assert signed_in(persona("leader")).post("/remote/findings/new/", _finding_form()).status_code == 403
    assert not SurveyFinding.objects.exists()
