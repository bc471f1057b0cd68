"""The one list over the API and on the pages: reads, as-of, search, the workflow, exports, mapping."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from jianguan.accounts.models import DepartmentKind
from jianguan.catalog.models import Implementation
from tests.catalog_fixtures import DRUG, FOOD, START, department_admin
from tests.core.test_tabular import xlsx

pytestmark = pytest.mark.django_db


def test_items_search_filters_and_as_of(api, small_catalog, officer):
    client = api(officer)
    assert client.get("/api/v1/catalog/items").json()["count"] == 2
    assert [i["code"] for i in client.get("/api/v1/catalog/items", {"q": "药品"}).json()["items"]] == [DRUG]
    assert [i["code"] for i in client.get("/api/v1/catalog/items", {"q": "食"}).json()["items"]] == [FOOD]
    assert client.get("/api/v1/catalog/items", {"q": "食品安全法"}).json()["items"][0]["code"] == FOOD
    assert client.get("/api/v1/catalog/items", {"q": "网吧"}).json()["count"] == 0
    assert client.get("/api/v1/catalog/items", {"as_of": "2024-12-31"}).json()["count"] == 0
    assert client.get("/api/v1/catalog/items", {"type": "penalty"}).json()["count"] == 0
    assert client.get("/api/v1/catalog/items", {"department": "sthj"}).json()["count"] == 0
    by_id = client.get("/api/v1/catalog/items", {"department": str(officer.department_id)}).json()
    assert by_id["count"] == 2
    item = client.get(f"/api/v1/catalog/items/{FOOD}").json()
    assert item["basis"][0] == {"law": "食品安全法", "law_title": "中华人民共和国食品安全法", "article": "第一百一十条",
                                "clause": "", "text": item["basis"][0]["text"]}
    assert client.get(f"/api/v1/catalog/items/{FOOD}", {"as_of": "2024-06-01"}).status_code == 404


def test_implementations_by_body_and_level(api, small_catalog, officer):
    client = api(officer)
    city = client.get("/api/v1/catalog/implementations", {"level": 3}).json()
    assert city["count"] == 1 and city["items"][0]["body"] == officer.department_id
    assert client.get("/api/v1/catalog/implementations", {"item": FOOD}).json()["count"] == 2


def test_workflow_over_the_api(api, small_catalog, persona):
    county_admin = department_admin(DepartmentKind.SCJG, "421222")
    created = api(county_admin).post("/api/v1/catalog/changes", {"kind": "claim", "payload": {
        "item": DRUG, "effective_from": str(START)}}, content_type="application/json")
    assert created.status_code == 201, created.json()
    change_id = created.json()["id"]
    city_admin = api(persona("scjg_admin"))
    reviewed = city_admin.post(f"/api/v1/catalog/changes/{change_id}/review", {"approve": True},
                               content_type="application/json")
    assert reviewed.json()["status"] == "approved"
    again = city_admin.post(f"/api/v1/catalog/changes/{change_id}/review", {"approve": True},
                            content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert api(persona("scjg_officer")).post("/api/v1/catalog/publications", {"title": "x"},
                                             content_type="application/json").status_code == 403
    published = api(small_catalog["data_admin"]).post("/api/v1/catalog/publications", {"title": "十一月发布"},
                                                      content_type="application/json")
    assert published.status_code == 201 and published.json()["implementation_count"] == 3
    assert Implementation.objects.filter(item__code=DRUG, body__region_id="421222").exists()


def test_bad_change_input(api, small_catalog, persona):
    client = api(persona("scjg_admin"))
    bad = client.post("/api/v1/catalog/changes", {"kind": "claim", "payload": {"item": "123", "effective_from": "x"}},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "effective_from"
    unknown_kind = client.post("/api/v1/catalog/changes", {"kind": "destroy", "payload": {}},
                               content_type="application/json")
    assert unknown_kind.status_code == 400 and unknown_kind.json()["field"] == "kind"


def test_export_xlsx(api, small_catalog, officer):
    response = api(officer).get("/api/v1/catalog/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "目录编码" and {sheet["A2"].value, sheet["A3"].value} == {FOOD, DRUG}
    public = Client().get("/public/catalog/export.xlsx")
    assert public.status_code == 200 and public.content[:2] == b"PK"


def test_mapping_over_the_api(api, small_catalog, persona):
    client = api(persona("scjg_admin"))
    template = client.get("/api/v1/catalog/mappings/template.xlsx")
    assert template.status_code == 200
    upload = io.BytesIO(xlsx([["事项名称", "设定依据"], ["食品企业检查", "《食品安全法》第一百一十条"]]))
    upload.name = "own.xlsx"
    created = client.post("/api/v1/catalog/mappings", {"file": upload})
    assert created.status_code == 201
    body = created.json()
    assert body["rows"][0]["candidates"][0]["item_code"] == FOOD and body["coverage"]["rows"] == 1
    decided = client.post(f"/api/v1/catalog/mappings/{body['id']}/rows/{body['rows'][0]['id']}/decision",
                          {"item": FOOD}, content_type="application/json")
    assert decided.json()["decision"] == "confirmed"
    broken = io.BytesIO(xlsx([["事项名称"], ["x"]]))
    broken.name = "broken.xlsx"
    refused = client.post("/api/v1/catalog/mappings", {"file": broken})
    assert refused.status_code == 400 and refused.json()["extra"]["problems"][0]["code"] == "column_missing"








def test_guidance_from_the_level_above(signed_in, small_catalog, persona):
    from jianguan.accounts.models import Department
    from jianguan.catalog.models import Guidance

    city_admin = signed_in(persona("scjg_admin"))
    county = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421224")
    response = city_admin.post("/catalog/claims/guide/", {"department": county.pk, "item": DRUG,
                                                          "note": "请认领药品经营检查"})
    assert response.status_code == 302
    assert Guidance.objects.get(to_department=county).note == "请认领药品经营检查"
    other_line = Department.objects.get(kind=DepartmentKind.STHJ, region_id="421224")
    assert city_admin.post("/catalog/claims/guide/", {"department": other_line.pk, "item": DRUG,
                                                      "note": "x"}).status_code == 404
    county_admin = department_admin(DepartmentKind.SCJG, "421224")
    page = signed_in(county_admin).get("/catalog/claims/").content.decode()
    assert "请认领药品经营检查" in page


def test_fusion_links_and_report(api, small_catalog, persona):
    from jianguan.catalog.models import PowerItem, SpotCheckItem

    spot = SpotCheckItem.objects.create(line="scjg", category="general", name="药店检查", basis="药品管理法第九十九条")
    power = PowerItem.objects.create(line="scjg", power_type="check", name="对药品经营企业的检查", basis="药品管理法")
    report = api(persona("leader")).get("/api/v1/catalog/fusion").json()
    assert "药店检查" in report["spot_checks_unlinked"] and FOOD in report["random_items_without_spot_check"]
    assert api(persona("scjg_admin")).post(f"/api/v1/catalog/spot-checks/{spot.pk}/items", {"items": [DRUG]},
                                           content_type="application/json").status_code == 403
    data_admin = api(small_catalog["data_admin"])
    assert data_admin.post(f"/api/v1/catalog/spot-checks/{spot.pk}/items", {"items": [DRUG]},
                           content_type="application/json").json()["items"] == [DRUG]
    data_admin.post(f"/api/v1/catalog/powers/{power.pk}/items", {"items": [DRUG]}, content_type="application/json")
    report = data_admin.get("/api/v1/catalog/fusion").json()
    assert report["spot_checks_unlinked"] == [] and report["powers_unlinked"] == []
    assert DRUG not in report["items_without_power"] and FOOD in report["items_without_power"]
