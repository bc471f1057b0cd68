"""The classes validated by spot-check outcomes (issue 17 item 4): the Wilson interval, what counts as a problem
found, where the rates do not rise (on both sides of equality), the report by class, month and department with
the A-class control sample apart, its scope, the page and its workbook."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from jianguan.spotchecks import drawing, task_setup, validation
from jianguan.spotchecks.models import CheckResult
from jianguan.spotchecks.validation import Rate
from tests.spotcheck_fixtures import MOMENT, VALUE, WINDOW, _witness

pytestmark = pytest.mark.django_db


def test_the_wilson_interval_matches_its_formula():
    low, high = validation.wilson(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = validation.wilson(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert validation.wilson(10, 10)[1] == 1 and validation.wilson(10, 10)[0] == pytest.approx(0.7225, abs=1e-4)
    assert validation.wilson(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize(("codes", "found"), [
    (["1"], False), (["F"], False), (["1", "F"], False), (["E"], True), (["A", "3"], True), (["6"], True),
    (["1", "E"], True), (["7"], None), (["9", "12"], None), (["1", "7"], False), ([], None)])
def test_what_counts_as_a_problem_found(codes, found):
    assert validation.outcome(codes) is found


def _rates(**counts: tuple[int, int]) -> dict[str, Rate]:
    return {name: Rate(name, *counts.get(name, (0, 0))) for name in validation.ROWS}


def test_rates_must_rise_from_a_to_d_and_equal_rates_do_not():
    rising = _rates(A=(100, 5), B=(100, 10), C=(100, 20), D=(100, 40))
    assert validation.flags(rising) == ()
    equal = _rates(A=(100, 5), B=(100, 10), C=(100, 10), D=(100, 40))
    assert validation.flags(equal) == (validation.Flag("B", "C", clear=False),)
    just_below = _rates(A=(100, 5), B=(1000, 100), C=(1000, 101), D=(100, 40))
    assert validation.flags(just_below) == ()
    reversed_clearly = _rates(A=(500, 250), B=(500, 10), C=(100, 20), D=(100, 40))
    assert validation.flags(reversed_clearly) == (validation.Flag("A", "B", clear=True),)
    unchecked = _rates(A=(100, 50), C=(100, 20), D=(100, 40))  # B unchecked: no pair through it
    assert validation.flags(unchecked) == ()


@pytest.fixture
def outcomes(published, food_task, persona):
    """A draw by class; per stratum, its results entered with problems found in the first `share` of them (A and
    the control sample low, D high), checked in June and, for the D-class ones, half in July."""
    admin = persona("scjg_admin")
    task = task_setup.task_create(actor=admin, plan_id=food_task.plan_id, name="按信用风险分类抽查",
                                  items=food_task.items, window_start=WINDOW[0], window_end=WINDOW[1],
                                  max_objects_per_inspector=500,
                                  strata={"A": {"ratio": "0.05"}, "B": {"ratio": "0.2"}, "C": {"ratio": "0.6"},
                                          "D": {"ratio": "1"}})
    task_setup.task_publish(actor=admin, task_id=task.pk)
    draw = drawing.draw_commit(actor=admin, task_id=task.pk, beacon=_witness(), now=MOMENT)
    draw = drawing.draw_reveal(actor=admin, draw_id=draw.pk, beacon_value=VALUE, now=MOMENT + dt.timedelta(minutes=1))
    share = {"A": 0.0, "AC": 1.0, "B": 0.1, "C": 0.3, "D": 0.6}
    expected: dict[str, list[int]] = {}
    for stratum in draw.result["selected"]:
        rows = list(CheckResult.objects.filter(draw=draw, stratum=stratum).order_by("entity__uscc"))
        problems = round(len(rows) * share[stratum])
        for index, row in enumerate(rows):
            day = dt.date(2025, 7, 1) if stratum == "D" and index % 2 else dt.date(2025, 6, 10)
            CheckResult.objects.filter(pk=row.pk).update(
                codes=["E"] if index < problems else ["1"], checked_on=day, entered_at=timezone.now())
        expected[stratum] = [len(rows), problems]
    return draw, expected


def test_the_report_counts_by_class_with_the_control_sample_apart(outcomes, persona):
    draw, expected = outcomes
    assert all(expected[name][0] > 0 for name in ("AC", "B", "C", "D"))
    found = validation.report(reader=persona("scjg_head"))
    rates = found.overall.rates
    for name in ("B", "C", "D", "AC"):
        assert (rates[name].checked, rates[name].problems) == tuple(expected[name])
    a_checked = expected.get("A", [0, 0])
    assert rates["A"].checked == a_checked[0] + expected["AC"][0]
    assert rates["A"].problems == a_checked[1] + expected["AC"][1]
    assert [row.label for row in found.months] == ["2025-06", "2025-07"]
    july = found.months[1].rates
    assert july["D"].checked == expected["D"][0] // 2 and july["B"].checked == 0
    assert [row.label for row in found.departments] == [draw.task.lead.name]
    assert found.departments[0].rates["C"].checked == expected["C"][0]


def test_the_report_flags_where_the_rates_do_not_rise(outcomes, persona):
    """With the control sample all problems, A (with its control sample) finds more than B (10 %): flagged."""
    found = validation.report(reader=persona("scjg_head"))
    assert ("A", "B") in {(flag.lower, flag.higher) for flag in found.overall.flags}
    assert ("C", "D") not in {(flag.lower, flag.higher) for flag in found.overall.flags}


def test_the_report_leaves_out_what_is_not_a_check_of_a_class(outcomes, persona):
    draw, expected = outcomes
    first = CheckResult.objects.filter(draw=draw, stratum="B").order_by("pk").first()
    CheckResult.objects.filter(pk=first.pk).update(codes=["9"])
    found = validation.report(reader=persona("scjg_head"))
    assert found.overall.rates["B"].checked == expected["B"][0] - 1
    assert found.left_out == 1


def test_the_report_is_scoped_to_the_reader(outcomes, persona):
    assert validation.report(reader=persona("scjg_head")).overall.rates["D"].checked > 0
    other = validation.report(reader=persona("sthj_officer"))
    assert other.months == () and other.overall.rates["D"].checked == 0


def test_heads_and_data_administrators_read_the_page_and_its_workbook(outcomes, persona, signed_in):
    page = signed_in(persona("scjg_head")).get("/spotchecks/validation/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and 'data-testid="validation"' in text and "2025-07" in text
    assert signed_in(persona("dataadmin")).get("/spotchecks/validation/").status_code == 200
    assert signed_in(persona("scjg_officer")).get("/spotchecks/validation/").status_code == 403
    assert signed_in(persona("scjg_officer")).get("/spotchecks/validation/xlsx/").status_code == 403
    workbook = signed_in(persona("scjg_head")).get("/spotchecks/validation/xlsx/")
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:3] == ("分组", "类别", "检查户数")
    d_line = next(line for line in lines if line[0] == "全部" and line[1] == "D")
    assert d_line[2] == validation.report(reader=persona("scjg_head")).overall.rates["D"].checked
