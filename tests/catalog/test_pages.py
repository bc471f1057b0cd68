"""The one list on the work and public pages: the work pages, a claim through the pages, the public pages."""

from __future__ import annotations

import pytest
from django.test import Client

from jianguan.accounts.models import DepartmentKind
from jianguan.catalog.models import ChangeRequest
from tests.catalog_fixtures import DRUG, FOOD, department_admin

pytestmark = pytest.mark.django_db


def test_work_pages(signed_in, small_catalog, persona):
    client = signed_in(persona("scjg_admin"))
    assert "对药品经营企业的监督检查" in client.get("/catalog/").content.decode()
    page = client.get(f"/catalog/items/{FOOD}/").content.decode()
    assert "第一百一十条" in page and "咸安区市场监督管理局" in page
    assert f"/catalog/items/{DRUG}/claim/" in client.get(f"/catalog/items/{DRUG}/").content.decode()
    claims = client.get("/catalog/claims/").content.decode()
    assert "未认领" in claims and "已认领" in claims
    for path in ("/catalog/changes/", "/catalog/fusion/", "/catalog/mappings/"):
        assert client.get(path).status_code == 200, path
    data_admin = signed_in(small_catalog["data_admin"])
    assert data_admin.get("/catalog/publish/").status_code == 200


def test_claim_through_the_pages(client, small_catalog, persona):
    admin = department_admin(DepartmentKind.SCJG, "421223")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(f"/catalog/items/{DRUG}/claim/", {
        "effective_from": "2025-01-01", "check_category": "现场检查", "check_method": "现场检查"})
    change = ChangeRequest.objects.get(kind="claim", department=admin.department)
    assert response["Location"] == f"/catalog/changes/{change.pk}/"
    refused = client.post(f"/catalog/items/{DRUG}/claim/", {"effective_from": "2025-01-01", "in_random_checks": "on"})
    assert "ratio_required" in refused.content.decode()


def test_public_pages(small_catalog):
    client = Client()
    listing = client.get("/public/catalog/", {"q": "食品"}).content.decode()
    assert "对食品生产者的监督检查" in listing and "对药品经营企业" not in listing
    item = client.get(f"/public/catalog/{FOOD}/").content.decode()
    assert "咸宁市市场监督管理局" in item and "实施清单编码" in item
