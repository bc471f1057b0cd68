"""Procedure rules per line: a 市场监管 case runs on SAMR's 程序规定, a 生态环境 case on the 生态环境行政处罚办法, a
交通运输 case (a line without a rule set of its own) on the general 行政处罚法; each clock cites its line's rule and
is tested on its due day and the day after; a year the holiday table does not know counts weekdays."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.core.errors import InvalidTransition
from jianguan.enforcement import deadlines, procedure, registration, selectors
from jianguan.enforcement.procedure import GENERAL, MEE, SAMR
from tests.enforcement_fixtures import act, make_user, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
day = dt.date
VALID = (day(2024, 1, 1), day(2029, 12, 31))


def _department(kind: str) -> Department:
    return Department.objects.select_related("region").get(kind=kind, region_id="421200")


def _case(kind: str, received_on: dt.date, world):
    department = _department(kind)
    officer = make_user(f"rules_{kind}_a", "周一", department, ["officer"], VALID)
    make_user(f"rules_{kind}_b", "吴二", department, ["officer"], VALID)
    make_user(f"rules_{kind}_head", "郑三", department, ["head"])
    return registration.case_register(actor=officer, department=department, party={"uscc": world.entity.uscc},
                                  summary="举报", source="report", source_ref=f"RULES-{kind}-{received_on}",
                                  received_on=received_on)


def _check_step(case, today):
    return next(s for s in deadlines.open_steps(case, today=today) if s.key == "check")


def test_each_line_maps_to_its_rule_set_and_an_unnamed_line_falls_back():
    assert procedure.for_line(DepartmentKind.SCJG) is SAMR
    assert procedure.for_line(DepartmentKind.STHJ) is MEE
    assert procedure.for_line(DepartmentKind.JTYS) is GENERAL
    with override_settings(JIANGUAN_PROCEDURE_RULES={"jtys": "samr"}):
        assert procedure.for_line(DepartmentKind.JTYS) is SAMR and procedure.for_line(DepartmentKind.SCJG) is GENERAL


@pytest.mark.once
def test_the_setting_names_itself_when_a_pair_is_wrong(tmp_path):
    assert procedure.parse_lines(["scjg=samr", " sthj = mee "]) == {"scjg": "samr", "sthj": "mee"}
    for bad in (["scjg"], ["scjg=nope"], ["=samr"]):
        with pytest.raises(ValueError):
            procedure.parse_lines(bad)
    env = {**os.environ, "JIANGUAN_PROCEDURE_RULES": "scjg=nope", "JIANGUAN_VAR_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "jianguan", "check"], env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode != 0 and "JIANGUAN_PROCEDURE_RULES" in done.stderr


def test_a_market_case_counts_working_days_and_cites_the_samr_rule(world):
    """SAMR 第十八条: 15 working days from Tuesday 29 September 2026 (国庆 off, Saturday 10 October worked)."""
    case = _case(DepartmentKind.SCJG, day(2026, 9, 29), world)
    assert case.check_due == day(2026, 10, 26)
    step = _check_step(case, day(2026, 10, 26))
    assert step.rule.startswith("《市场监督管理行政处罚程序规定》第十八条")
    assert step.state(day(2026, 10, 26)) == "due_soon"  # the due day itself is still in time
    assert step.state(day(2026, 10, 27)) == "overdue"  # the day after is late


def test_an_environment_case_counts_calendar_days_and_cites_the_environment_rule(world):
    """生态环境行政处罚办法: 15 days from 29 September are 14 October, through the holiday week."""
    case = _case(DepartmentKind.STHJ, day(2026, 9, 29), world)
    assert case.check_due == day(2026, 10, 14)
    step = _check_step(case, day(2026, 10, 14))
    assert step.rule.startswith("《生态环境行政处罚办法》") and "市场监督管理" not in step.rule
    assert step.state(day(2026, 10, 14)) == "due_soon" and step.state(day(2026, 10, 15)) == "overdue"
    head = make_user("rules_sthj_head", "郑三", case.department, ["head"])
    shown = {a["action"]: a["citation"] for a in selectors.case_view(case=case, reader=head,
                                                                     today=day(2026, 10, 10))["allowed"]}
    assert shown["extend_check"].startswith("《生态环境行政处罚办法》")
    case = act(world, case, "extend_check", head, {"reason": "需要监测"}, today=day(2026, 10, 10))
    assert case.check_due == day(2026, 10, 29)  # +15 days
    assert case.extensions.get().days == 15 and not case.extensions.get().working_days


def test_a_transport_case_falls_back_on_the_general_law(world):
    """No rule set for 交通运输: the 行政处罚法 sets no 立案 period (a configured reminder) and no extension."""
    case = _case(DepartmentKind.JTYS, day(2026, 9, 29), world)
    step = _check_step(case, day(2026, 10, 1))
    assert step.rule.startswith("《行政处罚法》第五十四条") and "市场监督管理" not in step.rule
    head = make_user("rules_jtys_head", "郑三", case.department, ["head"])
    with pytest.raises(InvalidTransition) as refused:
        act(world, case, "extend_check", head, {"reason": "x"}, today=day(2026, 10, 10))
    assert refused.value.code == "not_extendable" and "《行政处罚法》" in refused.value.message


@pytest.mark.parametrize(("kind", "due", "citation"), [
    (DepartmentKind.SCJG, day(2026, 8, 30), "《市场监督管理行政处罚程序规定》第六十四条"),
    (DepartmentKind.STHJ, day(2026, 8, 30), "《生态环境行政处罚办法》"),
    (DepartmentKind.JTYS, day(2026, 8, 30), "《行政处罚法》第六十条"),
])
def test_the_decision_clock_of_each_line(world, kind, due, citation):
    """90 days from 立案 on 1 June 2026 for every line; the rule shown is the line's own."""
    case = _case(kind, day(2026, 5, 20), world)
    officer, partner = (f"rules_{kind}_a", f"rules_{kind}_b")
    head = make_user(f"rules_{kind}_head", "郑三", case.department, ["head"])
    case = act(world, case, "propose_filing", case.department.users.get(username=officer),
               {"officers": [officer, partner], "cause": "违法行为", "catalog_code": world.catalog},
               today=day(2026, 6, 1))
    case = act(world, case, "approve_filing", head, {"opinion": "同意立案"}, today=day(2026, 6, 1))
    assert case.decision_due == due
    steps = {s.key: s for s in deadlines.open_steps(case, today=due)}
    assert citation in steps["decision"].rule
    assert ("市场监督管理" in steps["decision"].rule) == (kind == DepartmentKind.SCJG)
    assert steps["decision"].state(due) == "due_soon" and steps["decision"].state(due + dt.timedelta(days=1)) == \
        "overdue"


def test_only_lines_whose_rule_allows_it_extend_the_decision_clock(world):
    market = _case(DepartmentKind.SCJG, day(2026, 5, 20), world)
    transport = _case(DepartmentKind.JTYS, day(2026, 5, 21), world)
    for case in (market, transport):
        kind = case.department.kind
        head = make_user(f"rules_{kind}_head", "郑三", case.department, ["head"])
        act(world, case, "propose_filing", case.department.users.get(username=f"rules_{kind}_a"),
            {"officers": [f"rules_{kind}_a", f"rules_{kind}_b"], "cause": "违法", "catalog_code": world.catalog},
            today=day(2026, 6, 1))
        act(world, case, "approve_filing", head, {"opinion": "同意立案"}, today=day(2026, 6, 1))
    market = act(world, market, "extend_decision", make_user("rules_scjg_head", "郑三", market.department,
                                                             ["head"]), {"reason": "案情复杂"}, today=day(2026, 8, 1))
    assert market.decision_due == day(2026, 9, 29)
    with pytest.raises(InvalidTransition) as refused:
        act(world, transport, "extend_decision", make_user("rules_jtys_head", "郑三", transport.department,
                                                           ["head"]), {"reason": "案情复杂"}, today=day(2026, 8, 1))
    assert refused.value.code == "not_extendable"


@pytest.mark.parametrize(("rules", "due", "extended"), [
    (SAMR, day(2031, 3, 24), day(2031, 4, 14)),  # 15 and 30 weekdays: 2031 has no holiday table
    (MEE, day(2031, 3, 18), day(2031, 4, 2)),  # 15 and 30 calendar days
    (GENERAL, day(2031, 3, 24), day(2031, 3, 24)),  # no extension in the general law
])
def test_a_year_without_a_holiday_table_counts_the_ordinary_week(rules, due, extended):
    assert deadlines.check_due(day(2031, 3, 3), rules=rules) == due
    assert deadlines.check_due(day(2031, 3, 3), rules=rules, extended=True) == extended
    assert deadlines.decision_due(day(2031, 3, 3), rules=rules, today=day(2031, 3, 3)) == day(2031, 6, 1)
