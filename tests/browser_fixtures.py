"""Chromium for the browser tests (Debian's, driven by Playwright): the browser once per module, pages that fail
the test on any script error, refused response or request outside the live server, and signing in as a persona.
Registered for every test by tests/conftest.py."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_for(browser, live_server):
    pages: list[Page] = []
    problems: list[str] = []

    def make(width: int = 1280, height: int = 800) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("request", lambda r: problems.append(f"outside request {r.url}")
                if not r.url.startswith((live_server.url, "data:", "blob:")) else None)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()
    assert not problems, problems  # no script error, no CSP violation, nothing fetched from outside


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/")
    expect(page).to_have_url(f"{base}/login/?next=/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")
