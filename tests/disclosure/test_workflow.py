"""A disclosure item on the workflow kernel: prepared by an officer of the deciding department, released or ruled
out by its 信息发布审核人 or head (never the preparer), withdrawn with a reason, ended by the system; publishing
before review refused naming the rule; every other (state, action) pair refused."""

from __future__ import annotations

import pytest

from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role
from jianguan.disclosure import workflow
from jianguan.disclosure.models import ItemStatus
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

DEPARTMENT = 5
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
PUBLISHER = Person(2, DEPARTMENT, frozenset({Role.PUBLISHER}))
HEAD = Person(3, DEPARTMENT, frozenset({Role.HEAD}))
SYSTEM = SystemActor("test")
BY = {workflow.OFFICERS: OFFICER, workflow.REVIEWERS: PUBLISHER, workflow.SYSTEM: SYSTEM, workflow.PEOPLE: OFFICER}


def facts(state: str, actor: object = PUBLISHER, *, preparer: int | None = OFFICER.pk, reason: str = "原因",
          rule: str = "secrets") -> workflow.Facts:
    return workflow.Facts(state, actor, DEPARTMENT, preparer, reason, rule)


def test_every_edge_is_taken_by_its_party_and_every_state_is_reachable():
    assert_every_edge_taken(workflow.ITEMS, lambda edge: facts(edge.source, BY[edge.who]))
    assert {e.target for e in workflow.EDGES} | {ItemStatus.PENDING} == set(ItemStatus.values)


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(workflow.ITEMS, set(ItemStatus.values) - {ItemStatus.PENDING},
                                lambda state: facts(state))
    for action in sorted(workflow.ITEMS.actions - {"prepare", "withhold", "publish", "mask"}):
        with pytest.raises(InvalidTransition) as refused:
            workflow.ITEMS.check(action, facts(ItemStatus.PENDING))
        assert refused.value.code == "invalid_transition", action


def test_publishing_before_review_is_refused_naming_the_rule():
    with pytest.raises(InvalidTransition) as refused:
        workflow.ITEMS.check("publish", facts(ItemStatus.PENDING, HEAD, preparer=None))
    assert refused.value.code == "not_reviewed" and "审核" in refused.value.message
    assert "政府信息公开条例" in refused.value.message
    assert refused.value.extra["allowed"] == ["mask", "withhold"]


def test_the_head_also_reviews_but_never_the_preparer():
    assert workflow.ITEMS.check("publish", facts(ItemStatus.PREPARED, HEAD)).target == ItemStatus.PUBLISHED
    both = Person(OFFICER.pk, DEPARTMENT, frozenset({Role.OFFICER, Role.PUBLISHER}))
    with pytest.raises(AccessDenied) as refused:
        workflow.ITEMS.check("publish", facts(ItemStatus.PREPARED, both))
    assert refused.value.code == "same_person"


@pytest.mark.parametrize("actor", [OFFICER, Person(4, DEPARTMENT + 1, frozenset({Role.PUBLISHER})),
                                   Person(5, DEPARTMENT, frozenset({Role.LEADER, Role.DATA_ADMIN})), SYSTEM])
def test_only_the_departments_publisher_or_head_releases(actor):
    with pytest.raises(AccessDenied) as refused:
        workflow.ITEMS.check("publish", facts(ItemStatus.PREPARED, actor))
    assert refused.value.code == "not_department_publisher"


@pytest.mark.parametrize("actor", [PUBLISHER, Person(6, DEPARTMENT + 1, frozenset({Role.OFFICER}))])
def test_only_the_departments_officers_prepare(actor):
    with pytest.raises(AccessDenied) as refused:
        workflow.ITEMS.check("prepare", facts(ItemStatus.PENDING, actor))
    assert refused.value.code == "not_deciding_department"


def test_a_withdrawal_or_a_ruling_without_a_reason_is_refused():
    for state, action in ((ItemStatus.PUBLISHED, "withdraw"), (ItemStatus.PREPARED, "return"),
                          (ItemStatus.PENDING, "withhold"), (ItemStatus.PREPARED, "mask")):
        with pytest.raises(ValidationFailed) as refused:
            workflow.ITEMS.check(action, facts(state, reason="  "))
        assert refused.value.code == "reason_required" and refused.value.field == "reason", action


def test_a_reviewer_rules_out_only_for_secrets_or_unsuitability():
    assert workflow.ITEMS.check("withhold", facts(ItemStatus.PENDING, rule="unsuitable")).target == "withheld"
    for rule in ("minor", "warning_only", "simple_procedure", ""):
        with pytest.raises(ValidationFailed) as refused:
            workflow.ITEMS.check("withhold", facts(ItemStatus.PENDING, rule=rule))
        assert refused.value.code == "choice_invalid", rule


def test_people_do_not_expire_or_end_early():
    for action in ("expire", "end_early"):
        with pytest.raises(AccessDenied) as refused:
            workflow.ITEMS.check(action, facts(ItemStatus.PUBLISHED, HEAD))
        assert refused.value.code == "system_only"


def test_masks_are_adjusted_by_the_departments_people_only_before_release():
    assert workflow.ITEMS.check("mask", facts(ItemStatus.PREPARED, OFFICER)).target == ItemStatus.PREPARED
    with pytest.raises(AccessDenied):
        workflow.ITEMS.check("mask", facts(ItemStatus.PENDING, Person(7, DEPARTMENT + 1, frozenset({Role.HEAD}))))
    with pytest.raises(InvalidTransition):
        workflow.ITEMS.check("mask", facts(ItemStatus.PUBLISHED, PUBLISHER))
