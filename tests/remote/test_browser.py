"""From alarm to remote check through the pages, in Debian's Chromium on a phone's width: the officer opens the
alarm queue, follows an open 化学需氧量 alarm, records a 非现场检查 with a colleague, sees the alarm disposed and
the check on the entity's information chain."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianguan.behaviour.models import Inspection
from jianguan.remote.models import AlarmState, DisposalStatus
from tests.browser_fixtures import sign_in
from tests.remote.world import open_alarm

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_live_db")]
COLLEAGUE = "scjg_421200_01"


@pytest.fixture
def alarm(seeded_live_db, small_catalog, xianan_entity) -> AlarmState:
    """A pollution point of a 咸安区 entity, registered by the city 市场监管局, with an open alarm (after the live
    database is seeded)."""
    return open_alarm(xianan_entity)


def test_an_officer_turns_an_alarm_into_a_remote_check_on_a_phone(page_for, live_server, alarm, xianan_entity):
    base = live_server.url
    page = page_for(360, 740)
    sign_in(page, base, "scjg_officer")
    page.goto(f"{base}/remote/alarms/")
    page.get_by_test_id("alarm-queue").get_by_role("link", name=alarm.title).click()
    expect(page).to_have_url(f"{base}/remote/alarms/{alarm.pk}/")
    check = page.locator("form", has=page.locator('input[name="action"][value="remote_check"]'))
    check.get_by_label("检查结果").fill("发现问题")
    check.get_by_label("共同检查人员（用户名）").fill(COLLEAGUE)
    check.get_by_label("说明").fill("调阅在线监测数据，化学需氧量连续三小时超过许可排放浓度")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check.get_by_role("button", name="非现场检查").click()
    expect(page).to_have_url(f"{base}/remote/alarms/{alarm.pk}/")
    expect(page.get_by_text("已非现场检查")).to_be_visible()
    expect(page.locator('input[name="action"][value="remote_check"]')).to_have_count(0)  # done once
    inspection = Inspection.objects.get(entity=xianan_entity, category="2")
    assert AlarmState.objects.get(pk=alarm.pk).disposal == DisposalStatus.CHECKED
    assert inspection.method == "非现场" and len(inspection.raw["evidence"]) == 3

    page.goto(f"{base}/subjects/{xianan_entity.uscc}/")
    expect(page.get_by_text(f"非现场检查：{alarm.title}")).to_be_visible()
    expect(page.get_by_text(inspection.number).first).to_be_visible()


@pytest.fixture
def finding(seeded_live_db, small_catalog, xianan_entity):
    """A located point of the entity and a satellite finding of the city 自然资源和规划局 over it."""
    import datetime as dt

    from jianguan.accounts.models import Department, DepartmentKind
    from jianguan.remote import services
    from tests.remote.world import SYSTEM, register

    point = register(xianan_entity, code="MN-MAP")
    services.point_update(actor=SYSTEM, point=point, name=point.name, interval_seconds=point.interval_seconds,
                          longitude="114.35", latitude="29.85")
    square = {"type": "Polygon", "coordinates": [[[114.34, 29.84], [114.36, 29.84], [114.36, 29.86],
                                                  [114.34, 29.86], [114.34, 29.84]]]}
    return services.finding_record(actor=SYSTEM, source="卫星遥感", geometry=square, observed_on=dt.date(2026, 11, 2),
                                   department=Department.objects.get(kind=DepartmentKind.ZRZY, region_id="421200"))


def test_an_officer_follows_a_finding_from_the_map_to_the_entity(page_for, live_server, finding, xianan_entity):
    base = live_server.url
    page = page_for()
    sign_in(page, base, "zrzy_421200_01")
    page.goto(f"{base}/remote/map/")
    expect(page.get_by_test_id("map-figures")).to_contain_text("巡查发现 1")
    polygon = page.get_by_test_id("survey-map").locator(f'a[href="/remote/findings/{finding.pk}/"]')
    polygon.click(position={"x": 12, "y": 12})  # inside the square, away from the marker at its centre
    expect(page).to_have_url(f"{base}/remote/findings/{finding.pk}/")
    expect(page.get_by_test_id("finding-entities")).to_contain_text(xianan_entity.name)
    page.get_by_test_id("finding-map").locator("a[data-marker]").click()
    expect(page).to_have_url(f"{base}/subjects/{xianan_entity.uscc}/")
