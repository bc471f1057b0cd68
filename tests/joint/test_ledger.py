"""The burden ledger: on-site visits of an entity counted per year by department, departments on the same day one
joint visit; the budget of its credit class; the repeat-visit monitor counts two departments within the window on
different days, not a joint visit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.joint import ledger, selectors
from jianguan.subjects.models import MarketEntity
from tests.joint.world import visit

pytestmark = pytest.mark.django_db


def test_visits_are_counted_per_department_and_a_same_day_visit_is_joint(world):
    today = timezone.localdate()
    uscc = world.entities[0]
    visit(world.scjg_dept, world.food, uscc, today - dt.timedelta(days=3), "JC-L-1")
    visit(world.yj_dept, world.gas, uscc, today - dt.timedelta(days=3), "JC-L-2")
    visit(world.sthj_dept, world.fuel, uscc, today - dt.timedelta(days=1), "JC-L-3")
    code, _, found = selectors.entity_ledger(reader=world.officer, uscc=uscc, year=today.year)
    assert code == uscc and found.count == 2 and found.joint == 1
    assert dict(found.by_department) == {world.scjg_dept.name: 1, world.yj_dept.name: 1, world.sthj_dept.name: 1}


def test_the_repeat_monitor_counts_two_departments_within_the_window_not_joint_ones(world):
    today = timezone.localdate()
    before = selectors.repeat_count(reader=world.head, today=today)
    joint, repeated = world.entities[0], world.entities[1]
    visit(world.scjg_dept, world.food, joint, today - dt.timedelta(days=2), "JC-R-1")
    visit(world.yj_dept, world.gas, joint, today - dt.timedelta(days=2), "JC-R-2")
    assert selectors.repeat_count(reader=world.head, today=today) == before
    visit(world.scjg_dept, world.food, repeated, today - dt.timedelta(days=20), "JC-R-3")
    visit(world.sthj_dept, world.fuel, repeated, today - dt.timedelta(days=1), "JC-R-4")
    repeats = ledger.repeat_visits(region_codes=None, today=today)
    entity = MarketEntity.objects.get(uscc=repeated).pk
    assert selectors.repeat_count(reader=world.head, today=today) == before + 1
    assert next(r for r in repeats if r.entity_id == entity).departments == (world.scjg_dept.pk, world.sthj_dept.pk)


def test_the_budget_counts_entities_one_more_visit_would_take_past_their_class(world, settings, monkeypatch):
    """Class B may take one visit a year: with none yet a new task is within it; after one it is over."""
    settings.JIANGUAN_JOINT_VISIT_BUDGET = {"A": 0, "B": 1, "C": 2, "D": 3}
    entity = MarketEntity.objects.get(uscc=world.entities[0]).pk
    monkeypatch.setattr(ledger.credit, "class_letters", lambda ids: {e: "B" for e in ids if e == entity})
    year = timezone.localdate().year
    assert ledger.over_budget([entity], year) == 0
    visit(world.scjg_dept, world.food, world.entities[0], timezone.localdate(), "JC-B-1")
    assert ledger.over_budget([entity], year) == 1
    task = world.propose(world.officer, [world.food], world.entities[:2])
    assert task.over_budget == (1 if task.window_start.year == year else 0)
