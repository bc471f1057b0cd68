"""Joint-supervision figures (ADR 0056): the joint-inspection share per month and department, visits saved by
accepted merges, repeat visits by month; scoped by the reader's departments; the page with its charts and the
workbook."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jianguan.joint import merges, metrics
from tests.joint.world import visit

pytestmark = pytest.mark.django_db


def test_repeats_are_counted_once_per_entity_in_the_month_of_the_later_visit():
    day = dt.date(2026, 3, 5)
    visits = {(1, day): {10}, (1, day + dt.timedelta(days=3)): {11}, (1, day + dt.timedelta(days=9)): {12},
              (2, day): {10, 11}, (3, day): {10}, (3, day + dt.timedelta(days=40)): {11},
              (4, dt.date(2026, 3, 30)): {10}, (4, dt.date(2026, 4, 2)): {10}}
    assert metrics.repeats_by_month(visits, 2026, 30) == {3: 1}  # joint (2), too far apart (3), one department (4)


def _row(rows, label):
    return next((r for r in rows if r.label == label), metrics.Row(label, 0, 0))


def test_joint_visits_count_in_the_share_of_each_department_and_the_city(world):
    year = timezone.localdate().year
    first = dt.date(year, 1, 12)
    before = metrics.figures(reader=world.leader, year=year)
    visit(world.scjg_dept, world.food, world.entities[0], first, "JC-M-1")
    visit(world.yj_dept, world.gas, world.entities[0], first, "JC-M-2")
    visit(world.sthj_dept, world.fuel, world.entities[1], first, "JC-M-3")
    visit(world.scjg_dept, world.food, world.entities[1], first + dt.timedelta(days=10), "JC-M-4")
    after = metrics.figures(reader=world.leader, year=year)
    january = (before.months[0], after.months[0])
    assert (january[1].visits - january[0].visits, january[1].joint - january[0].joint) == (3, 1)
    assert january[1].repeats - january[0].repeats == 1
    assert after.city.visits - before.city.visits == 3
    for name, visits, joint in ((world.scjg_dept.name, 2, 1), (world.yj_dept.name, 1, 1),
                                (world.sthj_dept.name, 1, 0)):
        was, now = _row(before.departments, name), _row(after.departments, name)
        assert (now.visits - was.visits, now.joint - was.joint) == (visits, joint)
    assert _row(after.departments, world.yj_dept.name).share > 0
    county = metrics.figures(reader=world.county, year=year)
    assert world.scjg_dept.name not in {r.label for r in county.departments}  # another department's row: not read


def test_visits_saved_by_an_accepted_merge_count_in_the_month_of_the_merged_visit(world):
    world.propose(world.officer, [world.food])
    world.propose(world.yj, [world.gas])
    [proposal] = merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer)
    year, month = proposal.window_start.year, proposal.window_start.month
    before = metrics.figures(reader=world.leader, year=year).months[month - 1].saved
    merges.merge_transition(proposal_id=proposal.pk, action="accept", values={}, actor=world.officer)
    assert metrics.figures(reader=world.leader, year=year).months[month - 1].saved == before + 4


def test_the_page_draws_the_charts_and_the_workbook_holds_the_figures(client, world):
    visit(world.scjg_dept, world.food, world.entities[0], timezone.localdate(), "JC-M-5")
    client.force_login(world.leader)
    page = client.get("/joint/metrics/")
    assert page.status_code == 200 and page.content.count(b"<svg") >= 3
    book = client.get("/joint/metrics/xlsx/")
    assert book.status_code == 200 and book["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(book.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[0] == "全市合计" and row[2] >= 1 for row in rows)
    assert client.get("/").status_code == 200
