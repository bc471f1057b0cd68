"""The manual adjustment's table on the workflow kernel: every edge taken by its party, every other (state, action)
pair refused, the head of the proposer's department approving and never the proposer."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role
from jianguan.credit import adjustment_workflow as workflow
from jianguan.credit.models import AdjustmentStatus
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

DEPARTMENT = 7
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
HEAD = Person(2, DEPARTMENT, frozenset({Role.HEAD}))
SYSTEM = SystemActor("test")
BY = {workflow.PROPOSER: OFFICER, workflow.HEAD: HEAD, workflow.SYSTEM: SYSTEM}
TODAY = dt.date(2026, 12, 7)
STATES = [workflow.NEW, *AdjustmentStatus.values]


def facts(state: str, actor: object = HEAD, **changes: object) -> workflow.Facts:
    values = {"proposer_id": OFFICER.pk, "reason": "整改完毕", "evidence": True, "current_class": "D",
              "target_class": "C", "expires_on": TODAY + dt.timedelta(days=365), "today": TODAY, "opinion": "同意",
              **changes}
    return workflow.Facts(state, actor, DEPARTMENT, **values)  # type: ignore[arg-type]


def test_every_edge_is_taken_by_its_party_and_every_state_is_reachable():
    def for_edge(edge):
        late = {"expires_on": TODAY - dt.timedelta(days=1)} if edge.action == "expire" else {}
        return facts(edge.source, BY[edge.who], **late)

    assert_every_edge_taken(workflow.ADJUSTMENTS, for_edge)
    assert {e.target for e in workflow.EDGES} == set(AdjustmentStatus.values)


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(workflow.ADJUSTMENTS, STATES, lambda state: facts(state))


@pytest.mark.parametrize(("actor", "code"), [
    (OFFICER, "same_person"),
    (Person(1, DEPARTMENT, frozenset({Role.HEAD, Role.OFFICER})), "same_person"),  # the proposer is a head too
    (Person(3, DEPARTMENT + 1, frozenset({Role.HEAD})), "not_department_head"),
    (Person(4, DEPARTMENT, frozenset({Role.OFFICER, Role.LEGAL_REVIEWER})), "not_department_head"),
    (SYSTEM, "not_department_head"),
])
def test_only_the_head_of_the_proposers_department_approves_and_never_the_proposer(actor, code):
    for action in ("approve", "reject"):
        with pytest.raises(AccessDenied) as refused:
            workflow.ADJUSTMENTS.check(action, facts(AdjustmentStatus.PROPOSED, actor))
        assert (refused.value.code, refused.value.field) == (code, "decided_by")


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"reason": " "}, "reason_required", "reason"),
    ({"evidence": False}, "evidence_required", "evidence"),
    ({"target_class": "D"}, "class_unchanged", "target_class"),
    ({"expires_on": TODAY - dt.timedelta(days=1)}, "expiry_in_past", "expires_on"),
])
def test_a_proposal_is_refused_naming_the_field(changes, code, field):
    with pytest.raises(ValidationFailed) as refused:
        workflow.ADJUSTMENTS.check("propose", facts(workflow.NEW, OFFICER, **changes))
    assert (refused.value.code, refused.value.field) == (code, field)


def test_proposers_are_of_the_market_regulators_and_their_own_department():
    outside = workflow.Facts(workflow.NEW, OFFICER, DEPARTMENT, line_ok=False)
    with pytest.raises(AccessDenied) as refused:
        workflow.ADJUSTMENTS.check("propose", outside)
    assert refused.value.field == "proposed_by"
    with pytest.raises(AccessDenied):
        workflow.ADJUSTMENTS.check("propose", facts(workflow.NEW, Person(5, DEPARTMENT, frozenset({Role.LEADER}))))


def test_an_adjustment_expires_only_after_its_day_and_only_by_the_system():
    with pytest.raises(ValidationFailed) as refused:
        workflow.ADJUSTMENTS.check("expire", facts(AdjustmentStatus.APPROVED, SYSTEM, expires_on=TODAY))
    assert refused.value.code == "not_expired"
    with pytest.raises(AccessDenied):
        workflow.ADJUSTMENTS.check("expire", facts(AdjustmentStatus.APPROVED, HEAD, expires_on=TODAY))
