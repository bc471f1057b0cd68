"""Joint plans and tasks: a department proposes with its own claimed rows and entities of its jurisdiction; the
office makes a joint task from a scenario or of overlapping proposals; each refusal names its rule and writes
nothing; the plan is approved by the office's head, never its proposer."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.joint import merges, services
from jianguan.joint.models import JointTask, Participant, PlannedObject, PlanStatus, TaskStatus

pytestmark = pytest.mark.django_db


def _refused(code: str, action, exc=ValidationFailed) -> None:
    tasks, events = JointTask.objects.count(), AuditEvent.objects.count()
    with pytest.raises(exc) as refused:
        action()
    assert refused.value.code == code
    assert (JointTask.objects.count(), AuditEvent.objects.count()) == (tasks, events)


def test_a_department_proposes_a_task_with_its_own_items_entities_and_inspectors(world):
    task = world.propose(world.officer, [world.food])
    assert task.status == TaskStatus.PROPOSED and task.lead == world.scjg_dept
    participant = Participant.objects.get(task=task)
    assert participant.items == [world.food] and participant.department == world.scjg_dept
    assert PlannedObject.objects.filter(task=task).count() == 4
    assert AuditEvent.objects.filter(verb="joint.task_proposed").exists()


def test_items_not_claimed_by_the_department_are_refused(world):
    _refused("item_not_claimed", lambda: world.propose(world.sthj, [world.food]))
    _refused("item_not_claimed", lambda: world.propose(world.sthj, ["99999999999999-1"]))


def test_an_entity_outside_the_participants_jurisdiction_is_refused(world):
    _refused("entity_outside_jurisdiction",
             lambda: world.propose(world.county, [world.county_food], [world.elsewhere]))


def test_a_plan_goes_draft_submitted_approved_by_the_offices_head_never_the_proposer(world):
    _refused("invalid_transition", lambda: services.plan_transition(
        plan_id=world.plan.pk, action="approve", values={}, actor=world.head), exc=InvalidTransition)
    services.plan_transition(plan_id=world.plan.pk, action="submit", values={}, actor=world.officer)
    _refused("not_office_head", lambda: services.plan_transition(
        plan_id=world.plan.pk, action="approve", values={}, actor=world.officer), exc=AccessDenied)
    plan = services.plan_transition(plan_id=world.plan.pk, action="approve", values={}, actor=world.head)
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == world.head
    _refused("plan_approved", lambda: world.propose(world.officer, [world.food]))


def test_the_head_who_submitted_the_plan_does_not_approve_it(world):
    services.plan_transition(plan_id=world.plan.pk, action="submit", values={}, actor=world.head)
    _refused("same_person", lambda: services.plan_transition(
        plan_id=world.plan.pk, action="approve", values={}, actor=world.head), exc=AccessDenied)


def test_another_department_does_not_draft_or_run_the_plan(world):
    _refused("forbidden", lambda: services.plan_create(title="计划", year=2027, actor=world.sthj),
             exc=AccessDenied)
    _refused("forbidden", lambda: services.plan_transition(
        plan_id=world.plan.pk, action="submit", values={}, actor=world.sthj), exc=AccessDenied)


def test_a_joint_task_from_a_scenario_takes_each_departments_own_claimed_rows(world):
    task = services.task_from_scenario(
        plan_id=world.plan.pk, scenario="restaurant", departments=[world.scjg_dept.pk, world.yj_dept.pk],
        lead_id=world.scjg_dept.pk, entities=world.entities[:2], window_start=world.start,
        window_end=world.start + dt.timedelta(days=5), actor=world.officer)
    items = dict(Participant.objects.filter(task=task).values_list("department_id", "items"))
    assert items == {world.scjg_dept.pk: [world.food], world.yj_dept.pk: [world.gas]}
    assert task.status == TaskStatus.JOINT and task.scenario == "restaurant"
    _refused("line_not_in_scenario", lambda: services.task_from_scenario(
        plan_id=world.plan.pk, scenario="restaurant", departments=[world.scjg_dept.pk, world.sthj_dept.pk],
        lead_id=world.scjg_dept.pk, entities=world.entities[:2], window_start=world.start,
        window_end=world.start, actor=world.officer))


def test_overlapping_proposals_become_a_joint_task_each_keeping_its_items(world):
    a = world.propose(world.officer, [world.food])
    b = world.propose(world.yj, [world.gas], days=5)
    _refused("lead_not_participant", lambda: merges.task_combine(
        plan_id=world.plan.pk, task_ids=[a.pk, b.pk], lead_id=world.sthj_dept.pk, title="联合", actor=world.officer))
    joint = merges.task_combine(plan_id=world.plan.pk, task_ids=[a.pk, b.pk], lead_id=world.scjg_dept.pk,
                                title="餐饮联合检查", actor=world.officer)
    assert {p.department_id: p.items for p in joint.participants.all()} == {
        world.scjg_dept.pk: [world.food], world.yj_dept.pk: [world.gas]}
    assert set(JointTask.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {
        TaskStatus.COMBINED}


def test_proposals_with_incompatible_windows_are_not_combined(world):
    a = world.propose(world.officer, [world.food], length=5)
    b = world.propose(world.yj, [world.gas], days=60, length=5)
    _refused("windows_incompatible", lambda: merges.task_combine(
        plan_id=world.plan.pk, task_ids=[a.pk, b.pk], lead_id=world.scjg_dept.pk, title="联合", actor=world.officer))
