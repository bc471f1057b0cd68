"""The change workflow of the one list on the workflow kernel: every edge taken by its person, every other
(status, action) pair refused with the open actions and nothing written."""

from __future__ import annotations

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.catalog import change_requests, workflow
from jianguan.catalog.models import ChangeKind, ChangeStatus, ChangeStep
from jianguan.core.errors import AccessDenied, InvalidTransition
from jianguan.core.roles import Role
from tests.catalog_fixtures import FOOD, START, department_admin
from tests.workflow_walk import Person, assert_every_edge_taken, assert_refused_out_of_order

SUBMITTER = Person(1, 10, frozenset({Role.DEPARTMENT_ADMIN}))
DATA_ADMIN = Person(2, 1, frozenset({Role.DATA_ADMIN}))
GUIDING_ADMIN = Person(3, 5, frozenset({Role.DEPARTMENT_ADMIN}))
ACTORS = {workflow.SUBMITTER: SUBMITTER, workflow.REVIEWER: DATA_ADMIN, workflow.PUBLISHER: DATA_ADMIN}


def facts(state: str, actor: Person, kind: str = ChangeKind.CLAIM) -> workflow.Facts:
    return workflow.Facts(state=state, actor=actor, kind=kind, submitted_by_id=SUBMITTER.pk, department_parent_id=5)


def test_every_edge_is_taken_by_its_person():
    assert_every_edge_taken(workflow.CHANGES, lambda edge: facts(edge.source, ACTORS[edge.who]))
    assert {e.target for e in workflow.EDGES} == set(ChangeStatus.values) - {ChangeStatus.DRAFT}


@pytest.mark.parametrize("actor", [SUBMITTER, DATA_ADMIN])
def test_every_action_out_of_order_is_refused_with_the_open_actions(actor):
    assert_refused_out_of_order(workflow.CHANGES, ChangeStatus.values, lambda state: facts(state, actor))
    with pytest.raises(InvalidTransition) as refused:
        workflow.CHANGES.check("approve", facts(ChangeStatus.REJECTED, actor))
    assert refused.value.extra == {"status": "rejected", "allowed": ["submit"]}
    with pytest.raises(InvalidTransition) as ended:
        workflow.CHANGES.check("withdraw", facts(ChangeStatus.PUBLISHED, actor))
    assert ended.value.extra["allowed"] == [] and "已结束" in ended.value.message


@pytest.mark.parametrize(("state", "action", "actor", "code"), [
    (ChangeStatus.SUBMITTED, "withdraw", DATA_ADMIN, "not_submitter"),
    (ChangeStatus.REJECTED, "submit", GUIDING_ADMIN, "not_submitter"),
    (ChangeStatus.SUBMITTED, "approve", SUBMITTER, "cannot_review"),
    (ChangeStatus.SUBMITTED, "reject", Person(4, 6, frozenset({Role.DEPARTMENT_ADMIN})), "cannot_review"),
    (ChangeStatus.APPROVED, "publish", GUIDING_ADMIN, "not_data_admin"),
])
def test_the_wrong_person_is_refused(state, action, actor, code):
    with pytest.raises(AccessDenied) as refused:
        workflow.CHANGES.check(action, facts(state, actor))
    assert refused.value.code == code
    assert action not in [e.action for e in workflow.CHANGES.allowed(facts(state, actor))]


def test_the_guiding_department_reviews_implementation_changes_only():
    assert workflow.CHANGES.check("approve", facts(ChangeStatus.SUBMITTED, GUIDING_ADMIN)).target == "approved"
    with pytest.raises(AccessDenied):
        workflow.CHANGES.check("approve", facts(ChangeStatus.SUBMITTED, GUIDING_ADMIN, ChangeKind.ITEM_ADD))


@pytest.mark.django_db
def test_a_stored_change_out_of_order_writes_nothing(small_catalog, persona):
    county_admin = department_admin("scjg", "421221")
    change = change_requests.change_submit(actor=county_admin, kind=ChangeKind.CLAIM,
                                           payload={"item": FOOD, "effective_from": START})
    city_admin = persona("scjg_admin")
    change_requests.change_review(actor=city_admin, change_id=change.pk, approve=True)
    steps, events = ChangeStep.objects.count(), AuditEvent.objects.count()
    for call in (lambda: change_requests.change_review(actor=city_admin, change_id=change.pk, approve=False, note="x"),
                 lambda: change_requests.change_withdraw(actor=county_admin, change_id=change.pk),
                 lambda: change_requests.change_resubmit(actor=county_admin, change_id=change.pk,
                                                         payload={"item": FOOD, "effective_from": START})):
        with pytest.raises(InvalidTransition) as refused:
            call()
        assert refused.value.extra == {"status": "approved", "allowed": ["publish"]}
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert (ChangeStep.objects.count(), AuditEvent.objects.count()) == (steps, events)
