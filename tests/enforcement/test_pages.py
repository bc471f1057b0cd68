"""The enforcement pages: anonymous visitors sent to the login page, the list, detail and steps from the page, a clue
and an on-the-spot decision, a decided case naming its penalty and number."""

from __future__ import annotations

import pytest

from tests.enforcement.test_api import PNG, _file
from tests.enforcement_fixtures import ENDING, act, decided, filed, register, sha, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    case = register(world)
    for path in ("/enforcement/cases/", "/enforcement/cases/new/", f"/enforcement/cases/{case.pk}/",
                 f"/enforcement/cases/{case.pk}/file/", "/enforcement/deadlines/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"], path


def test_the_pages_list_show_and_act(signed_in, world):
    case = register(world)
    page = signed_in(world.officer)
    listing = page.get("/enforcement/cases/", {"scope": "all", "q": case.number})
    assert case.number in listing.content.decode()
    partial = page.get("/enforcement/cases/", {"scope": "all", "q": "没有这个当事人"}, HTTP_HX_REQUEST="true")
    assert "暂无案件" in partial.content.decode() and "<html" not in partial.content.decode()
    detail = page.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="do-propose_filing"' in detail and "第十八条" in detail
    refused = page.post(f"/enforcement/cases/{case.pk}/act/", {"action": "propose_filing", "cause": "x",
                                                               "catalog_code": world.catalog,
                                                               "officers": ["scjg_officer"]}, follow=True)
    assert "officers_too_few" in refused.content.decode()
    page.post(f"/enforcement/cases/{case.pk}/act/", {"action": "propose_filing", "cause": "销售过期食品",
                                                     "catalog_code": world.catalog,
                                                     "officers": ["scjg_officer", "case_officer_b"]})
    case.refresh_from_db()
    assert case.status == "filing_review"
    head = signed_in(world.head)
    head.post(f"/enforcement/cases/{case.pk}/act/", {"action": "approve_filing", "opinion": "同意立案"})
    case.refresh_from_db()
    assert case.status == "investigating"
    page = signed_in(world.officer)
    upload = page.post(f"/enforcement/cases/{case.pk}/evidence/", {"file": _file("现场.png", PNG), "title": "现场照片",
                                                                   "sha256": sha(PNG)}, follow=True)
    assert "证据已上传" in upload.content.decode()
    evidence = case.evidence.get()
    assert page.get(f"/enforcement/cases/{case.pk}/evidence/{evidence.pk}/").content == PNG
    wrong = page.post(f"/enforcement/cases/{case.pk}/evidence/", {"file": _file("b.png", PNG + b"1"),
                                                                  "sha256": sha(PNG)}, follow=True)
    assert "sha256_mismatch" in wrong.content.decode()
    assert "我的逾期事项" in page.get("/").content.decode()
    assert page.get("/enforcement/deadlines/").status_code == 200


def test_a_clue_and_an_on_the_spot_decision_from_the_page(signed_in, world):
    page = signed_in(world.officer)
    response = page.post("/enforcement/cases/new/", {"form": "clue", "source": "report", "source_ref": "JB-PAGE-1",
                                                     "uscc": world.entity.uscc, "received_on": "2026-11-02",
                                                     "summary": "举报销售过期食品"})
    assert response.status_code == 302
    over = page.post("/enforcement/cases/new/", {
        "form": "simple", "uscc": world.entity.uscc, "officers": ["scjg_officer", "case_officer_b"],
        "penalty_kinds": ["02"], "fine": "3500", "facts": "未亮照经营", "basis": "《市场主体登记管理条例》第四十八条",
        "catalog_code": world.catalog, "implementation_code": world.implementation})
    assert over.status_code == 200 and "simple_fine_over_limit" in over.content.decode()


def test_a_decided_case_page_names_the_penalty_and_the_number(signed_in, world):
    case = decided(world)
    page = signed_in(world.officer).get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "警告、罚款" in page and case.decision_number in page and 'data-testid="do-serve"' in page
    assert "第六十一条" in page  # the service clock's rule beside its date
