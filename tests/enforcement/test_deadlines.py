"""The clocks of a penalty case against the real holiday calendar (国庆 2026: 1–7 October off, Saturday 10 October
worked), the decision clock with the time a hearing or a test takes left out, the late fee, and the alerts the
background task keeps per officer and department."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.models import CalendarDay
from jianguan.enforcement import deadlines, selectors, tasks
from jianguan.enforcement.models import DeadlineAlert
from jianguan.enforcement.procedure import SAMR
from tests.enforcement_fixtures import ENDING, act, filed, register, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
day = dt.date


def test_a_clue_received_before_national_day_is_due_after_golden_week():
    """15 working days from Tuesday 29 September 2026: the holiday week does not count, the Saturday worked
    does; counting weekdays alone would give 20 October, six days too early."""
    assert deadlines.check_due(day(2026, 9, 29), rules=SAMR) == day(2026, 10, 26)
    assert deadlines.check_due(day(2026, 9, 29), rules=SAMR, extended=True) == day(2026, 11, 16)


def test_an_administrators_calendar_entry_moves_the_date():
    CalendarDay.objects.create(date=day(2026, 10, 26), is_working_day=False, name="防汛停工")
    assert deadlines.check_due(day(2026, 9, 29), rules=SAMR) == day(2026, 10, 27)


@pytest.mark.parametrize(("function", "start", "due"), [
    (deadlines.preservation_due, day(2026, 9, 29), day(2026, 10, 14)),  # 7 wd
    (deadlines.hearing_request_due, day(2026, 9, 29), day(2026, 10, 12)),  # 5 wd
    (deadlines.earliest_hearing, day(2026, 9, 29), day(2026, 10, 14)),  # notice 7 wd ahead
    (deadlines.service_due, day(2026, 9, 30), day(2026, 10, 15)),  # 7 wd
    (deadlines.simple_filing_due, day(2026, 9, 30), day(2026, 10, 10)),  # 3 wd, the Saturday worked
    (deadlines.legal_review_due, day(2026, 9, 29), day(2026, 10, 19)),  # 10 wd
    (deadlines.payment_due, day(2026, 9, 29), day(2026, 10, 14)),  # 15 calendar days
])
def test_each_clock_counts_as_the_law_says(function, start, due):
    assert function(start) == due


def test_the_decision_clock_leaves_out_suspended_time_once():
    filed_on = day(2026, 6, 1)
    assert deadlines.decision_due(filed_on, rules=SAMR, today=day(2026, 7, 1)) == day(2026, 8, 30)  # 90 calendar days
    testing = (day(2026, 6, 10), day(2026, 6, 30))  # 20 days at the laboratory
    hearing = (day(2026, 6, 25), day(2026, 7, 5))  # overlaps the test by 5 days
    assert deadlines.suspended_days([testing, hearing], day(2026, 8, 1)) == 25
    assert deadlines.decision_due(filed_on, rules=SAMR, extension_days=30, suspensions=[testing, hearing],
                                  today=day(2026, 8, 1)) == day(2026, 8, 30) + dt.timedelta(days=55)
    running = (day(2026, 8, 20), None)  # an open period runs to today
    assert deadlines.suspended_days([running], day(2026, 8, 25)) == 5


def test_the_late_fee_is_three_percent_a_day_and_never_above_the_fine():
    due = day(2026, 1, 15)
    assert deadlines.late_fee(Decimal("1000"), due, due) == Decimal("0.00")
    assert deadlines.late_fee(Decimal("1000"), due, day(2026, 1, 25)) == Decimal("300.00")
    assert deadlines.late_fee(Decimal("1000"), due, day(2026, 3, 1)) == Decimal("1000")


def test_limitation_is_two_years_or_five_for_grave_harm():
    assert deadlines.limitation_ends(day(2024, 2, 29)) == day(2026, 2, 28)
    assert deadlines.limitation_ends(day(2024, 3, 1), grave=True) == day(2029, 3, 1)


def test_a_case_shows_each_open_step_with_its_due_date_and_rule(world):
    case = register(world, received_on=day(2026, 9, 29))
    steps = deadlines.open_steps(case, today=day(2026, 10, 20))
    assert [(s.key, s.due, s.state(day(2026, 10, 20))) for s in steps] == [("check", day(2026, 10, 26), "open")]
    assert "第十八条" in steps[0].rule
    act(world, case, "extend_check", world.head, {"reason": "需调取外地证据"}, today=day(2026, 10, 20))
    case.refresh_from_db()
    assert case.check_due == day(2026, 11, 16) and case.clue.check_due == day(2026, 11, 16)
    assert case.extensions.get().approved_by == world.head


def test_preservation_and_decision_steps_after_filing(world):
    case = filed(world, today=day(2026, 9, 28), received_on=day(2026, 9, 21))
    act(world, case, "preserve_request", world.officer, {"items": [{"name": "过期食品"}], "reason": "证据可能灭失"},
        today=day(2026, 9, 29))
    act(world, case, "preserve_approve", world.head, {"on": "2026-09-29"}, today=day(2026, 9, 29))
    act(world, case, "suspend", world.officer, {"kind": "testing", "reason": "送检", "on": "2026-10-09"},
        today=day(2026, 10, 9))
    case.refresh_from_db()
    steps = {s.key.split("-")[0]: s for s in deadlines.open_steps(case, today=day(2026, 10, 12))}
    assert steps["preservation"].due == day(2026, 10, 14) and "第五十六条" in steps["preservation"].rule
    assert steps["preservation"].state(day(2026, 10, 12)) == "due_soon"
    assert steps["decision"].due == day(2026, 12, 27)  # as stored on 9 October; the daily refresh moves it
    act(world, case, "resume", world.officer, {"on": "2026-10-19"}, today=day(2026, 10, 19))
    case.refresh_from_db()
    assert case.decision_due == day(2026, 12, 27) + dt.timedelta(days=10)  # the ten days at the laboratory


def test_the_task_keeps_overdue_and_due_soon_alerts_per_officer_and_department(world, persona):
    late = register(world, received_on=day(2026, 9, 29))  # check due 26 October
    soon = register(world, received_on=day(2026, 11, 2))  # check due 23 November
    calm = register(world, received_on=day(2026, 11, 20))  # check due 11 December
    act(world, late, "propose_filing", world.officer, {"officers": ["scjg_officer", "case_officer_b"],
                                                       "cause": "x", "catalog_code": world.catalog},
        today=day(2026, 10, 20))
    assert tasks.refresh(today=day(2026, 11, 20)) == 2
    alerts = {a.case_id: a for a in DeadlineAlert.objects.all()}
    assert set(alerts) == {late.pk, soon.pk} and calm.pk not in alerts
    assert (alerts[late.pk].state, alerts[late.pk].due) == ("overdue", day(2026, 10, 26))
    assert (alerts[soon.pk].state, alerts[soon.pk].due) == ("due_soon", day(2026, 11, 23))
    assert "第十八条" in alerts[late.pk].rule
    mine = selectors.alert_list(reader=world.officer, officer=world.officer)
    assert [a.case_id for a in mine] == [late.pk]  # the others have no officers yet
    assert [a.case_id for a in selectors.alert_list(reader=world.officer, state="overdue")] == [late.pk]
    assert selectors.alert_department_list(reader=world.officer) == [
        {"case__department__name": world.city.name, "overdue": 1, "due_soon": 1}]
    assert list(selectors.alert_list(reader=persona("zrzy_421221_01"))) == []  # an outsider sees none
    assert [c.pk for c in selectors.case_list(reader=world.officer, overdue=True)] == [late.pk]
    act(world, late, "approve_filing", world.head, today=day(2026, 11, 20))
    tasks.refresh(case_ids=[late.pk], today=day(2026, 11, 20))
    assert not DeadlineAlert.objects.filter(case=late, step="check").exists()  # filed: that clock has stopped
    counts = selectors.dashboard_counts(reader=world.officer)
    assert counts["mine"] == 1 and counts["overdue"] == 0


def test_the_decision_alert_follows_an_extension(world):
    case = filed(world, today=day(2026, 6, 1), received_on=day(2026, 5, 20))
    act(world, case, "end_investigation", world.officer, ENDING, today=day(2026, 8, 20))
    tasks.refresh(today=day(2026, 9, 2))
    alert = DeadlineAlert.objects.get(case=case)
    assert (alert.step, alert.state, alert.due) == ("decision", "overdue", day(2026, 8, 30))
    act(world, case, "extend_decision", world.head, {"reason": "案情复杂"}, today=day(2026, 9, 2))
    tasks.refresh(today=day(2026, 9, 2))
    assert not DeadlineAlert.objects.filter(case=case).exists()  # due 29 September now
    tasks.refresh(today=day(2026, 9, 27))
    assert DeadlineAlert.objects.get(case=case).state == "due_soon"
