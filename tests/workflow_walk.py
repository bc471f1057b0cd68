"""Walking a table of the workflow kernel (`core.workflow`): every edge taken by its person, every other
(state, action) pair refused as out of order, as the penalty workflow's test does."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

from jianguan.core.errors import InvalidTransition
from jianguan.core.workflow import Edge, Workflow


@dataclass(frozen=True)
class Person:
    """A person as the permission functions read them."""

    pk: int
    department_id: int
    roles: frozenset[str] = field(default_factory=frozenset)
    is_person: bool = True

    @property
    def id(self) -> int:
        return self.pk

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def out_of_order(workflow: Workflow, states: Iterable[str]) -> list[tuple[str, str]]:
    """Every (state, action) pair the table does not have."""
    return [(s, a) for s in states for a in sorted(workflow.actions) if workflow.edge(s, a) is None]


def assert_every_edge_taken(workflow: Workflow, facts_for: Callable[[Edge], Any]) -> None:
    for edge in workflow.edges:
        facts = facts_for(edge)
        assert workflow.check(edge, facts) == edge, edge
        assert edge in workflow.allowed(facts), edge


def assert_refused_out_of_order(workflow: Workflow, states: Iterable[str], facts_for: Callable[[str], Any],
                                code: str = "invalid_transition") -> None:
    pairs = out_of_order(workflow, states)
    assert pairs, "a table with no refusals tests nothing"
    for state, action in pairs:
        with pytest.raises(InvalidTransition) as refused:
            workflow.check(action, facts_for(state))
        assert refused.value.code == code and refused.value.status == 409, (state, action)
