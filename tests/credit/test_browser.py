"""A manual adjustment of the credit-risk class through the pages, in Debian's Chromium: the officer opens the entity
page (class D: on the 严重违法失信名单), proposes class C with reason and evidence; the head of the officer's
department opens the same page and approves it; the page then shows the adjusted class beside the computed one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianguan.credit.models import AdjustmentStatus, ClassAdjustment
from tests.browser_fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]


@pytest.fixture
def classified(seeded_live_db, request):
    """The world's entities classified and the run published, after the live database is seeded."""
    request.getfixturevalue("published")
    return request.getfixturevalue("risky")


def test_an_officer_proposes_an_adjustment_and_the_head_approves_it(page_for, live_server, classified):
    entity = classified[45]
    base = live_server.url
    page = page_for()
    sign_in(page, base, "scjg_officer")
    page.goto(f"{base}/subjects/{entity.uscc}/")
    expect(page.get_by_test_id("credit-class")).to_contain_text("D 类（信用风险高）")
    expect(page.get_by_test_id("credit-reasons")).to_contain_text("O01 列入严重违法失信名单")
    form = page.get_by_test_id("adjustment-form")
    form.get_by_text("提出人工调整").click()
    form.get_by_label("调整后分类").select_option("C")
    form.get_by_label("调整理由").fill("已履行全部义务，经现场核查经营正常")
    form.get_by_label("证据说明").fill("现场核查笔录 JC-2026-88")
    form.get_by_role("button", name="提交调整申请").click()
    expect(page.get_by_text("已提出人工调整，待本部门负责人批准")).to_be_visible()
    expect(page.get_by_test_id("credit-adjustments")).to_contain_text("D → C 待批准")
    expect(page.get_by_role("button", name="批准", exact=True)).to_have_count(0)  # never the proposer

    page.get_by_role("button", name="退出").click()
    sign_in(page, base, "scjg_head")
    page.goto(f"{base}/subjects/{entity.uscc}/")
    adjustments = page.get_by_test_id("credit-adjustments")
    adjustments.get_by_label("意见").fill("同意")
    adjustments.get_by_role("button", name="批准", exact=True).click()
    expect(page.get_by_text("已处理人工调整")).to_be_visible()
    expect(page.get_by_test_id("credit-class")).to_contain_text("C 类（信用风险较高）")
    expect(page.get_by_test_id("credit-adjusted")).to_have_text("人工调整")
    expect(page.get_by_test_id("credit-class")).to_contain_text("计算结果 D 类（信用风险高）")
    assert ClassAdjustment.objects.get().status == AdjustmentStatus.APPROVED
