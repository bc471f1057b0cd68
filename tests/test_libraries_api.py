"""Intake over the API and the pages: complaints from systems and the public, credit batches."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind
from jianguan.complaints.models import Complaint
from jianguan.credit.models import CreditImport, CreditRecord
from tests.core.test_tabular import xlsx

pytestmark = pytest.mark.django_db


def _system(persona, scopes: list[str]) -> Client:
    department = Department.objects.get(kind=DepartmentKind.SJJ, region_id="421200")
    client = accounts.api_client_create(actor=persona("admin"), name=f"系统{'-'.join(scopes)}", department=department,
                                        scopes=scopes)
    return Client(headers={"X-API-Key": accounts.api_key_issue(actor=persona("admin"), client=client)})


def test_hotline_system_posts_a_complaint(persona, xianan_entity):
    client = _system(persona, ["complaints:write"])
    body = {"kind": "report", "category": "price", "subject_uscc": xianan_entity.uscc, "content": "节假日哄抬价格",
            "external_ref": "12345-A1"}
    created = client.post("/api/v1/complaints", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["department_name"] == "咸安区市场监督管理局"
    complaint = Complaint.objects.get(external_ref="12345-A1")
    assert complaint.raw["content"] == "节假日哄抬价格"  # what was received is kept
    again = client.post("/api/v1/complaints", body, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "duplicate"
    bad = client.post("/api/v1/complaints", {"content": "x", "extra": 1}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "extra_forbidden"
    reader = _system(persona, ["read"])
    assert reader.post("/api/v1/complaints", body, content_type="application/json").status_code == 403


def test_complaints_are_read_within_scope(api, persona, xianan_entity):
    client = _system(persona, ["complaints:write"])
    client.post("/api/v1/complaints", {"category": "food", "subject_uscc": xianan_entity.uscc,
                                       "content": "食品有异物请处理"}, content_type="application/json")
    assert api(persona("xa_scjg_officer")).get("/api/v1/complaints").json()["count"] == 1
    assert api(persona("sthj_officer")).get("/api/v1/complaints").json()["count"] == 0


def test_credit_batch_over_the_api(persona, xianan_entity, api):
    client = _system(persona, ["credit:write"])
    body = {"kind": "dishonest_debtor", "source": "全国法院失信被执行人名单", "records": [
        {"uscc": xianan_entity.uscc, "date": "2025-03-04", "title": "未履行生效判决",
         "source_ref": "(2025)鄂1202执100号", "authority": "咸宁市咸安区人民法院"}]}
    assert client.post("/api/v1/credit/records", body, content_type="application/json").status_code == 201
    assert CreditRecord.objects.get(kind="dishonest_debtor").authority == "咸宁市咸安区人民法院"
    refused = client.post("/api/v1/credit/records", {**body, "records": [{**body["records"][0], "uscc": "123"}]},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["extra"]["problems"][0]["row"] == 1
    assert api(persona("scjg_officer")).post("/api/v1/credit/records", body,
                                             content_type="application/json").status_code == 403
    upload = io.BytesIO(xlsx([["统一社会信用代码", "日期", "事由", "来源编号"],
                              [xianan_entity.uscc, "2025-05-06", "抽检不合格", "CJ-1"]]))
    upload.name = "sampling.xlsx"
    imported = api(persona("dataadmin")).post("/api/v1/credit/imports", {"kind": "sampling", "source": "省抽检平台",
                                                                          "file": upload})
    assert imported.status_code == 201 and CreditImport.objects.filter(kind="sampling").exists()


def test_public_complaint_form(client, xianan_entity):
    page = client.get("/public/complaints/")
    assert page.status_code == 200 and "投诉举报" in page.content.decode()
    response = client.post("/public/complaints/", {"kind": "complaint", "category": "food", "region": "421202001",
                                                   "subject_name": "某餐馆", "content": "菜品中有异物，要求退款"})
    body = response.content.decode()
    assert "已收到" in body and "咸安区市场监督管理局" in body
    refused = client.post("/public/complaints/", {"kind": "complaint", "category": "food", "content": "太短"})
    assert "form-error" in refused.content.decode()
    robot = client.post("/public/complaints/", {"kind": "complaint", "category": "food", "region": "421202001",
                                                "subject_name": "某店", "content": "机器人提交的内容", "website": "x"})
    assert robot.status_code == 302 and Complaint.objects.count() == 1


def test_complaint_pages_and_handling(signed_in, persona, xianan_entity):
    client = _system(persona, ["complaints:write"])
    complaint_id = client.post("/api/v1/complaints", {"category": "food", "subject_uscc": xianan_entity.uscc,
                                                      "content": "饭店使用过期原料"},
                               content_type="application/json").json()["id"]
    officer = signed_in(persona("xa_scjg_officer"))
    assert "饭店使用过期原料" in officer.get(f"/complaints/{complaint_id}/").content.decode()
    officer.post(f"/complaints/{complaint_id}/act/", {"action": "accept", "note": "符合受理条件"})
    assert Complaint.objects.get(pk=complaint_id).status == "accepted"
    officer.post(f"/complaints/{complaint_id}/clue/", {"note": "涉嫌违法，转立案核查"})
    assert Complaint.objects.get(pk=complaint_id).status == "converted"
    assert "逾期" in officer.get("/complaints/").content.decode()
