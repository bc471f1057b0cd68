"""Merge proposals: the office finds the same entities planned by other departments within the window and
proposes one visit with the lead, the combined items and inspectors; accepting makes a joint task of the shared
entities and counts the visits saved; declining needs a reason; nothing is proposed twice; after approval, none."""

from __future__ import annotations

import pytest

from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.joint import merges, selectors, services
from jianguan.joint.models import MergeProposal, MergeStatus, PlannedObject, TaskStatus

pytestmark = pytest.mark.django_db


def test_the_same_entities_planned_by_two_departments_are_proposed_for_one_visit(world):
    a = world.propose(world.officer, [world.food], world.entities[:4], times=2)
    b = world.propose(world.yj, [world.gas], world.entities[2:6], days=10)
    [proposal] = merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer)
    assert (proposal.first, proposal.second, proposal.lead) == (a, b, world.scjg_dept)
    assert len(proposal.entities) == 2 and "rare_folded" in proposal.rules
    assert proposal.items == [{"department": world.scjg_dept.pk, "items": [world.food]},
                              {"department": world.yj_dept.pk, "items": [world.gas]}]
    assert merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer) == []  # not proposed twice

    done = merges.merge_transition(proposal_id=proposal.pk, action="accept", values={}, actor=world.officer)
    assert done.status == MergeStatus.ACCEPTED and done.visits_saved == 2
    joint = done.merged_task
    assert joint.status == TaskStatus.JOINT and joint.lead == world.scjg_dept
    assert {p.department_id for p in joint.participants.all()} == {world.scjg_dept.pk, world.yj_dept.pk}
    assert PlannedObject.objects.filter(task=joint).count() == 4  # each department's two shared entities
    assert PlannedObject.objects.filter(task__in=[a, b]).count() == 4  # the shared ones left both tasks
    assert selectors.visits_saved(reader=world.head, plan_id=world.plan.pk)["saved"] == 2


def test_a_decline_needs_a_reason_and_only_the_office_decides(world):
    world.propose(world.officer, [world.food])
    world.propose(world.yj, [world.gas])
    [proposal] = merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer)
    with pytest.raises(ValidationFailed) as refused:
        merges.merge_transition(proposal_id=proposal.pk, action="decline", values={"reason": ""}, actor=world.officer)
    assert refused.value.code == "reason_required"
    with pytest.raises(AccessDenied) as refused:
        merges.merge_transition(proposal_id=proposal.pk, action="accept", values={}, actor=world.yj)
    assert refused.value.code == "forbidden"
    assert MergeProposal.objects.get().status == MergeStatus.PROPOSED
    done = merges.merge_transition(proposal_id=proposal.pk, action="decline", values={"reason": "检查内容不相关"},
                                   actor=world.officer)
    assert done.status == MergeStatus.DECLINED and done.reason == "检查内容不相关" and done.visits_saved == 0


def test_windows_too_far_apart_are_not_proposed_and_a_moved_window_is_refused(world):
    world.propose(world.officer, [world.food], length=5)
    far = world.propose(world.yj, [world.gas], days=60, length=5)
    assert merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer) == []
    far.window_start = world.start
    far.window_end = world.start
    far.save()
    [proposal] = merges.merge_proposals_find(plan_id=world.plan.pk, task_id=far.pk, actor=world.officer)
    type(far).objects.filter(pk=far.pk).update(window_start=world.start.replace(year=world.start.year + 1),
                                               window_end=world.start.replace(year=world.start.year + 1))
    with pytest.raises(ValidationFailed) as refused:
        merges.merge_transition(proposal_id=proposal.pk, action="accept", values={}, actor=world.officer)
    assert refused.value.code == "windows_incompatible"
    assert MergeProposal.objects.get().status == MergeStatus.PROPOSED


def test_no_merges_once_the_plan_is_approved(world):
    world.propose(world.officer, [world.food])
    world.propose(world.yj, [world.gas])
    services.plan_transition(plan_id=world.plan.pk, action="submit", values={}, actor=world.officer)
    services.plan_transition(plan_id=world.plan.pk, action="approve", values={}, actor=world.head)
    with pytest.raises(ValidationFailed) as refused:
        merges.merge_proposals_find(plan_id=world.plan.pk, actor=world.officer)
    assert refused.value.code == "plan_approved"
