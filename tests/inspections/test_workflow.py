"""A field inspection's stages on the workflow kernel: a draft changed, synced, given evidence and submitted by
whoever writes it, every step on a submitted record refused with its own refusal, a reader refused, and a
refused step writes nothing."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.inspections import drafts, evidence, submission, workflow
from jianguan.inspections.models import Evidence, FieldInspection, Status
from tests.inspections.world import completed, opened, png
from tests.workflow_walk import out_of_order

RECORD = object()
CODES = {"update": "sync_conflict", "sync": "sync_conflict", "add_evidence": "inspection_submitted",
         "submit": "inspection_submitted"}


def facts(state: str, *, writer: bool = True) -> workflow.Facts:
    return workflow.Facts(state, "张伟", writer, RECORD)


def test_every_edge_is_taken_by_whoever_writes_the_draft():
    for edge in workflow.INSPECTIONS.edges:
        assert workflow.INSPECTIONS.check(edge, facts(edge.source)) == edge
        assert edge in workflow.INSPECTIONS.allowed(facts(edge.source))
    assert {(e.action, e.target) for e in workflow.INSPECTIONS.edges} == {
        ("update", Status.DRAFT), ("sync", Status.DRAFT), ("add_evidence", Status.DRAFT),
        ("submit", Status.SUBMITTED)}


def test_every_step_on_a_submitted_record_keeps_its_own_refusal():
    pairs = out_of_order(workflow.INSPECTIONS, Status.values)
    assert pairs == [(Status.SUBMITTED, a) for a in sorted(CODES)]
    for state, action in pairs:
        with pytest.raises(InvalidTransition) as refused:
            workflow.INSPECTIONS.check(action, facts(state))
        assert (refused.value.code, refused.value.status) == (CODES[action], 409), action
        if CODES[action] == "sync_conflict":  # the phone is answered with the server's copy
            assert refused.value.inspection is RECORD


def test_a_reader_is_refused_every_step():
    for edge in workflow.INSPECTIONS.edges:
        with pytest.raises(AccessDenied) as refused:
            workflow.INSPECTIONS.check(edge, facts(edge.source, writer=False))
        assert refused.value.code == "not_an_officer"
        with pytest.raises(AccessDenied):
            workflow.refuse_reader(edge.action, facts(Status.SUBMITTED, writer=False))
        workflow.refuse_reader(edge.action, facts(Status.SUBMITTED))
    assert workflow.INSPECTIONS.allowed(facts(Status.DRAFT, writer=False)) == []


@pytest.mark.django_db
def test_steps_on_a_stored_record_refused_write_nothing(world, persona):
    inspection = completed(world, opened(world))
    admin, officer = persona("scjg_admin"), world["officer"]
    with pytest.raises(AccessDenied):  # of its department, but not there
        drafts.inspection_update(actor=admin, inspection_id=inspection.pk, base_version=inspection.version,
                                 values={"place": "别处"})
    submission.inspection_submit(actor=officer, inspection_id=inspection.pk)
    row, events = FieldInspection.objects.values().get(pk=inspection.pk), AuditEvent.objects.count()
    data = png()
    for call, code in (
            (lambda: submission.inspection_submit(actor=officer, inspection_id=inspection.pk), "inspection_submitted"),
            (lambda: drafts.inspection_update(actor=officer, inspection_id=inspection.pk,
                                              base_version=row["version"], values={"place": "别处"}), "sync_conflict"),
            (lambda: evidence.evidence_add(actor=officer, inspection_id=inspection.pk, client_id=uuid.uuid4(),
                                           name="现场.png", data=data, sha256=hashlib.sha256(data).hexdigest()),
             "inspection_submitted")):
        with pytest.raises(InvalidTransition) as refused:
            call()
        assert refused.value.code == code
    with pytest.raises(AccessDenied):  # a reader learns nothing of the state
        submission.inspection_submit(actor=admin, inspection_id=inspection.pk)
    assert FieldInspection.objects.values().get(pk=inspection.pk) == row and row["status"] == Status.SUBMITTED
    assert (AuditEvent.objects.count(), Evidence.objects.filter(inspection_id=inspection.pk).count()) == (events, 0)
