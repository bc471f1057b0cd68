"""The public read API of open data: no sign-in, the portal's search and its refusals, pages with the next one's
URL, published articles and departments, the limit per address (429, Retry-After) and CORS on these paths only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.disclosure.models import DisclosureItem, ItemStatus
from tests.articles.world import draft
from tests.articles.world import published as article_published
from tests.opendata.world import PHONE, RIC, decisions

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/decisions"


@pytest.fixture
def items(clock, persona):
    return decisions(persona, clock.day)


def _public_numbers() -> list[str]:
    rows = DisclosureItem.objects.filter(status__in=(ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN))
    return list(rows.order_by("-published_on", "-pk").values_list("number", flat=True))


def test_decisions_come_page_by_page_with_the_next_page_s_url(client, items):
    first = client.get(URL, {"size": "2"})
    assert first.status_code == 200 and "Authorization" not in first.request
    body = first.json()
    assert (body["page"], body["size"], body["has_next"]) == (1, 2, True)
    assert body["next"] == "http://testserver/api/v1/public/decisions?size=2&page=2"
    second = client.get(body["next"]).json()
    assert second["has_next"] is False and second["next"] is None and second["page"] == 2
    numbers = [row["number"] for row in body["items"] + second["items"]]
    assert numbers == _public_numbers() and len(numbers) == 3


def test_a_decision_is_served_as_published_withdrawn_ones_with_their_reason(client, items):
    shown, withdrawn, withheld = items
    row = client.get(f"{URL}/{shown.number}").json()
    assert row["decision_number"] == shown.decision_number and row["url"] == f"/public/disclosure/{shown.number}/"
    assert row["content"] == shown.redacted and PHONE not in str(row) and RIC not in str(row)
    assert row["kind_label"] == "行政处罚" and row["status_label"] == "已公示"
    gone = client.get(f"{URL}/{withdrawn.number}").json()
    assert gone["status"] == "withdrawn" and gone["withdraw_reason"] == "复议撤销"
    refused = client.get(f"{URL}/{withheld.number}")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"


def test_the_filters_are_the_portal_s(client, items):
    shown = items[0]
    assert [r["number"] for r in client.get(URL, {"entity": shown.entity.uscc}).json()["items"]] == [shown.number]
    assert [r["number"] for r in client.get(URL, {"q": shown.decision_number}).json()["items"]] == [shown.number]
    assert client.get(URL, {"kind": "inspection"}).json()["items"] == []
    since = (shown.published_on + dt.timedelta(days=1)).isoformat()
    assert client.get(URL, {"since": since}).json()["items"] == []
    assert len(client.get(URL, {"department": str(shown.department_id)}).json()["items"]) == 3


@pytest.mark.parametrize(("params", "field", "code"), [
    ({"page": "0"}, "page", "out_of_range"), ({"page": "1001"}, "page", "out_of_range"),
    ({"size": "101"}, "size", "out_of_range"), ({"size": "x"}, "size", "out_of_range"),
    ({"kind": "draft"}, "kind", "kind_invalid"), ({"since": "2026-13-01"}, "since", "date_invalid"),
    ({"q": "字" * 51}, "q", "too_long"), ({"since": "2026-12-02", "until": "2026-12-01"}, "since",
                                            "date_range_inverted")])
def test_parameters_out_of_range_are_refused_naming_the_field_and_rule(client, params, field, code):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["code"]) == (field, code) and body["message"]


def test_articles_page_size_is_checked_too(client):
    response = client.get("/api/v1/public/articles", {"kind": "news", "size": "500"})
    assert response.status_code == 400 and response.json()["field"] == "size"
    assert client.get("/api/v1/public/articles", {"kind": "draft"}).json()["code"] == "kind_invalid"
    assert client.get("/api/v1/public/articles").json()["field"] == "kind"


def test_published_articles_only(client, persona):
    author, publisher = persona("scjg_officer"), persona("scjg_publisher")
    shown = article_published(author, publisher, title="公开的动态")
    hidden = draft(author, title="尚未发布的草稿")
    listed = client.get("/api/v1/public/articles", {"kind": "news"}).json()
    assert [a["title"] for a in listed["items"]] == ["公开的动态"] and listed["has_next"] is False
    one = client.get(f"/api/v1/public/articles/{shown.pk}").json()
    assert one["body"] == shown.body and one["kind_label"] == "新闻动态"
    assert one["url"] == f"/public/article/{shown.pk}/"
    assert client.get(f"/api/v1/public/articles/{hidden.pk}").status_code == 404


def test_departments_are_listed_with_their_codes(client, persona):
    body = client.get("/api/v1/public/departments", {"size": "100"}).json()
    city = persona("scjg_officer").department
    [row] = [row for row in body["items"] if row["id"] == city.pk]
    assert (row["name"], row["region"], row["region_name"]) == (city.name, city.region_id, city.region.name)
    assert all(set(row) == {"id", "name", "short_name", "kind", "kind_label", "region", "region_name"}
               for row in body["items"])


def test_a_page_of_decisions_takes_the_same_queries_whatever_its_size(client, items):
    counts = []
    for size in ("1", "3"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"size": size}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_too_many_requests_from_one_address_wait_with_retry_after(client, settings):
    settings.JIANGUAN_OPENDATA_REQUESTS_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(URL).status_code == 200
    refused = client.get(URL)
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["code"] == "rate_limited" and "请求过于频繁" in body["message"]
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert client.get(URL, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address keeps its own count
    settings.JIANGUAN_OPENDATA_REQUESTS_PER_MINUTE = 0
    assert client.get(URL).status_code == 200  # 0 turns the limit off


def test_cors_on_the_public_api_only(client, api, persona):
    read = client.get(URL, HTTP_ORIGIN="https://example.org")
    assert read["Access-Control-Allow-Origin"] == "*" and "Access-Control-Allow-Credentials" not in read
    preflight = client.options(f"{URL}/x", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    signed = api(persona("scjg_officer"))
    for path in ("/api/v1/subjects", "/api/v1/health", "/public/disclosure/"):
        response = signed.get(path, HTTP_ORIGIN="https://example.org")
        assert "Access-Control-Allow-Origin" not in response, path
    other = client.options("/api/v1/subjects", HTTP_ORIGIN="https://example.org",
                           HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert "Access-Control-Allow-Origin" not in other
    posted = client.post(URL, {}, HTTP_ORIGIN="https://example.org")
    assert posted.status_code == 405 and "Access-Control-Allow-Origin" not in posted
