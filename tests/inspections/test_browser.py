"""The field page on a phone in a real browser (Debian's Chromium driven by Playwright): captured offline, queued on
the phone, synced exactly once when the network returns."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind
from jianguan.catalog.models import Implementation
from jianguan.inspections import contracts, drafts, views
from jianguan.inspections.models import Evidence, FieldInspection, Status
from tests.catalog_fixtures import FOOD
from tests.conftest import PASSWORD
from tests.library_fixtures import SYSTEM

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]

PHONE = {"width": 375, "height": 812}
# While offline the page's calls to the API fail on purpose; the browser reports each one on the console.
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "Failed to fetch", "status of 409")
# Refusals a test provokes on purpose: path → statuses.
EXPECTED = {"/api/v1/inspections/sync": (409,)}


@pytest.fixture
def production_live_server(tmp_path, settings) -> Iterator[str]:
    """A second live server serving static files as a deployment without debug (`make demo`) does: collected by
    the production storage (hashed names, module imports rewritten to them) and served by whitenoise."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "jianguan.config.staticfiles.ProductionStaticFilesStorage"}}
    # The API's documentation assets (ninja) are most of the bytes to compress and no page here loads them.
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["ninja"])
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda application: application  # whitenoise answers /static/, not the finders
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def _colleague(city: Department):
    user = accounts.user_create(actor=SYSTEM, username="field_colleague", full_name="李强", department=city,
                                password_hash="!", roles=["officer"])
    accounts.credential_add(actor=SYSTEM, user=user, number="42120077700001", issued_by="咸宁市人民政府",
                            valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2029, 12, 31), domains=["市场监管"],
                            qualifications=["食品"])
    return user


def _phone(browser: Browser, base: str, problems: list[str]):
    """A phone-sized context signed in as 张伟 (scjg_officer) on the field page, its location given."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", permissions=["geolocation"],
                                  geolocation={"latitude": 29.8415, "longitude": 114.3223, "accuracy": 12})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not any(n in m.text for n in OFFLINE_NOISE) else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.status not in EXPECTED.get(r.url.removeprefix(base), ()) else None)
    page.on("request", lambda r: problems.append(f"outside request {r.url}")
            if not r.url.startswith((base, "data:", "blob:")) else None)
    page.goto(base + "/login/?next=/inspections/field/")
    page.get_by_label("用户名").fill("scjg_officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("sw-state")).to_have_text("可离线使用")  # the service worker controls the page
    return context, page


def _sign(page) -> None:
    pad = page.get_by_test_id("signature")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 60)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 60 + (15 if step % 2 else -15))
    page.mouse.up()


def test_an_inspection_captured_offline_is_synced_exactly_once(browser, live_server, small_catalog, xianan_entity):
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    _colleague(city)
    code = Implementation.objects.get(item__code=FOOD, body=city).code
    base = live_server.url
    problems: list[str] = []
    context, page = _phone(browser, base, problems)
    try:
        expect(page.get_by_test_id("tasks")).to_contain_text("暂无待检查任务")  # the field data is on the phone

        context.set_offline(True)
        assert page.reload().from_service_worker  # the shell from the service worker's cache
        # Chromium leaves navigator.onLine true in a document its service worker served while offline (the network
        # itself stays off): set the flag again so that the page's own view agrees with the network.
        context.set_offline(False)
        context.set_offline(True)
        expect(page.get_by_test_id("network")).to_contain_text("离线")
        assert page.evaluate("fetch('/api/v1/health').then(() => 'reached', () => 'offline')") == "offline"
        expect(page.get_by_test_id("tasks")).to_contain_text("暂无待检查任务")  # the field data from IndexedDB
        page.get_by_test_id("new-inspection").click()
        page.get_by_label("检查事项").select_option(code)
        page.get_by_label("当事人统一社会信用代码").fill(xianan_entity.uscc)
        page.get_by_label("检查地点").fill("店堂及仓库")
        page.get_by_label("42120077700001").check()
        items = page.locator(".check-item")
        expect(items).to_have_count(3)
        for n in range(3):
            items.nth(n).get_by_label("合格", exact=True).check()
        page.locator("#photos").set_input_files(files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg",
                                                         "buffer": _photo()}])
        expect(page.get_by_test_id("photo")).to_have_count(1)
        expect(page.get_by_test_id("location")).to_contain_text("29.8415")
        _sign(page)
        page.get_by_label("检查结果").select_option("no_problem")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("button", name="保存并提交").click()

        item = page.get_by_test_id("queued-item")
        expect(item).to_have_count(1)
        expect(item.get_by_test_id("sync-state")).to_have_text("待同步")
        assert not FieldInspection.objects.exists()

        context.set_offline(False)  # the online event sends the queue
        expect(item.get_by_test_id("sync-state")).to_have_text("已同步", timeout=30_000)
        stored = FieldInspection.objects.get()
        assert stored.status == Status.SUBMITTED and stored.number and item.inner_text().count(stored.number) == 1
        assert [row["answer"] for row in stored.checklist] == ["pass", "pass", "pass"]
        assert str(stored.latitude) == "29.841500" and stored.signature_sha256
        assert sorted(stored.officers.values_list("username", flat=True)) == ["field_colleague", "scjg_officer"]
        assert Evidence.objects.filter(inspection=stored).count() == 1

        page.reload()  # opened again, online: nothing is sent twice
        expect(page.get_by_test_id("sync-state")).to_have_text("已同步")
        assert FieldInspection.objects.count() == 1 and Evidence.objects.count() == 1
        assert stored.documents and len(FieldInspection.objects.get().documents) == 1
    finally:
        context.close()
    assert not problems, problems  # no script error, no CSP violation, nothing refused, nothing from outside


def test_a_task_changed_on_the_server_meanwhile_shows_the_conflict(browser, live_server, small_catalog,
                                                                    xianan_entity):
    """A spot-check task waits in 我的任务; the officer works on it offline while a colleague changes the server's
    copy. Back online the phone is refused (409) and shows both versions; the officer chooses to send theirs."""
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    colleague = _colleague(city)
    card = contracts.assign(actor=SYSTEM, origin_kind="spot_check", origin_ref="3/41", department=city,
                            implementation_code=Implementation.objects.get(item__code=FOOD, body=city).code,
                            party={"kind": "entity", "uscc": xianan_entity.uscc},
                            officers=["scjg_officer", colleague.username])
    problems: list[str] = []
    context, page = _phone(browser, live_server.url, problems)
    try:
        task = page.get_by_test_id("task")
        expect(task).to_contain_text(xianan_entity.name)
        context.set_offline(True)
        task.get_by_role("button", name="开始检查").click()
        expect(page.get_by_label("42120077700001")).to_be_checked()  # the task's officers
        page.get_by_label("检查地点").fill("门店")
        items = page.locator(".check-item")
        for n in range(3):
            items.nth(n).get_by_label("合格", exact=True).check()
        _sign(page)
        page.get_by_label("检查结果").select_option("no_problem")
        page.get_by_role("button", name="保存并提交").click()
        item = page.get_by_test_id("queued-item")
        expect(item.get_by_test_id("sync-state")).to_have_text("待同步")

        drafts.inspection_update(actor=colleague, inspection_id=card.id, base_version=1, values={"place": "仓库"})
        context.set_offline(False)
        expect(item.get_by_test_id("sync-state")).to_have_text("冲突", timeout=30_000)
        conflict = item.get_by_test_id("conflict")
        expect(conflict).to_contain_text("仓库")  # the server's version
        expect(conflict).to_contain_text("门店")  # this phone's
        assert FieldInspection.objects.get().place == "仓库"  # nothing overwritten

        item.get_by_role("button", name="以本机版本重新提交").click()
        expect(item.get_by_test_id("sync-state")).to_have_text("已同步", timeout=30_000)
        stored = FieldInspection.objects.get()
        assert stored.place == "门店" and stored.status == Status.SUBMITTED and stored.version == 4
        assert stored.origin_ref == "3/41" and FieldInspection.objects.count() == 1
    finally:
        context.close()
    assert not problems, problems


def test_the_field_page_works_offline_from_collected_static_files(browser, production_live_server, small_catalog):
    """Collected for production, each module has a hashed name and imports the others by theirs; the service worker
    keeps them all, so that offline the page still opens and its modules run (IndexedDB, the form, its checks)."""
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    code = Implementation.objects.get(item__code=FOOD, body=city).code
    base = production_live_server
    problems: list[str] = []
    served: list[tuple[str, bool]] = []  # each module answered: its path, whether the service worker answered
    context, page = _phone(browser, base, problems)
    page.on("response", lambda r: served.append((r.url.removeprefix(base), r.from_service_worker))
            if "/static/inspections/field/" in r.url else None)
    try:
        expect(page.get_by_test_id("tasks")).to_contain_text("暂无待检查任务")
        context.set_offline(True)
        assert page.reload().from_service_worker
        context.set_offline(False)  # see test_an_inspection_captured_offline_is_synced_exactly_once
        context.set_offline(True)
        expect(page.get_by_test_id("network")).to_contain_text("离线")
        expect(page.get_by_test_id("tasks")).to_contain_text("暂无待检查任务")  # the field data from IndexedDB
        page.get_by_test_id("new-inspection").click()
        page.get_by_label("检查事项").select_option(code)
        expect(page.locator(".check-item")).to_have_count(3)
        page.get_by_role("button", name="保存并提交").click()
        expect(page.get_by_test_id("form-error")).to_contain_text("请当事人签名")
        expect(page.get_by_test_id("queued-item")).to_have_count(0)
    finally:
        context.close()
    paths = {path for path, _ in served}
    names = {re.sub(r"\.[0-9a-f]{12}\.js$", ".js", Path(path).name) for path in paths}
    assert names == {Path(module).name for module in views.FIELD_MODULES} and len(paths) == len(names), paths
    assert all(re.fullmatch(r"/static/inspections/field/\w+\.[0-9a-f]{12}\.js", path) for path in paths), paths
    assert all(from_worker for _, from_worker in served), served  # the browser's HTTP cache is not what kept them
    assert not problems, problems
