"""A repair item's stages on the workflow kernel: fixed or dismissed by a person who reports data for its
department (or a wide reader), every step on a closed item refused, the wrong person refused first, and a refused
step writes nothing."""

from __future__ import annotations

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role
from jianguan.exchange import repairs, workflow
from jianguan.exchange.models import RepairItem, RepairStatus
from tests.exchange.test_intake import _refused_item
from tests.exchange_fixtures import city_scjg, exchange_world_fixture, inspection  # noqa: F401 (fixture)
from tests.workflow_walk import Person, out_of_order

DEPARTMENT = 4
REPORTERS = [Person(1, DEPARTMENT, frozenset({Role.OFFICER})),
             Person(2, DEPARTMENT, frozenset({Role.DEPARTMENT_ADMIN})),
             Person(3, DEPARTMENT + 1, frozenset({Role.DATA_ADMIN}))]  # a data administrator reads wide
OTHERS = [Person(5, DEPARTMENT + 1, frozenset({Role.OFFICER})), Person(6, DEPARTMENT, frozenset({Role.HEAD})),
          Person(7, DEPARTMENT, frozenset({Role.OFFICER}), is_person=False)]


def facts(state: str, actor: Person) -> workflow.Facts:
    return workflow.Facts(state, actor, DEPARTMENT)


@pytest.mark.parametrize("actor", REPORTERS)
def test_every_edge_is_taken_by_a_reporter_of_the_item_s_department(actor):
    for edge in workflow.REPAIRS.edges:
        assert workflow.REPAIRS.check(edge, facts(edge.source, actor)) == edge
        assert edge in workflow.REPAIRS.allowed(facts(edge.source, actor))
    assert {e.target for e in workflow.REPAIRS.edges} == {RepairStatus.FIXED, RepairStatus.DISMISSED}


def test_every_step_on_a_closed_item_is_refused_as_closed():
    pairs = out_of_order(workflow.REPAIRS, RepairStatus.values)
    assert {s for s, _ in pairs} == {RepairStatus.FIXED, RepairStatus.DISMISSED}
    assert {a for _, a in pairs} == {"fix", "dismiss"}
    for state, action in pairs:
        with pytest.raises(ValidationFailed) as refused:
            workflow.REPAIRS.check(action, facts(state, REPORTERS[0]))
        assert (refused.value.code, refused.value.status) == ("repair_closed", 400)


@pytest.mark.parametrize("actor", OTHERS)
def test_anyone_else_is_refused_whatever_the_item_s_state(actor):
    for state in RepairStatus.values:
        for action, message in workflow.DENIED.items():
            with pytest.raises(AccessDenied) as refused:
                workflow.REPAIRS.check(action, facts(state, actor))
            assert str(refused.value) == message, (state, action)
        assert workflow.REPAIRS.allowed(facts(state, actor)) == []


@pytest.mark.django_db
def test_a_refused_step_on_a_stored_item_writes_nothing(exchange_world, persona):
    item = _refused_item(exchange_world)
    officer, head = persona("scjg_officer"), persona("scjg_head")
    with pytest.raises(AccessDenied):
        repairs.repair_dismiss(actor=head, item_id=item.pk, reason="测试数据误报")
    repairs.repair_dismiss(actor=officer, item_id=item.pk, reason="测试数据误报")
    events, row = AuditEvent.objects.count(), RepairItem.objects.values().get(pk=item.pk)
    for call in (lambda: repairs.repair_dismiss(actor=officer, item_id=item.pk, reason="再次作废"),
                 lambda: repairs.repair_fix(actor=officer, item_id=item.pk, values={"party_code": "x"})):
        with pytest.raises(ValidationFailed) as refused:
            call()
        assert refused.value.code == "repair_closed"
    with pytest.raises(AccessDenied):  # the state is not told to whom may not handle the item
        repairs.repair_fix(actor=head, item_id=item.pk, values={"party_code": "x"})
    assert (AuditEvent.objects.count(), RepairItem.objects.values().get(pk=item.pk)) == (events, row)
    assert row["status"] == RepairStatus.DISMISSED
