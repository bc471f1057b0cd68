"""Dead ends users met: a joint task's visit by one officer of each department (two in total, 行政处罚法 第四十二条);
the number shown after 转为案件线索 finds the case in the case list; the result form offers a date inside the task's
window and keeps what was entered when it is refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind
from jianguan.behaviour.models import Inspection
from jianguan.catalog.models import Implementation
from jianguan.complaints import services as complaints
from jianguan.inspections.models import FieldInspection
from jianguan.spotchecks import check_results, drawing, plans, task_setup
from jianguan.spotchecks.models import CheckResult
from jianguan.spotchecks.views import entry_day
from tests.catalog_fixtures import FOOD, department_admin
from tests.library_fixtures import SYSTEM
from tests.spotcheck_fixtures import MOMENT, VALUE, WINDOW, _drawn, _witness

pytestmark = pytest.mark.django_db


def _inspector(department: Department, username: str, serial: int):
    user = accounts.user_create(actor=SYSTEM, username=username, full_name=f"联检员{serial}", department=department,
                                password_hash="!", roles=["officer"])
    accounts.credential_add(actor=SYSTEM, user=user, number=f"42120088{serial:05d}", issued_by="咸宁市人民政府",
                            valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2029, 12, 31), domains=["市场监管"],
                            qualifications=["食品"])
    return user


@pytest.fixture
def joint_task(small_catalog, persona, city_scjg):
    """A joint task of 咸安区's 市场监管局 (the lead: objects in 咸安区) with the city's, one inspector from each per
    object."""
    county = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421202")
    _inspector(city_scjg, "joint_city", 1)
    _inspector(county, "joint_county", 2)
    admin = department_admin(DepartmentKind.SCJG, "421202")
    plan = plans.plan_create(actor=admin, year=2025, title="2025年度联合抽查计划")
    plans.plan_file(actor=admin, plan_id=plan.pk)
    plans.plan_publish(actor=admin, plan_id=plan.pk)
    items = [Implementation.objects.get(item__code=FOOD, body=body).code for body in (city_scjg, county)]
    task = task_setup.task_create(actor=admin, plan_id=plan.pk, name="食品经营者联合抽查", items=items,
                                  departments=[city_scjg.pk], window_start=WINDOW[0], window_end=WINDOW[1],
                                  strata={"ALL": {"count": 2}}, inspectors_per_department=1,
                                  max_objects_per_inspector=5)
    task_setup.task_publish(actor=admin, task_id=task.pk)
    return task


def test_a_joint_visit_by_one_officer_of_each_department_is_accepted(joint_task, persona, city_scjg):
    admin = department_admin(DepartmentKind.SCJG, "421202")
    draw = drawing.draw_commit(actor=admin, task_id=joint_task.pk, beacon=_witness(), now=MOMENT)
    draw = drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE, now=MOMENT + dt.timedelta(minutes=1))
    check, other = CheckResult.objects.filter(draw=draw).order_by("pk")
    visitors = list(check.inspectors.all())
    assert len(visitors) == 2 and len({u.department_id for u in visitors}) == 2  # one of each, two in total
    mine = next(u for u in visitors if u.department_id == city_scjg.pk)
    drafts = check_results.result_inspect(actor=mine, result_id=check.pk)
    draft = FieldInspection.objects.get(pk=drafts[0].id)
    assert draft.department_id == city_scjg.pk
    assert {u.pk for u in draft.officers.all()} == {u.pk for u in visitors}
    # the result of another object, not started on site, is its 行政检查 record, by the officers of both
    pair = list(other.inspectors.all())
    assert len(pair) == 2 and len({u.department_id for u in pair}) == 2
    theirs = next(u for u in pair if u.department_id == city_scjg.pk)
    entered = check_results.result_enter(actor=theirs, result_id=other.pk, codes=["1"], checked_on=WINDOW[0])
    record = Inspection.objects.get(number=entered.inspection_numbers[0])
    assert record.inspectors[0] == theirs.full_name and len(record.inspectors) == 2
    assert all(record.credential_numbers)


def test_the_number_shown_after_the_clue_button_finds_the_case(client, persona, xianan_entity):
    complaint = complaints.complaint_receive(actor=SYSTEM, channel="api", values={
        "kind": "report", "category": "food", "subject_uscc": xianan_entity.uscc, "content": "饭店使用过期原料",
        "complainant_name": "李四", "complainant_phone": "13800000000"})
    client.force_login(persona("xa_scjg_officer"))
    response = client.post(f"/complaints/{complaint.pk}/clue/", {"note": "转立案核查"})
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    numbers = re.findall(r"[A-Z]{2}[0-9][0-9A-Z-]+", shown)
    assert numbers, shown
    for number in numbers:  # the case number and the clue number each find the case
        page = client.get("/enforcement/cases/", {"q": number}).content.decode()
        assert "饭店使用过期原料" in page or xianan_entity.name in page, number


def test_the_result_form_offers_a_day_in_the_window_and_keeps_a_refused_entry(food_task, persona, client):
    assert entry_day(food_task, dt.date(2026, 12, 7)) == WINDOW[1]  # after the window: its last day
    assert entry_day(food_task, dt.date(2025, 5, 1)) == WINDOW[0]  # before: its first day
    assert entry_day(food_task, dt.date(2025, 6, 20)) == dt.date(2025, 6, 20)
    draw = _drawn(food_task, persona)
    check = CheckResult.objects.filter(draw=draw).first()
    client.force_login(check.inspectors.first())
    page = client.get(f"/spotchecks/checks/{check.pk}/").content.decode()
    assert 'value="2025-07-31"' in page  # today (December 2026) is past the window
    response = client.post(f"/spotchecks/checks/{check.pk}/", {
        "codes": ["1", "E"], "checked_on": "2025-06-05", "problems": "货架上有过期食品", "evidence": "照片 3 张"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="2025-06-05"' in page and "货架上有过期食品" in page and "照片 3 张" in page
    assert re.search(r'value="E" checked', page) and re.search(r'value="1" checked', page)
    assert 'value="6" checked' not in page
    check.refresh_from_db()
    assert check.entered_at is None
