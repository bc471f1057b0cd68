"""The leaders' dashboard in Chromium: the charts drawn by the platform's own ECharts (no request outside, no
script error or CSP violation), no serious accessibility violation (axe-core), a chart's figure opening the list
behind it with the rows it counts, a phone's single column and the 大屏 layout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import sign_in
from tests.conftest import PASSWORD
from tests.test_accessibility import AXE, RUN, TAGS, _report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]


def test_the_leader_opens_the_dashboard_and_a_chart_s_list(page_for, live_server):
    page = page_for()
    sign_in(page, live_server.url, "leader")
    page.goto(live_server.url + "/leaders/")
    expect(page.locator("#chart-entities canvas")).to_have_count(1)
    expect(page.locator("#chart-credit canvas")).to_have_count(1)
    credit = page.get_by_test_id("chart-credit")
    credit.locator("summary").click()
    link = credit.locator("tbody a").first
    key = re.search(r"risk_class=(\w)", link.get_attribute("href")).group(1)
    counted = int(link.inner_text())
    link.click()
    expect(page).to_have_url(re.compile(rf"/subjects/\?risk_class={key}$"))
    cells = page.locator("table.stack tbody tr td:last-child")
    expect(cells.first).to_have_text(key)
    assert set(cells.all_inner_texts()) == {key} and cells.count() == min(counted, 25)


def test_a_chart_click_opens_the_list_behind_it_on_the_large_screen(page_for, live_server):
    page = page_for(1920, 1080)
    sign_in(page, live_server.url, "leader")
    page.goto(live_server.url + "/leaders/?screen=1")
    expect(page.locator("body.screen")).to_have_count(1)
    expect(page.locator(".topbar")).to_be_hidden()
    chart = page.locator("#chart-entities")
    expect(chart.locator("canvas")).to_have_count(1)
    # a click on the first slice of the pie (the instance tells where it is drawn)
    page.evaluate("""() => {
      const chart = echarts.getInstanceByDom(document.getElementById('chart-entities'));
      chart.dispatchAction({type: 'highlight', seriesIndex: 0, dataIndex: 0});
      chart.trigger('click', {seriesIndex: 0, dataIndex: 0});
    }""")
    expect(page).to_have_url(re.compile(r"/subjects/$"))


def test_the_dashboard_is_one_column_on_a_phone(page_for, live_server):
    page = page_for(360, 740)
    sign_in(page, live_server.url, "leader")
    page.goto(live_server.url + "/leaders/")
    boxes = [page.get_by_test_id(f"chart-{code}").bounding_box() for code in ("entities", "inspections")]
    assert boxes[0]["x"] == boxes[1]["x"] and boxes[0]["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_dashboard_has_no_serious_accessibility_violation(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/login/?next=/leaders/")
    page.get_by_label("用户名").fill("leader")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#chart-cases canvas, #chart-entities canvas").first).to_be_visible()
    found = []
    for path in ("/leaders/", "/leaders/?screen=1"):
        page.goto(live_server.url + path)
        page.locator("details.leaders-table").evaluate_all("all => all.forEach(d => d.open = true)")
        page.add_script_tag(path=str(AXE))
        found += [_report(path, v) for v in [page.evaluate(RUN, TAGS)] if v]
    context.close()
    assert not found, "\n".join(found)
