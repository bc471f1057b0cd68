"""A classification run on the workflow kernel: the system computes, the head of the city 市场监督管理局 publishes
(and so supersedes the run before), every other (state, action) pair refused, a flagged run never published."""

from __future__ import annotations

import pytest

from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role
from jianguan.credit import workflow
from jianguan.credit.models import RunStatus
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

PUBLISHER_DEPARTMENT = 3
HEAD = Person(1, PUBLISHER_DEPARTMENT, frozenset({Role.HEAD}))
SYSTEM = SystemActor("test")
BY = {workflow.SYSTEM: SYSTEM, workflow.PUBLISHER: HEAD}


def facts(state: str, actor: object = HEAD, violations: int = 0) -> workflow.Facts:
    return workflow.Facts(state, actor, PUBLISHER_DEPARTMENT, violations)


def test_every_edge_is_taken_by_its_party_and_every_state_is_reachable():
    assert_every_edge_taken(workflow.RUNS, lambda edge: facts(edge.source, BY[edge.who]))
    assert {e.target for e in workflow.EDGES} == set(RunStatus.values) - {RunStatus.QUEUED}


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(workflow.RUNS, RunStatus.values, lambda state: facts(state))


@pytest.mark.parametrize("actor", [Person(2, PUBLISHER_DEPARTMENT + 1, frozenset({Role.HEAD})),
                                   Person(3, PUBLISHER_DEPARTMENT, frozenset({Role.DATA_ADMIN, Role.OFFICER})),
                                   SYSTEM])
def test_only_the_head_of_the_publishing_body_publishes(actor):
    with pytest.raises(AccessDenied) as refused:
        workflow.RUNS.check("publish", facts(RunStatus.DRAFT, actor))
    assert refused.value.code == "not_classification_publisher"


def test_people_do_not_compute_runs():
    for action, state in (("start", RunStatus.QUEUED), ("finish", RunStatus.RUNNING), ("fail", RunStatus.RUNNING)):
        with pytest.raises(AccessDenied):
            workflow.RUNS.check(action, facts(state, HEAD))


def test_a_run_with_monotonicity_problems_is_not_published():
    with pytest.raises(ValidationFailed) as refused:
        workflow.RUNS.check("publish", facts(RunStatus.DRAFT, HEAD, violations=2))
    assert refused.value.code == "monotonicity_violated" and "2 处" in refused.value.message
