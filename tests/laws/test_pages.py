"""The pages and the API of the knowledge base: search with highlights, a provision with its versions and who
cites it (in scope), unknown ids, bad parameters; links on the catalog's, cases' and risk pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.actors import SystemActor
from jianguan.core.registry import CitingSource
from jianguan.laws import services
from jianguan.laws.models import Citation
from tests.enforcement_fixtures import ENDING, act, filed, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_search_page_highlights_and_pages(texts, signed_in, officer):
    page = signed_in(officer).get("/laws/", {"q": "胁迫"}).content.decode()
    assert "<mark>胁迫</mark>" in page and "第三十二条" in page
    page = signed_in(officer).get("/laws/", {"q": "条"}).content.decode()
    assert 'data-testid="next-page"' in page and 'data-testid="unverified"' in page


@pytest.mark.parametrize(("params", "message"), [({"q": "法" * 1000}, "100"), ({"level": "x"}, "效力层级"),
                                                 ({"on": "2021-13-01"}, "施行日期"), ({"page": "0"}, "页码")])
def test_bad_parameters_on_the_search_page_are_named(texts, signed_in, officer, params, message):
    response = signed_in(officer).get("/laws/", params)
    assert response.status_code == 400 and message in response.content.decode()


def test_a_provision_page_shows_the_version_of_the_day_its_versions_and_status(texts, signed_in, officer):
    client = signed_in(officer)
    page = client.get("/laws/p/xingzheng-chufa/a33/p2/", {"on": "2022-01-01"}).content.decode()
    assert "当事人有证据足以证明没有主观过错的" in page and 'data-testid="target"' in page and "2021年修订" in page
    assert "已核对" in page
    unverified = client.get("/laws/p/shipin-anquan/a124/p1/i5/").content.decode()
    assert 'data-testid="unverified"' in unverified and "待核对" in unverified
    assert client.get("/laws/p/xingzheng-chufa/a999/").status_code == 404
    assert client.get("/laws/p/xingzheng-chufa/a33/", {"on": "bad"}).status_code == 400


def test_who_cites_an_article_is_shown_in_the_readers_scope(texts, signed_in, officer, outsider, monkeypatch):
    sources = [CitingSource("enforcement", "AJ9", "案件 AJ9 某公司", "/enforcement/cases/9/",
                            "行政处罚法第三十三条第一款", dt.date(2022, 3, 1), officer.department_id,
                            officer.department.region_id),
               CitingSource("catalog", "x/1", "监管事项 示例", "/catalog/items/x/", "《行政处罚法》第三十三条")]
    monkeypatch.setattr(services, "citing_sources", lambda: iter(sources))
    services.citations_sweep(actor=SystemActor("test"))
    assert Citation.objects.filter(pid__startswith="xingzheng-chufa/a33").count() == 2
    mine = signed_in(officer).get("/laws/p/xingzheng-chufa/a33/").content.decode()
    assert "案件 AJ9 某公司" in mine and "监管事项 示例" in mine
    theirs = signed_in(outsider).get("/laws/p/xingzheng-chufa/a33/").content.decode()
    assert "案件 AJ9" not in theirs and "监管事项 示例" in theirs


def test_the_api_searches_with_pages_and_answers_an_article_by_its_id(texts, api, officer):
    client = api(officer)
    body = client.get("/api/v1/knowledge/articles", {"q": "条", "limit": 5}).json()
    assert body["has_next"] is True and len(body["items"]) == 5 and body["offset"] == 0
    found = client.get("/api/v1/knowledge/articles", {"q": "胁迫", "on": "2022-01-01"}).json()
    assert [i["id"] for i in found["items"]] == ["xingzheng-chufa/a32"] and found["has_next"] is False
    assert ["胁迫", True] in found["items"][0]["highlight"]
    one = client.get("/api/v1/knowledge/articles/xingzheng-chufa/a32/p1/i2").json()
    assert one["text"] == "受他人胁迫或者诱骗实施违法行为的；" and one["status"] == "confirmed"
    assert [v["holds"] for v in one["versions"]] == [False, True]
    old = client.get("/api/v1/knowledge/articles/xingzheng-chufa/a27", {"on": "2019-01-01"}).json()
    assert old["version"] == "2017年修正"


def test_the_api_refuses_unknown_ids_and_long_queries_naming_the_rule(texts, api, officer):
    client = api(officer)
    missing = client.get("/api/v1/knowledge/articles/xingzheng-chufa/a999")
    assert missing.status_code == 404 and missing.json()["code"] == "article_not_found"
    long = client.get("/api/v1/knowledge/articles", {"q": "法" * 1000})
    assert long.status_code == 400 and long.json()["code"] == "query_too_long" and long.json()["field"] == "q"
    assert client.get("/api/v1/knowledge/articles", {"level": "x"}).json()["code"] == "invalid_choice"
    assert api().get("/api/v1/knowledge/articles").status_code == 401


def test_a_case_page_and_a_catalog_item_link_their_citations_to_the_articles(texts, signed_in, world):
    from jianguan.catalog.models import CatalogVersion, LegalReference  # apps above the knowledge base, read only

    case = act(world, filed(world), "end_investigation", world.officer, ENDING)
    page = signed_in(world.officer).get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'href="/laws/p/shipin-anquan/a124/p1/?on=' in page and 'href="/laws/p/shipin-anquan/a34/p1/i10/?on=' in page
    in_force = CatalogVersion.objects.in_force(timezone.localdate())
    ref = LegalReference.objects.filter(law__key="食品安全法", article="第一百一十条", version__in=in_force).first()
    assert ref is not None
    page = signed_in(world.officer).get(f"/catalog/items/{ref.version.code}/").content.decode()
    assert 'href="/laws/p/shipin-anquan/a110/' in page
