"""Verifying and disposing of an alert on the workflow kernel: every edge taken by its person (the department's
officers verify and report, its head extends and decides), every other (state, action) pair refused, the guards."""

from __future__ import annotations

import pytest

from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role
from jianguan.risk import workflow
from jianguan.risk.models import AlertStatus
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

DEPARTMENT = 7
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
HEAD = Person(2, DEPARTMENT, frozenset({Role.HEAD}))
BY = {workflow.OFFICERS: OFFICER, workflow.HEAD: HEAD}


def facts(state: str, actor: Person = OFFICER, *, extended: bool = False, finding: str = "已核实") -> workflow.Facts:
    return workflow.Facts(state, actor, DEPARTMENT, extended=extended, finding=finding)


def test_every_edge_is_taken_by_its_person_and_every_outcome_is_reachable():
    assert_every_edge_taken(workflow.ALERTS, lambda edge: facts(edge.source, BY[edge.who]))
    assert {e.target for e in workflow.EDGES} == set(AlertStatus.values) - {AlertStatus.PENDING}
    assert {e.target for e in workflow.EDGES if e.who == workflow.HEAD} - {AlertStatus.VERIFYING} == \
        set(workflow.OUTCOMES)


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(workflow.ALERTS, AlertStatus.values, lambda state: facts(state, HEAD))


@pytest.mark.parametrize("actor", [Person(3, DEPARTMENT + 1, frozenset({Role.OFFICER, Role.HEAD})),
                                   Person(4, DEPARTMENT, frozenset({Role.LEGAL_REVIEWER, Role.DEPARTMENT_ADMIN})),
                                   Person(5, DEPARTMENT, frozenset({Role.OFFICER, Role.HEAD}), is_person=False)])
def test_anyone_outside_the_department_or_its_roles_is_refused_every_edge(actor):
    for edge in workflow.EDGES:
        with pytest.raises(AccessDenied):
            workflow.ALERTS.check(edge, facts(edge.source, actor))
        assert workflow.ALERTS.allowed(facts(edge.source, actor)) == []


def test_officers_do_not_decide_and_the_head_does_not_verify():
    head_edges = [e for e in workflow.EDGES if e.who == workflow.HEAD]
    for edge in head_edges:
        with pytest.raises(AccessDenied) as refused:
            workflow.ALERTS.check(edge, facts(edge.source, OFFICER))
        assert refused.value.code == "not_department_head"
    with pytest.raises(AccessDenied) as refused:
        workflow.ALERTS.check("verify", facts(AlertStatus.PENDING, HEAD))
    assert refused.value.code == "not_alert_department"


def test_an_outcome_needs_a_finding_and_the_clock_is_extended_once():
    for action in ("unfounded", "minor", "open_case", "transfer"):
        with pytest.raises(ValidationFailed) as refused:
            workflow.ALERTS.check(action, facts(AlertStatus.VERIFYING, HEAD, finding="  "))
        assert refused.value.code == "finding_required"
    with pytest.raises(ValidationFailed) as again:
        workflow.ALERTS.check("extend", facts(AlertStatus.VERIFYING, HEAD, extended=True))
    assert again.value.code == "already_extended"
    allowed = {e.action for e in workflow.ALERTS.allowed(facts(AlertStatus.VERIFYING, HEAD, extended=True))}
    assert allowed == {"unfounded", "minor", "open_case", "transfer"}
