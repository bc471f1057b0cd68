"""A credit-repair application on the workflow kernel: accepted by the deciding department's people, decided by its
head (never the person who accepted), every other (state, action) pair refused, each condition a named guard."""

from __future__ import annotations

import pytest

from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role
from jianguan.credit import repair_workflow as wf
from jianguan.credit.models import RepairStatus
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

DEPARTMENT = 3
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
HEAD = Person(2, DEPARTMENT, frozenset({Role.HEAD}))
BY = {wf.OFFICER: OFFICER, wf.HEAD: HEAD}


def facts(state: str, actor: object = HEAD, accepted_by: int | None = OFFICER.pk, problems=None) -> wf.Facts:
    return wf.Facts(state, actor, DEPARTMENT, accepted_by, "理由", problems or {})


def test_every_edge_is_taken_by_its_party_and_every_state_is_reachable():
    assert_every_edge_taken(wf.REPAIRS, lambda edge: facts(edge.source, BY[edge.who]))
    assert {e.target for e in wf.EDGES} == set(RepairStatus.values) - {RepairStatus.SUBMITTED}


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(wf.REPAIRS, RepairStatus.values, lambda state: facts(state))


@pytest.mark.parametrize("actor", [OFFICER, Person(4, DEPARTMENT + 1, frozenset({Role.HEAD}))])
def test_only_the_head_of_the_deciding_department_decides(actor):
    with pytest.raises(AccessDenied) as refused:
        wf.REPAIRS.check("approve", facts(RepairStatus.ACCEPTED, actor))
    assert refused.value.code == "not_repair_head"


def test_the_head_who_accepted_does_not_decide():
    with pytest.raises(AccessDenied) as refused:
        wf.REPAIRS.check("reject", facts(RepairStatus.ACCEPTED, HEAD, accepted_by=HEAD.pk))
    assert refused.value.code == "same_person"


@pytest.mark.parametrize("rule", wf.RULES)
def test_each_condition_is_a_guard_of_the_approval_only(rule):
    problem = ValidationFailed("不满足", code=f"{rule}_failed")
    with pytest.raises(ValidationFailed) as refused:
        wf.REPAIRS.check("approve", facts(RepairStatus.ACCEPTED, problems={rule: problem}))
    assert refused.value.code == f"{rule}_failed"
    assert wf.REPAIRS.check("reject", facts(RepairStatus.ACCEPTED, problems={rule: problem})).target == "rejected"
