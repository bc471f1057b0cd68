"""The joint plan and merge proposals on the workflow kernel: the plan submitted by the office's people and
approved by the office's head, never by who drafted or submitted it; a return or a refusal of a merge without a
reason refused; a merge once the plan is approved refused; every other (state, action) pair refused."""

from __future__ import annotations

import pytest

from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role
from jianguan.joint import workflow
from jianguan.joint.models import MergeStatus, PlanStatus
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

OFFICE = 7
OFFICER = Person(1, OFFICE, frozenset({Role.OFFICER}))
HEAD = Person(2, OFFICE, frozenset({Role.HEAD}))
OTHER_HEAD = Person(3, OFFICE + 1, frozenset({Role.HEAD}))
BY = {workflow.OFFICE_PEOPLE: OFFICER, workflow.OFFICE_HEAD: HEAD}


def facts(state: str, actor: object = HEAD, *, proposers: tuple[int | None, ...] = (OFFICER.pk,), reason: str = "理由",
          plan_state: str = PlanStatus.SUBMITTED) -> workflow.Facts:
    return workflow.Facts(state, actor, OFFICE, proposers, reason, plan_state)


def test_every_edge_is_taken_by_its_party_and_every_state_is_reachable():
    assert_every_edge_taken(workflow.PLANS, lambda edge: facts(edge.source, BY[edge.who]))
    assert_every_edge_taken(workflow.MERGES, lambda edge: facts(edge.source, BY[edge.who]))
    assert {e.target for e in workflow.PLAN_EDGES} == set(PlanStatus.values)
    assert {e.target for e in workflow.MERGE_EDGES} | {MergeStatus.PROPOSED} == set(MergeStatus.values)


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(workflow.PLANS, PlanStatus.values, lambda state: facts(state))
    assert_refused_out_of_order(workflow.MERGES, MergeStatus.values, lambda state: facts(state))


def test_the_plan_is_approved_by_the_offices_head_never_by_its_proposer():
    with pytest.raises(AccessDenied) as refused:
        workflow.PLANS.check("approve", facts(PlanStatus.SUBMITTED, HEAD, proposers=(OFFICER.pk, HEAD.pk)))
    assert refused.value.code == "same_person"
    for who in (OFFICER, OTHER_HEAD):
        with pytest.raises(AccessDenied) as refused:
            workflow.PLANS.check("approve", facts(PlanStatus.SUBMITTED, who))
        assert refused.value.code == "not_office_head"
    assert workflow.PLANS.check("approve", facts(PlanStatus.SUBMITTED, HEAD)).target == PlanStatus.APPROVED


def test_a_return_and_a_declined_merge_need_a_reason_and_merges_stop_at_approval():
    with pytest.raises(ValidationFailed) as refused:
        workflow.PLANS.check("return", facts(PlanStatus.SUBMITTED, HEAD, reason=" "))
    assert refused.value.code == "reason_required"
    with pytest.raises(ValidationFailed) as refused:
        workflow.MERGES.check("decline", facts(MergeStatus.PROPOSED, OFFICER, reason=""))
    assert refused.value.code == "reason_required"
    with pytest.raises(ValidationFailed) as refused:
        workflow.MERGES.check("accept", facts(MergeStatus.PROPOSED, OFFICER, plan_state=PlanStatus.APPROVED))
    assert refused.value.code == "plan_approved"
    with pytest.raises(AccessDenied) as refused:
        workflow.MERGES.check("accept", facts(MergeStatus.PROPOSED, OTHER_HEAD))
    assert refused.value.code == "forbidden"


PARTICIPANT = Person(4, OFFICE + 2, frozenset({Role.OFFICER}))


def visit_facts(state: str, actor: object = PARTICIPANT, missing: tuple[str, ...] = ()) -> workflow.VisitFacts:
    return workflow.VisitFacts(state, actor, (OFFICE + 2, OFFICE + 3), missing)


def test_every_visit_edge_is_taken_by_a_participant_and_every_other_pair_refused():
    from jianguan.joint.models import VisitStatus

    assert_every_edge_taken(workflow.VISITS, lambda edge: visit_facts(edge.source))
    assert {e.target for e in workflow.VISIT_EDGES} == set(VisitStatus.values)
    assert_refused_out_of_order(workflow.VISITS, VisitStatus.values, lambda state: visit_facts(state))


def test_a_visit_is_run_by_its_participants_and_its_record_waits_for_every_result():
    with pytest.raises(AccessDenied) as refused:
        workflow.VISITS.check("enter_result", visit_facts("open", OTHER_HEAD))
    assert refused.value.status == 403 and "参加联合检查的部门" in refused.value.message
    with pytest.raises(ValidationFailed) as waiting:
        workflow.VISITS.check("close", visit_facts("open", missing=("某局",)))
    assert waiting.value.code == "results_missing" and "某局" in waiting.value.message
