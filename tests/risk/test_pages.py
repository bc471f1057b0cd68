"""The alert pages: the list within scope, one alert with its hits highlighted in the text as sent and the rule
behind each, the actions open to the reader; outsiders see nothing."""

from __future__ import annotations

import pytest

from jianguan.risk import highlight
from jianguan.risk.models import AlertStatus
from tests.risk.world import ad, raise_alerts

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(persona):
    return raise_alerts(persona("dataadmin"), ad(advertiser="咸宁某医院"))[0]


def test_pieces_mark_each_hit_once_in_the_text_as_sent():
    hits = [{"field": "text", "start": 2, "end": 5, "rule": "r1", "article": "a1"},
            {"field": "text", "start": 3, "end": 4, "rule": "r2", "article": "a2"},
            {"field": "name", "start": 0, "end": 1, "rule": "r3", "article": "a3"},
            {"field": "text", "start": None, "end": None, "rule": "check", "article": "a4"}]
    assert highlight.pieces("专治根 治不复发", hits) == [
        highlight.Piece("专治"), highlight.Piece("根 治", "r1", "a1"), highlight.Piece("不复发")]


def test_the_department_sees_the_alert_with_its_hits_highlighted(signed_in, persona, alert,
                                                                 django_assert_max_num_queries):
    client = signed_in(persona("scjg_officer"))
    with django_assert_max_num_queries(12):
        listed = client.get("/risk/alerts/")
    assert listed.status_code == 200 and "咸宁某医院" in listed.content.decode()
    page = client.get(f"/risk/alerts/{alert.pk}/").content.decode()
    assert '<mark title="medical_ad.' in page and ">根治</mark>" in page
    assert "核查期限" in page and 'value="verify"' in page and 'value="open_case"' not in page


def test_the_officer_takes_the_alert_and_the_head_decides_from_the_page(signed_in, persona, alert, client):
    url = f"/risk/alerts/{alert.pk}/act/"
    signed_in(persona("scjg_officer")).post(url, {"action": "verify"})
    client.post(url, {"action": "report", "finding": "经核查属实"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.VERIFYING and alert.finding == "经核查属实"
    refused = client.post(url, {"action": "open_case"}, follow=True)
    assert "只有预警承办部门的负责人可以批准" in refused.content.decode()
    signed_in(persona("scjg_head")).post(url, {"action": "open_case"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CASE


def test_outsiders_see_nothing_and_the_leader_acts_on_nothing(signed_in, persona, alert, outsider):
    stranger = signed_in(outsider)
    assert "咸宁某医院" not in stranger.get("/risk/alerts/").content.decode()
    assert stranger.get(f"/risk/alerts/{alert.pk}/").status_code == 404
    assert stranger.post(f"/risk/alerts/{alert.pk}/act/", {"action": "verify"}).status_code == 404
    other = signed_in(persona("sthj_officer"))
    assert other.post(f"/risk/alerts/{alert.pk}/act/", {"action": "verify"}).status_code == 404
    assert signed_in(persona("leader")).post(f"/risk/alerts/{alert.pk}/act/", {"action": "verify"}).status_code == 403
    alert.refresh_from_db()
    assert alert.status == AlertStatus.PENDING
