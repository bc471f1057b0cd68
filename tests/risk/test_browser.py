"""One risk alert disposed of into a case clue through the pages, in Debian's Chromium: the monitoring system's
ad raises an alert for the city 市场监管局; the officer opens it from the list, sees the hits marked in the text
with the rule and article behind each, takes it (接收核查) and writes the finding; the head decides 立案
(《市场监督管理行政处罚程序规定》第十八条); the officer carries it into a clue (转为案件线索), whose number the alert
then shows as a link to the clue's case in enforcement."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jianguan.accounts.models import User
from jianguan.enforcement.models import Case, ClueSource
from jianguan.risk.carry import reference
from jianguan.risk.models import Alert, AlertStatus
from tests.browser_fixtures import sign_in
from tests.risk.world import ad, raise_alerts

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]

ADVERTISER = "咸宁某皮肤病医院"


def _switch(page: Page, base: str, username: str, alert_id: int) -> None:
    page.get_by_role("button", name="退出").click()
    sign_in(page, base, username)
    page.goto(f"{base}/risk/alerts/{alert_id}/")


def _act(page: Page, label: str, status: str) -> None:
    page.get_by_test_id("alert-actions").get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_test_id("alert-status")).to_have_text(status)


def test_an_alert_is_verified_decided_and_carried_into_a_clue_through_the_pages(page_for, live_server):
    alert = raise_alerts(User.objects.get(username="dataadmin"), ad(advertiser=ADVERTISER))[0]
    assert alert.department.name == User.objects.get(username="scjg_officer").department.name
    base = live_server.url
    page = page_for()
    sign_in(page, base, "scjg_officer")
    page.goto(f"{base}/risk/alerts/")
    page.get_by_label("模型").select_option(label="虚假医疗广告")
    page.get_by_label("状态").select_option(label="待分派")
    page.get_by_role("button", name="查询").click()
    page.get_by_test_id("alert-list").get_by_role("link", name=ADVERTISER).click()
    expect(page).to_have_url(f"{base}/risk/alerts/{alert.pk}/")
    expect(page.get_by_test_id("alert-status")).to_have_text("待分派")
    marked = page.get_by_test_id("alert-text").locator("mark")
    expect(marked.first).to_have_attribute("title", "medical_ad.cure_promise 广告法第十六条第一款第一项、第二项")
    expect(page.get_by_test_id("alert-text").locator("mark", has_text="根治")).to_have_count(1)
    expect(page.get_by_test_id("alert-hits")).to_contain_text("“根治”：medical_ad.cure_promise，广告法第十六条")

    _act(page, "接收核查", "核查中")
    page.get_by_test_id("alert-actions").get_by_label("核查意见").fill("经核查属实：广告主在其网站发布治愈承诺")
    _act(page, "填写核查意见", "核查中")
    expect(page.get_by_role("button", name="立案", exact=True)).to_have_count(0)  # the head decides

    _switch(page, base, "scjg_head", alert.pk)
    expect(page.get_by_test_id("alert-finding")).to_have_text("经核查属实：广告主在其网站发布治愈承诺")
    _act(page, "立案", "立案")
    expect(page.get_by_test_id("alert-clue")).to_have_count(0)

    _switch(page, base, "scjg_officer", alert.pk)
    page.get_by_test_id("alert-carry").click()
    expect(page.get_by_text("已转为案件线索：案件编号")).to_be_visible()
    alert.refresh_from_db()
    case = Case.objects.select_related("clue").get(clue__number=alert.clue_number)
    assert case.clue.source == case.source == ClueSource.RISK_ALERT and case.get_source_display() == "风险预警"
    assert case.source_ref == reference(alert.pk)
    expect(page.get_by_test_id("alert-clue")).to_have_text(case.clue.number)
    expect(page.get_by_test_id("alert-carry")).to_have_count(0)
    assert alert.status == AlertStatus.CASE

    page.get_by_test_id("alert-clue").get_by_role("link", name=case.clue.number).click()
    page.get_by_test_id("cases").get_by_role("link", name=case.number).click()
    expect(page).to_have_url(f"{base}/enforcement/cases/{case.pk}/")
    expect(page.get_by_test_id("case-status")).to_have_text("线索待核查")
    expect(page.get_by_text(f"风险预警（{case.source_ref}）")).to_be_visible()
    assert Alert.objects.get(pk=alert.pk).clue_number == case.clue.number
