"""The workflow kernel itself: a table refuses to be built with an unknown guard, a missing permission or two
edges for one (state, action); `check` refuses in order — out of order, then who, then the guards."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role
from jianguan.core.workflow import Edge, Workflow, acts_for, procedure
from tests.workflow_walk import Person


@dataclass(frozen=True)
class Facts:
    state: str
    actor: Person
    ready: bool = True


def _ready(facts: Facts) -> ValidationFailed | None:
    return None if facts.ready else ValidationFailed("尚未准备好", code="not_ready", field="ready")


def _officer(edge: Edge, facts: Facts) -> AccessDenied | None:
    return None if acts_for(facts.actor, 1, Role.OFFICER) else AccessDenied("只有执法人员", code="not_officer")


EDGES = (Edge("a", "go", "b", "officer", guards=("ready",)), Edge("b", "back", "a", "officer"))
TABLE = Workflow(EDGES, guards={"ready": _ready}, who={"officer": _officer})
OFFICER = Person(1, 1, frozenset({Role.OFFICER}))


def test_a_table_is_checked_when_it_is_built():
    with pytest.raises(AssertionError, match="guards without a function"):
        Workflow(EDGES, who={"officer": _officer})
    with pytest.raises(AssertionError, match="permission"):
        Workflow(EDGES, guards={"ready": _ready}, who={})
    with pytest.raises(AssertionError, match="one edge per"):
        Workflow((*EDGES, Edge("a", "go", "a", "officer")), guards={"ready": _ready}, who={"officer": _officer})


def test_check_refuses_out_of_order_then_the_person_then_the_guards():
    stranger = Person(2, 2, frozenset({Role.OFFICER}))
    with pytest.raises(InvalidTransition) as order:
        TABLE.check("back", Facts("a", stranger, ready=False))
    assert order.value.extra == {"status": "a", "allowed": []} and order.value.status == 409
    with pytest.raises(InvalidTransition) as unknown:
        TABLE.check("fly", Facts("a", OFFICER))
    assert unknown.value.message.startswith("未知的操作") and unknown.value.extra["allowed"] == ["go"]
    with pytest.raises(AccessDenied) as who:
        TABLE.check("go", Facts("a", stranger, ready=False))
    assert who.value.code == "not_officer"
    with pytest.raises(ValidationFailed) as guard:
        TABLE.check("go", Facts("a", OFFICER, ready=False))
    assert guard.value.code == "not_ready" and TABLE.allowed(Facts("a", OFFICER, ready=False)) == []
    assert TABLE.check(EDGES[0], Facts("a", OFFICER)) is EDGES[0] and TABLE.allowed(Facts("b", OFFICER)) == [EDGES[1]]


def test_acts_for_is_the_body_s_own_people_and_head_is_is_head_of():
    head = Person(3, 1, frozenset({Role.HEAD}))
    assert acts_for(head, 1, Role.HEAD) and not acts_for(head, 2, Role.HEAD)
    assert not acts_for(Person(4, 1, frozenset({Role.LEADER})), 1, Role.HEAD)
    assert not acts_for(Person(5, 1, frozenset({Role.OFFICER}), is_person=False), 1, Role.OFFICER)
    assert not acts_for(OFFICER, None, Role.OFFICER)


def test_a_procedure_lists_each_cited_step_once_in_table_order_named_by_label_or_action():
    edges = (Edge("a", "file", "b", "x", "立案", citation="第一条"), Edge("a", "note", "a", "x", "记录"),
             Edge("b", "decide", "c", "x", citation="第二条"), Edge("c", "file", "d", "x", "立案", citation="第三条"),
             Edge("c", "close", "d", "x", citation="第四条"))
    assert procedure(edges, {"decide": "决定"}) == [("立案", "第一条"), ("决定", "第二条")]
