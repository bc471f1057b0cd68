"""The tables of 行政强制 on the workflow kernel: every edge taken by its person when its guards hold, every
other (state, action) pair refused with the open actions, every guard refusing with its code and the wrong
person refused — and a refused step writes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.coercion import executions, measures, workflow
from jianguan.coercion.models import Execution, ExecutionStep, Measure, MeasureStep
from jianguan.coercion.workflow import ExecutionState as E
from jianguan.coercion.workflow import MeasureState as M
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.core.roles import Role
from tests.coercion.world import _execution, _in_force_since_sept_1, _values
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

pytestmark = pytest.mark.django_db  # the clocks of the guards read the working-day calendar

DEPARTMENT = 3
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
HEAD = Person(2, DEPARTMENT, frozenset({Role.HEAD}))
PROPOSER = 9
ACTORS = {workflow.OFFICER: OFFICER, workflow.HEAD: HEAD, workflow.EITHER: OFFICER}
TABLES = {"measures": (workflow.MEASURES, [workflow.NEW, *workflow.MEASURE_STATES]),
          "enforcements": (workflow.EXECUTIONS, [workflow.NEW, *workflow.EXECUTION_STATES])}

# A day of each step on which its guards hold, for the record below.
DAYS = {"extend": dt.date(2026, 9, 15), "test": dt.date(2026, 9, 15), "dispose": dt.date(2026, 9, 30),
        "demand": dt.date(2026, 5, 10), "decide": dt.date(2026, 6, 1), "decide_immediately": dt.date(2026, 5, 15),
        "apply_court": dt.date(2026, 9, 1)}
RECORD = {"department_id": DEPARTMENT, "proposer_id": PROPOSER, "starts_on": dt.date(2026, 9, 1),
          "due_on": dt.date(2026, 10, 1), "decision_served_on": dt.date(2026, 2, 20),
          "payment_due": dt.date(2026, 3, 7), "demand_served_on": dt.date(2026, 5, 10),
          "demand_deadline": dt.date(2026, 5, 20), "remedy_ends": dt.date(2026, 8, 20)}


def facts_for(edge: workflow.Edge, *, day: bool = True, **changes) -> workflow.Facts:
    values = {**RECORD, "power": workflow.COURT if "court" in edge.guards else workflow.OWN,
              "on": DAYS.get(edge.action) if day else None, **changes}
    return workflow.Facts(edge.source, changes.pop("actor", ACTORS[edge.who]), action=edge.action,
                          **{k: v for k, v in values.items() if k != "actor"})


# What makes each guard fail, and the code of its refusal.
FAILING = {
    "once": ({"extension_days": 30}, "extension_once"),
    "goods_only": ({"goods": False}, "testing_not_for_kind"),
    "in_period": ({"on": dt.date(2026, 10, 2)}, "period_expired"),
    "after_payment_due": ({"on": dt.date(2026, 3, 7)}, "not_yet_due"),
    "own_power": ({"power": workflow.COURT}, "needs_court"),
    "court": ({"power": workflow.OWN}, "has_own_power"),
    "objection_not_upheld": ({"objection_upheld": True}, "objection_upheld"),
    "demand_lapsed": ({"on": dt.date(2026, 5, 20)}, "demand_not_lapsed"),
    "late_fees_30_days": ({"principal": Decimal("5000"), "late_fee_rate": Decimal("0.03"),
                           "demand_served_on": dt.date(2026, 4, 1)}, "late_fees_under_30_days"),
    "in_demand_period": ({"on": dt.date(2026, 5, 21)}, "not_in_demand_period"),
    "ten_working_days": ({"on": dt.date(2026, 5, 20), "remedy_ends": dt.date(2026, 5, 1)}, "court_too_early"),
    "court_window": ({"on": dt.date(2026, 8, 20)}, "remedy_period_running"),
}
DAY_GUARDS = {"in_period", "after_payment_due", "demand_lapsed", "late_fees_30_days", "in_demand_period",
              "ten_working_days", "court_window"}


def test_every_guard_named_in_a_table_is_a_function_with_a_refusal_case():
    named = {g for table, _ in TABLES.values() for e in table.edges for g in e.guards}
    assert named == set(workflow.GUARDS) == set(FAILING)


@pytest.mark.parametrize("name", TABLES)
def test_every_edge_is_taken_by_its_person_when_its_guards_hold(name):
    table, _ = TABLES[name]
    assert_every_edge_taken(table, facts_for)
    assert_every_edge_taken(table, lambda edge: facts_for(edge, day=False))  # before the day is read


@pytest.mark.parametrize("name", TABLES)
def test_every_action_out_of_order_is_refused_with_the_open_actions(name):
    table, states = TABLES[name]
    assert_refused_out_of_order(table, states, lambda state: workflow.Facts(state, HEAD, DEPARTMENT))
    with pytest.raises(InvalidTransition) as refused:
        table.check("fly", workflow.Facts(states[1], HEAD, DEPARTMENT))
    assert refused.value.field == "action"
    assert refused.value.extra == {"state": states[1], "action": "fly", "allowed": table.open_actions(states[1])}


GUARDED = [(edge, guard) for table, _ in TABLES.values() for edge in table.edges for guard in edge.guards]


@pytest.mark.parametrize(("edge", "guard"), GUARDED, ids=[f"{e.source}-{e.action}-{g}" for e, g in GUARDED])
def test_every_guard_refuses_with_its_code(edge, guard):
    table = workflow.table(workflow.MEASURE_EDGES if edge in workflow.MEASURE_EDGES else workflow.EXECUTION_EDGES)
    changes, code = FAILING[guard]
    facts = facts_for(edge, **changes)
    if guard == "late_fees_30_days":
        facts = dataclasses.replace(facts, on=DAYS[edge.action])
    with pytest.raises((InvalidTransition, ValidationFailed)) as refused:
        table.check(edge, facts)
    assert refused.value.code == code
    assert edge not in table.allowed(facts)
    if guard in DAY_GUARDS:  # judged once the service has read the step's day
        assert table.check(edge, dataclasses.replace(facts, on=None)) == edge


@pytest.mark.parametrize("name", TABLES)
def test_the_wrong_person_is_refused(name):
    table, _ = TABLES[name]
    outsider = Person(5, DEPARTMENT + 1, frozenset({Role.OFFICER, Role.HEAD}))
    reader = Person(6, DEPARTMENT, frozenset({Role.LEADER, Role.LEGAL_REVIEWER}))
    for edge in table.edges:
        wrong = [outsider, reader] + ([OFFICER] if edge.who == workflow.HEAD else [])
        for actor in wrong:  # opening a record is refused as an input error (400), as it always was
            with pytest.raises(ValidationFailed if edge.source == workflow.NEW else AccessDenied) as refused:
                table.check(edge, facts_for(edge, actor=actor))
            assert refused.value.code == "not_allowed_for_role", (edge, actor)
            assert edge not in table.allowed(facts_for(edge, actor=actor))
        if edge.who == workflow.HEAD:  # the 提出人 never approves their own step
            with pytest.raises(AccessDenied) as own:
                table.check(edge, facts_for(edge, actor=HEAD, proposer_id=HEAD.pk))
            assert own.value.code == "same_person"


def test_a_refused_guard_writes_nothing(world):
    measure = _in_force_since_sept_1(world)
    measures.measure_extend(actor=world["head"], measure_id=measure.pk, days=10, reason="案情复杂",
                            on=dt.date(2026, 9, 20))
    execution = _execution(world, power="court")
    counts = (MeasureStep.objects.count(), ExecutionStep.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as twice:
        measures.measure_extend(actor=world["head"], measure_id=measure.pk, days=5, reason="再延长",
                                on=dt.date(2026, 9, 25))
    assert twice.value.code == "extension_once"
    executions.execution_demand(actor=world["actor"], execution_id=execution.pk, served_on="2026-05-10",
                                deadline="2026-05-20", manner="银行缴款")
    counts = (counts[0], counts[1] + 1, AuditEvent.objects.count())
    with pytest.raises(InvalidTransition) as own:
        executions.execution_decide_immediately(actor=world["head"], execution_id=execution.pk,
                                                reason="正在转移财产", on="2026-05-12")
    assert own.value.code == "needs_court"
    assert (MeasureStep.objects.count(), ExecutionStep.objects.count(), AuditEvent.objects.count()) == counts
    measure.refresh_from_db()
    execution.refresh_from_db()
    assert (measure.status, measure.extension_days, execution.status) == (M.IN_FORCE, 10, E.DEMANDED)


def test_only_an_officer_opens_a_measure_or_an_execution_and_a_refusal_writes_nothing(world, persona):
    """The entry edges carry who may act: the services ask the table, and a reader writes nothing."""
    heads = [e for table, _ in TABLES.values() for e in table.edges if e.source == workflow.NEW]
    assert {(e.action, e.who) for e in heads} == {("request", workflow.OFFICER), ("act_emergency", workflow.OFFICER),
                                                  ("create", workflow.OFFICER)}
    counts = (Measure.objects.count(), Execution.objects.count(), AuditEvent.objects.count())
    for who in (world["head"], persona("leader")):
        with pytest.raises(ValidationFailed) as measure:
            measures.measure_request(actor=who, **_values(world))
        assert (measure.value.code, str(measure.value)) == ("not_allowed_for_role", "只有执法人员可以提出行政强制措施")
        with pytest.raises(ValidationFailed) as execution:
            _execution({**world, "actor": who})
        assert (execution.value.code, str(execution.value)) == ("not_allowed_for_role", "只有执法人员可以登记强制执行")
    assert (Measure.objects.count(), Execution.objects.count(), AuditEvent.objects.count()) == counts
