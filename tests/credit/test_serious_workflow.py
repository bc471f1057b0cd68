"""The 严重违法失信名单 table on the workflow kernel: every edge taken by its person with its guards holding, every
other (state, action) pair refused as out of order, and the refusals of the people who may not act."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied
from jianguan.core.roles import Role
from jianguan.credit import serious_workflow as flow
from jianguan.credit.models import SeriousStatus
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

DEPARTMENT, UPPER_DEPARTMENT = 5, 3
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
HEAD = Person(2, DEPARTMENT, frozenset({Role.HEAD}))
UPPER_HEAD = Person(3, UPPER_DEPARTMENT, frozenset({Role.HEAD}))
SYSTEM = SystemActor("test")
BY = {flow.OFFICER: OFFICER, flow.APPROVER: HEAD, flow.UPPER: UPPER_HEAD, flow.SYSTEM: SYSTEM}
TODAY = dt.date(2026, 12, 7)


def facts(state: str, actor: object, **changes: object) -> flow.Facts:
    values: dict[str, object] = {
        "upper_department_id": UPPER_DEPARTMENT, "upper_needed": False, "statement_due": TODAY - dt.timedelta(days=1),
        "hearing_requested": True, "hearing_outcome": "维持", "listed_on": dt.date(2023, 12, 7),
        "ends_on": TODAY, "performed": True, "harm_removed": True, **changes}
    return flow.Facts(state, actor, DEPARTMENT, OFFICER.pk, TODAY, **values)  # type: ignore[arg-type]


def for_edge(edge):
    changes: dict[str, object] = {}
    if edge.action == "forward":
        changes["upper_needed"] = True
    if edge.action == "record_upper":
        changes["upper_department_id"] = None
    return facts(edge.source, BY[edge.who], **changes)


def test_every_edge_is_taken_by_its_person_and_every_state_is_reachable():
    assert_every_edge_taken(flow.ENTRIES, for_edge)
    assert {e.target for e in flow.EDGES} == set(SeriousStatus.values) - {SeriousStatus.PROPOSED}


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(flow.ENTRIES, SeriousStatus.values, lambda state: facts(state, HEAD))


@pytest.mark.parametrize(("action", "state", "actor", "code"), [
    ("notify", SeriousStatus.PROPOSED, Person(9, DEPARTMENT + 1, frozenset({Role.OFFICER})), "not_department_officer"),
    ("approve", SeriousStatus.SUBMITTED, OFFICER, "not_department_head"),
    ("approve", SeriousStatus.SUBMITTED, Person(OFFICER.pk, DEPARTMENT, frozenset({Role.HEAD})), "same_person"),
    ("agree", SeriousStatus.UPPER, HEAD, "not_upper_head"),
    ("expire", SeriousStatus.PUBLISHED, HEAD, "system_only"),
])
def test_who_may_not_act(action, state, actor, code):
    with pytest.raises(AccessDenied) as refused:
        flow.ENTRIES.check(action, facts(state, actor))
    assert refused.value.code == code


def test_a_year_is_served_on_its_anniversary_and_29_february_counts_to_1_march():
    assert flow.add_years(dt.date(2025, 12, 7), 1) == dt.date(2026, 12, 7)
    assert flow.add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 3, 1)
