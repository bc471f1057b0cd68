"""Real browser tests: Debian's Chromium driven by Playwright against the live server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]

def test_persona_signs_in_opens_the_dashboard_and_switches_language(page_for, live_server):
    page = page_for()
    sign_in(page, live_server.url, "scjg_officer")
    expect(page.get_by_test_id("current-user")).to_have_text("张伟")
    expect(page.get_by_text("辖区存续市场主体")).to_be_visible()
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Dashboard")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")


def test_wrong_password_then_sign_in(page_for, live_server):
    page = page_for()
    page.goto(live_server.url + "/login/")
    page.get_by_label("用户名").fill("leader")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("login-error")).to_have_text("用户名或密码错误")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("current-user")).to_have_text("郑国华")


def test_phone_width_menu_and_live_search(page_for, live_server):
    page = page_for(360, 740)
    sign_in(page, live_server.url, "xa_scjg_officer")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    page.get_by_text("菜单").click()
    page.get_by_role("navigation").get_by_role("link", name="市场主体", exact=True).click()
    expect(page.get_by_role("heading", name="市场主体")).to_be_visible()
    first = page.locator("#results tbody tr td a").first
    name = first.inner_text()
    page.get_by_label("名称、曾用名、代码、法定代表人或地址").fill(name)
    expect(page.locator("#results tbody tr")).to_have_count(1)  # htmx replaced the results in place
    expect(page.locator("#results tbody tr td a").first).to_have_text(name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_public_portal_on_a_phone(page_for, live_server):
    page = page_for(360, 740)
    page.goto(live_server.url + "/public/")
    expect(page.get_by_test_id("public-title")).to_contain_text("互联网+监管平台")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_claim_review_publish_and_the_public_page(page_for, live_server, small_catalog):
    """A county department claims a 子项, the city department reviews it, the data office publishes, the public
    sees the county department as an implementing body."""
    from tests.catalog_fixtures import DRUG, department_admin

    county_admin = department_admin("scjg", "421221")  # 嘉鱼县市场监督管理局
    base = live_server.url
    page = page_for()
    sign_in(page, base, county_admin.username)
    page.goto(f"{base}/catalog/items/{DRUG}/")
    page.get_by_test_id("claim").click()
    page.get_by_label("计划生效日期").fill("2025-01-01")
    page.get_by_label("检查方式").fill("现场检查")
    page.get_by_label("检查频次").fill("每年 1 次")
    page.get_by_role("button", name="提交认领").click()
    expect(page.get_by_test_id("change-status")).to_have_text("待审核")
    page.get_by_role("button", name="退出").click()

    sign_in(page, base, "scjg_admin")
    page.goto(f"{base}/catalog/changes/")
    page.get_by_test_id("review-queue").get_by_role("link").first.click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_test_id("change-status")).to_have_text("已审核待发布")
    page.get_by_role("button", name="退出").click()

    sign_in(page, base, "dataadmin")
    page.goto(f"{base}/catalog/publish/")
    expect(page.get_by_test_id("approved").get_by_role("listitem")).to_have_count(1)
    page.get_by_label("标题").fill("嘉鱼县认领")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("已发布清单")).to_be_visible()

    public = page_for(360, 740)
    public.goto(f"{base}/public/catalog/")
    public.get_by_label("关键词").fill("药品")
    expect(public.get_by_test_id("result-count")).to_contain_text("1 项")
    public.get_by_role("link", name="对药品经营企业的监督检查").click()
    expect(public.get_by_test_id("implementations")).to_contain_text("嘉鱼县市场监督管理局")
    assert public.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_inspector_enters_a_spot_check_result_on_a_phone(page_for, live_server, food_task, persona):
    """A drawn inspector opens their checks on a 360 px screen, ticks the results, dates the check and submits; the
    page shows the outcome and the 经营异常名录 deadline the result started."""
    from jianguan.spotchecks.models import CheckResult
    from tests.spotcheck_fixtures import _drawn

    draw = _drawn(food_task, persona)
    check = next(c for c in CheckResult.objects.filter(draw=draw).order_by("pk")
                 if c.inspectors.exclude(username__startswith="spot_").exists())  # spot_* have no password
    inspector = check.inspectors.exclude(username__startswith="spot_").first()
    page = page_for(360, 740)
    sign_in(page, live_server.url, inspector.username)
    page.goto(f"{live_server.url}/spotchecks/checks/")
    page.get_by_test_id("my-checks").get_by_role("link", name=check.entity.name).click()
    page.get_by_label("通过登记的住所（经营场所）无法联系").check()
    page.get_by_label("检查日期").fill("2025-06-10")
    page.get_by_label("发现的问题").fill("登记住所无此企业，电话无法接通")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="提交检查结果").click()
    expect(page.get_by_test_id("result-codes")).to_contain_text("无法联系")
    expect(page.get_by_text("列入经营异常名录期限")).to_be_visible()
    check.refresh_from_db()
    assert check.entered_by == inspector and check.codes == ["6"]
