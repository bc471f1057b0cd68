"""The discretion benchmark in the browser (ADR 0060): the officer proposes a fine outside the band the ticked
circumstances call for and sees the refusal, then gives a written reason, and the case shows it for the review."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianguan.core.actors import SystemActor
from jianguan.discretion.services import benchmark_store
from tests.browser_fixtures import sign_in
from tests.discretion.world import definition
from tests.enforcement_fixtures import filed, world_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]


def test_a_fine_outside_the_band_is_refused_on_the_page(page_for, live_server, world):
    benchmark_store(actor=SystemActor("test"), file_name="t.json", definition=definition())
    case = filed(world)
    base, page = live_server.url, page_for()
    sign_in(page, base, "scjg_officer")
    page.goto(f"{base}/enforcement/cases/{case.pk}/")
    if not page.get_by_test_id("do-end_investigation").is_visible():
        page.get_by_test_id("open-end_investigation").click()
    form = page.get_by_test_id("form-end_investigation")
    expect(form.get_by_test_id("band-rows")).to_contain_text("65,000 元至 85,000 元")
    form.get_by_label("违法事实").fill("当事人销售超过保质期的食品 12 袋")
    form.get_by_label("依据", exact=True).fill("《食品安全法》第一百二十四条第一款")
    form.get_by_label("罚款", exact=True).check()
    form.get_by_label("罚款金额（元）").fill("5000")
    form.get_by_test_id("do-end_investigation").click()
    expect(page.locator(".messages")).to_contain_text("amount_outside_band")
    expect(page.get_by_test_id("case-status")).to_have_text("调查取证")

    if not page.get_by_test_id("do-end_investigation").is_visible():
        page.get_by_test_id("open-end_investigation").click()
    form = page.get_by_test_id("form-end_investigation")
    form.get_by_label("违法事实").fill("当事人销售超过保质期的食品 12 袋")
    form.get_by_label("依据", exact=True).fill("《食品安全法》第一百二十四条第一款")
    form.get_by_label("罚款", exact=True).check()
    form.get_by_label("罚款金额（元）").fill("5000")
    form.get_by_label("超出裁量基准幅度的理由（拟处罚款超出幅度时必填，供法制审核）").fill(
        "当事人货值仅二百余元且已全部召回，按一般幅度处罚明显过重")
    form.get_by_test_id("do-end_investigation").click()
    expect(page.get_by_test_id("case-status")).to_have_text("调查终结")
    expect(page.get_by_test_id("band-reason")).to_contain_text("已全部召回")
