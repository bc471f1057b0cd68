"""One penalty case from clue to archive through the pages, in Debian's Chromium: the officer registers the clue
and proposes filing, the head approves, the officer records the site check, uploads a photo (its SHA-256
computed in the browser), ends the investigation and notifies, the head decides, the officer serves and records
the payment, the head approves closing, the officer archives and downloads the case file."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jianguan.enforcement.models import Case
from tests.browser_fixtures import sign_in
from tests.enforcement_fixtures import sha, world_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def _switch(page: Page, base: str, username: str, case_id: int) -> None:
    page.get_by_role("button", name="退出").click()
    sign_in(page, base, username)
    page.goto(f"{base}/enforcement/cases/{case_id}/")


def _open(page: Page, action: str):
    """The action's form, unfolded (the first allowed action's form is open already)."""
    if not page.get_by_test_id(f"do-{action}").is_visible():
        page.get_by_test_id(f"open-{action}").click()
    return page.get_by_test_id(f"form-{action}")


def _do(page: Page, action: str, status: str) -> None:
    """Submit the action's form and wait for the case's new status."""
    _open(page, action)
    page.get_by_test_id(f"do-{action}").click()
    expect(page.get_by_test_id("case-status")).to_have_text(status)


def test_a_case_from_clue_to_archive_through_the_pages(page_for, live_server, world, tmp_path):
    base = live_server.url
    page = page_for()
    sign_in(page, base, "scjg_officer")
    page.goto(f"{base}/enforcement/cases/")
    page.get_by_test_id("case-new").click()
    form = page.get_by_test_id("clue-form")
    form.get_by_label("案件来源").select_option("report")
    form.get_by_label("来源编号").fill("JB-BROWSER-1")
    form.get_by_label("当事人统一社会信用代码").fill(world.entity.uscc)
    form.get_by_label("线索内容").fill("群众举报该店销售过期食品")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("case-status")).to_have_text("线索待核查")
    case = Case.objects.get(source_ref="JB-BROWSER-1")
    expect(page.get_by_test_id("steps")).to_contain_text("第十八条")

    form = _open(page, "propose_filing")
    form.get_by_label("李强（case_officer_b）").check()
    form.get_by_label("案由").fill("销售超过保质期的食品")
    form.get_by_label("监管事项目录编码（行政处罚子项）").fill(world.catalog)
    form.get_by_label("检查实施清单编码").fill(world.implementation)
    _do(page, "propose_filing", "立案待审批")
    expect(page.get_by_test_id("no-actions")).to_be_visible()  # the handler waits for the head

    _switch(page, base, "scjg_head", case.pk)
    _open(page, "approve_filing").get_by_label("意见").fill("同意立案")
    _do(page, "approve_filing", "调查取证")
    expect(page.get_by_test_id("documents")).to_contain_text("立案审批表")

    _switch(page, base, "scjg_officer", case.pk)
    _open(page, "record_onsite").get_by_label("现场检查情况").fill("货架上有超过保质期的食品 12 袋")
    _do(page, "record_onsite", "调查取证")
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    page.get_by_label("文件（jpg、png、pdf、mp3、wav、mp4）").set_input_files(str(photo))
    expect(page.locator("[data-evidence-digest]")).to_have_text(f"SHA-256: {sha(PNG)}")
    page.get_by_role("button", name="上传证据").click()
    expect(page.get_by_test_id("evidence")).to_contain_text("现场.png")

    form = _open(page, "end_investigation")
    form.get_by_label("违法事实").fill("当事人销售超过保质期的食品 12 袋")
    form.get_by_label("依据", exact=True).fill("《食品安全法》第一百二十四条第一款")
    form.get_by_label("警告", exact=True).check()
    form.get_by_label("罚款", exact=True).check()
    form.get_by_label("罚款金额（元）").fill("5000")
    _do(page, "end_investigation", "调查终结")
    _do(page, "notify", "已告知（陈述申辩）")

    _switch(page, base, "scjg_head", case.pk)
    _do(page, "decide", "已作出决定")
    number = page.get_by_test_id("decision-number").inner_text()
    assert number.startswith("咸市监处罚〔")

    _switch(page, base, "scjg_officer", case.pk)
    _do(page, "serve", "已送达（执行中）")
    _open(page, "record_payment").get_by_label("缴款金额（元）").fill("5000")
    _do(page, "record_payment", "已送达（执行中）")
    expect(page.get_by_test_id("payment")).to_contain_text("✓")
    _do(page, "propose_closing", "结案待审批")

    _switch(page, base, "scjg_head", case.pk)
    _do(page, "approve_closing", "已结案")
    _switch(page, base, "scjg_officer", case.pk)
    _do(page, "archive", "已归档")
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(case.events.count())
    with page.expect_download() as download:
        page.get_by_test_id("case-file").click()
    saved = tmp_path / "case.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    case.refresh_from_db()
    assert case.status == "archived" and case.decision_number == number
