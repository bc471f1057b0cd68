"""The handling of complaints on the workflow kernel: every edge taken by the handling department, every other
(status, action) pair refused and nothing written."""

from __future__ import annotations

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.complaints import services, workflow
from jianguan.complaints.models import ComplaintStatus, ComplaintStep
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.roles import Role
from tests.library_fixtures import SYSTEM
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

DEPARTMENT = 7
OFFICER = Person(1, DEPARTMENT, frozenset({Role.OFFICER}))
ADMIN = Person(2, DEPARTMENT, frozenset({Role.DEPARTMENT_ADMIN}))


def facts(state: str, actor: Person = OFFICER) -> workflow.Facts:
    return workflow.Facts(state, actor, DEPARTMENT)


@pytest.mark.parametrize("actor", [OFFICER, ADMIN])
def test_every_edge_is_taken_by_the_handling_department(actor):
    assert_every_edge_taken(workflow.COMPLAINTS, lambda edge: facts(edge.source, actor))
    assert {e.target for e in workflow.EDGES} == set(ComplaintStatus.values) - {ComplaintStatus.RECEIVED}


def test_every_action_out_of_order_is_refused():
    assert_refused_out_of_order(workflow.COMPLAINTS, ComplaintStatus.values, facts)
    with pytest.raises(InvalidTransition) as refused:
        workflow.COMPLAINTS.check("accept", facts(ComplaintStatus.CONCLUDED))
    assert refused.value.extra == {"status": "concluded"} and "已办结" in refused.value.message


@pytest.mark.parametrize("actor", [Person(3, DEPARTMENT + 1, frozenset({Role.OFFICER})),
                                   Person(4, DEPARTMENT, frozenset({Role.HEAD, Role.LEGAL_REVIEWER})),
                                   Person(5, DEPARTMENT, frozenset({Role.OFFICER}), is_person=False)])
def test_anyone_else_is_refused(actor):
    for edge in workflow.EDGES:
        with pytest.raises(AccessDenied) as refused:
            workflow.COMPLAINTS.check(edge, facts(edge.source, actor))
        assert refused.value.code == "not_handling_department"
        assert workflow.COMPLAINTS.allowed(facts(edge.source, actor)) == []


@pytest.mark.django_db
def test_a_stored_complaint_out_of_order_writes_nothing(xianan_entity, persona):
    complaint = services.complaint_receive(actor=SYSTEM, channel="portal", values={
        "category": "price", "subject_uscc": xianan_entity.uscc, "content": "结账时多收停车费"})
    officer = persona("xa_scjg_officer")
    services.complaint_decide(actor=officer, complaint_id=complaint.pk, accept=False, note="不属于本部门管辖")
    steps, events = ComplaintStep.objects.count(), AuditEvent.objects.count()
    for call in (lambda: services.complaint_decide(actor=officer, complaint_id=complaint.pk, accept=True),
                 lambda: services.complaint_conclude(actor=officer, complaint_id=complaint.pk, outcome="已办结"),
                 lambda: services.complaint_mark_converted(actor=officer, complaint_id=complaint.pk, note="转线索")):
        with pytest.raises(InvalidTransition) as refused:
            call()
        assert refused.value.code == "invalid_transition"
        assert refused.value.extra == {"status": ComplaintStatus.NOT_ACCEPTED}
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.NOT_ACCEPTED
    assert (ComplaintStep.objects.count(), AuditEvent.objects.count()) == (steps, events)
