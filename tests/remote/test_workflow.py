"""Disposing of an alarm on the workflow kernel: every edge taken by its person, every other pair refused, guards."""

from __future__ import annotations

import pytest

from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.roles import Role
from jianguan.remote import workflow
from jianguan.remote.models import DisposalStatus
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

DEPARTMENT = 7
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
HEAD = Person(2, DEPARTMENT, frozenset({Role.HEAD}))
BY = {workflow.OFFICERS: OFFICER, workflow.HEAD: HEAD}


def facts(state: str, actor: Person = OFFICER, *, level: int = 2, evidence: int = 3) -> workflow.Facts:
    return workflow.Facts(state, actor, DEPARTMENT, level=level, evidence=evidence)


def test_every_edge_is_taken_by_its_person_and_every_disposal_is_reachable():
    assert_every_edge_taken(workflow.DISPOSAL, lambda edge: facts(edge.source, BY[edge.who]))
    assert {e.target for e in workflow.EDGES} == set(DisposalStatus.values) - {DisposalStatus.PENDING}


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(workflow.DISPOSAL, DisposalStatus.values, lambda state: facts(state, HEAD))


@pytest.mark.parametrize("actor", [Person(3, DEPARTMENT + 1, frozenset({Role.OFFICER, Role.HEAD})),
                                   Person(4, DEPARTMENT, frozenset({Role.LEADER, Role.DEPARTMENT_ADMIN})),
                                   Person(5, DEPARTMENT, frozenset({Role.OFFICER, Role.HEAD}), is_person=False)])
def test_anyone_outside_the_department_or_its_roles_is_refused_every_edge(actor):
    for edge in workflow.EDGES:
        with pytest.raises(AccessDenied):
            workflow.DISPOSAL.check(edge, facts(edge.source, actor))


def test_a_cleared_alarm_takes_no_notice_and_a_check_needs_evidence():
    with pytest.raises(InvalidTransition) as cleared:
        workflow.DISPOSAL.check("notify", facts(DisposalStatus.PENDING, level=0))
    assert cleared.value.code == "alarm_cleared"
    with pytest.raises(InvalidTransition) as bare:
        workflow.DISPOSAL.check("remote_check", facts(DisposalStatus.PENDING, evidence=0))
    assert bare.value.code == "evidence_missing"
