"""The penalty workflow: every edge of the transition table allowed and every other action refused (pure,
table-driven), who may take each edge, each guard's refusal, and the services along a whole case — 立案 to 归档
with a hearing, the simple procedure's limits, the 先行登记保存 clock, the decision deadline, the behaviour record
and the case's own hash chain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from jianguan.accounts.models import OfficerCredential, User
from jianguan.behaviour.models import Inspection, Penalty
from jianguan.core.errors import AccessDenied, DomainError, InvalidTransition, NotFound, ValidationFailed
from jianguan.core.roles import Role
from jianguan.enforcement import contracts, history, registration, selectors, simple, steps, transitions, workflow
from jianguan.enforcement.evidence import evidence_add
from jianguan.enforcement.models import Approval, CaseEvent, CaseStatus, Clue, ClueStatus
from jianguan.subjects.services import person_register
from tests.enforcement_fixtures import ENDING, FILING, act, decided, filed, make_user, register, sha, world_fixture  # noqa: F401

TODAY = dt.date(2026, 11, 20)
S = CaseStatus


# The table, pure ----------------------------------------------------------------------------------------------

HANDLER_ID, PARTNER_ID, LEADER_ID, REVIEWER_ID, OTHER_OFFICER_ID = 10, 11, 20, 30, 40
DEPARTMENT = 1
OFFICERS = (workflow.OfficerFact(HANDLER_ID, "张伟", "A1", dt.date(2024, 1, 1), dt.date(2029, 12, 31)),
            workflow.OfficerFact(PARTNER_ID, "李强", "A2", dt.date(2024, 1, 1), dt.date(2029, 12, 31)))
HANDLER = workflow.ActorFacts(HANDLER_ID, DEPARTMENT, frozenset({Role.OFFICER}))
LEADER = workflow.ActorFacts(LEADER_ID, DEPARTMENT, frozenset({Role.HEAD}))
REVIEWER = workflow.ActorFacts(REVIEWER_ID, DEPARTMENT, frozenset({Role.LEGAL_REVIEWER}))
ACTORS = {workflow.HANDLER: HANDLER, workflow.LEADER: LEADER, workflow.LEGAL_REVIEWER: REVIEWER}

# What makes each guard hold.
PASSING = {
    "proposal_file": {"filing_proposal": "file"}, "proposal_not_file": {"filing_proposal": "not_file"},
    "decision_extended": {"decision_extended": True}, "suspension_open": {"open_suspension": True},
    "preservation_pending": {"preservations_pending": 1}, "preservation_open": {"preservations_open": 1},
    "hearing_right": {"hearing_right": True, "hearing_request_due": TODAY + dt.timedelta(days=3)},
    "payment_unsettled": {"payment_settled": False}, "payment_overdue": {"payment_due": TODAY - dt.timedelta(days=1)},
    "was_served": {"served": True},
}
# What makes each guard fail, and the code of its refusal.
FAILING = {
    "officers_valid_today": ({"officers": OFFICERS[:1]}, "officers_too_few"),
    "proposal_file": ({"filing_proposal": "not_file"}, "proposal_mismatch"),
    "proposal_not_file": ({"filing_proposal": "file"}, "proposal_mismatch"),
    "check_not_extended": ({"check_extended": True}, "already_extended"),
    "decision_not_extended": ({"decision_extended": True}, "already_extended"),
    "decision_extended": ({"decision_extended": False}, "extension_missing"),
    "no_open_suspension": ({"open_suspension": True}, "suspension_open"),
    "suspension_open": ({"open_suspension": False}, "no_suspension"),
    "preservation_pending": ({"preservations_pending": 0}, "no_preservation"),
    "preservation_open": ({"preservations_open": 0}, "no_preservation"),
    "no_open_preservation": ({"preservations_open": 1}, "preservation_open"),
    "review_done_if_required": ({"legal_review_required": True}, "legal_review_missing"),
    "discussion_done_if_major": ({"major": True}, "collective_missing"),
    "hearing_right": ({"hearing_right": False}, "no_hearing_right"),
    "hearing_window_open": ({"hearing_request_due": TODAY - dt.timedelta(days=1)}, "hearing_request_late"),
    "statement_period_over": ({"hearing_right": True, "hearing_request_due": TODAY}, "hearing_period_open"),
    "decision_not_overdue": ({"decision_due": TODAY - dt.timedelta(days=1)}, "decision_overdue"),
    "payment_unsettled": ({"payment_settled": True}, "nothing_to_pay"),
    "payment_overdue": ({"payment_due": TODAY}, "payment_not_overdue"),
    "executed": ({"payment_settled": False}, "not_executed"),
    "was_served": ({"served": False}, "not_served"),
}


def facts_for(edge: workflow.Edge, **changes) -> workflow.Facts:
    values = {"status": edge.source, "department_id": DEPARTMENT, "officers": OFFICERS,
              "decision_due": TODAY + dt.timedelta(days=30)}
    for guard in edge.guards:
        values.update(PASSING.get(guard, {}))
    values.update(changes)
    return workflow.Facts(**values)


def _id(edge: workflow.Edge) -> str:
    return f"{edge.source}-{edge.action}"


def test_every_status_is_reachable_and_every_action_has_a_handler():
    targets = {e.target for e in workflow.EDGES} | {c[1] for c in workflow.CREATIONS}
    assert targets == set(S.values)
    assert set(steps.HANDLERS) >= workflow.ACTIONS
    assert set(workflow.GUARDS) == set(FAILING)  # every guard has a refusal case below


@pytest.mark.parametrize("edge", workflow.EDGES, ids=_id)
def test_every_edge_is_allowed_to_its_actor_when_its_guards_hold(edge):
    facts = facts_for(edge)
    assert workflow.check(facts, ACTORS[edge.who], edge.action, TODAY) == edge
    assert edge.action in [e.action for e in workflow.allowed(facts, ACTORS[edge.who], TODAY)]


FORBIDDEN = [(status, action) for status in S.values for action in sorted(workflow.ACTIONS)
             if action not in {e.action for e in workflow.edges_from(status)}]


@pytest.mark.parametrize(("status", "action"), FORBIDDEN, ids=[f"{s}-{a}" for s, a in FORBIDDEN])
def test_every_action_out_of_order_is_refused_with_the_allowed_ones(status, action):
    facts = workflow.Facts(status=status, department_id=DEPARTMENT, officers=OFFICERS)
    for actor in ACTORS.values():
        with pytest.raises(InvalidTransition) as refused:
            workflow.check(facts, actor, action, TODAY)
        assert refused.value.code == "invalid_transition" and refused.value.status == 409
        assert refused.value.extra["allowed"] == [e.action for e in workflow.allowed(facts, actor, TODAY)]


def _wrong_actors(edge: workflow.Edge) -> dict[str, workflow.ActorFacts]:
    other_department = workflow.ActorFacts(HANDLER_ID, DEPARTMENT + 1, frozenset({Role.OFFICER, Role.HEAD,
                                                                              Role.LEGAL_REVIEWER}))
    wrong = {"other department": other_department,
             "a system": workflow.ActorFacts(0, DEPARTMENT, frozenset(), is_person=False),
             "department admin": workflow.ActorFacts(50, DEPARTMENT, frozenset({Role.DEPARTMENT_ADMIN}))}
    if edge.who == workflow.HANDLER:
        wrong |= {"an officer not on the case": workflow.ActorFacts(OTHER_OFFICER_ID, DEPARTMENT,
                                                                 frozenset({Role.OFFICER})),
                  "the leader": LEADER, "the legal reviewer": REVIEWER}
    else:
        role = Role.HEAD if edge.who == workflow.LEADER else Role.LEGAL_REVIEWER
        wrong |= {"a handler": HANDLER, "a handler who also holds the approving role":
                  workflow.ActorFacts(HANDLER_ID, DEPARTMENT, frozenset({Role.OFFICER, role})),
                  "the other approver": REVIEWER if edge.who == workflow.LEADER else LEADER}
    return wrong


@pytest.mark.parametrize("edge", workflow.EDGES, ids=_id)
def test_every_edge_is_refused_to_everyone_else(edge):
    facts = facts_for(edge)
    for name, actor in _wrong_actors(edge).items():
        with pytest.raises(AccessDenied) as refused:
            workflow.check(facts, actor, edge.action, TODAY)
        assert refused.value.code == "not_permitted", name


def test_before_officers_are_assigned_any_officer_of_the_department_handles_the_clue():
    facts = workflow.Facts(status=S.CLUE, department_id=DEPARTMENT)
    anyone = workflow.ActorFacts(OTHER_OFFICER_ID, DEPARTMENT, frozenset({Role.OFFICER}))
    assert [e.action for e in workflow.allowed(facts, anyone, TODAY)] == ["propose_filing", "propose_not_filing"]
    assert [e.action for e in workflow.allowed(facts, LEADER, TODAY)] == ["extend_check"]


GUARDED = [(edge, guard) for edge in workflow.EDGES for guard in edge.guards]


@pytest.mark.parametrize(("edge", "guard"), GUARDED, ids=[f"{_id(e)}-{g}" for e, g in GUARDED])
def test_every_guard_refuses_with_its_code(edge, guard):
    changes, code = FAILING[guard]
    facts = facts_for(edge, **changes)
    with pytest.raises((InvalidTransition, ValidationFailed)) as refused:
        workflow.check(facts, ACTORS[edge.who], edge.action, TODAY)
    assert refused.value.code == code
    assert edge.action not in refused.value.extra["allowed"]


def test_an_expired_credential_is_refused_on_the_day():
    edge = next(e for e in workflow.EDGES if e.action == "record_inquiry")
    expired = (OFFICERS[0],
               workflow.OfficerFact(PARTNER_ID, "李强", "A2", dt.date(2020, 1, 1), TODAY - dt.timedelta(days=1)))
    with pytest.raises(ValidationFailed) as refused:
        workflow.check(facts_for(edge, officers=expired), HANDLER, edge.action, TODAY)
    assert refused.value.code == "credential_invalid" and "李强" in refused.value.message
    assert workflow.check(facts_for(edge, officers=expired), HANDLER, edge.action, TODAY - dt.timedelta(1)) == edge


# The services along a case ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_clue_is_registered_as_the_first_stage_of_a_case(world):
    case = register(world, received_on=dt.date(2026, 11, 2))
    assert case.status == S.CLUE and case.clue.status == ClueStatus.OPEN
    assert case.number.startswith(f"AJ{timezone.localdate().year}-{world.city.pk:04d}-")
    assert case.check_due == case.clue.check_due == dt.date(2026, 11, 23)  # 15 working days, 3 weeks
    event = case.events.get()
    assert (event.seq, event.verb, event.prev_hash) == (1, "register", history.GENESIS)
    with pytest.raises(ValidationFailed) as again:
        registration.case_register(actor=world.officer, department=world.city, party={"uscc": world.entity.uscc},
                               summary="x", source="report", source_ref=case.source_ref, received_on=case.received_on)
    assert again.value.code == "clue_exists"


@pytest.mark.django_db
def test_filing_needs_two_officers_with_valid_credentials(world):
    case = register(world)
    for officers, code in ((["scjg_officer"], "officers_too_few"),
                           (["scjg_officer", "scjg_officer"], "officers_too_few"),
                           (["scjg_officer", "case_officer_x"], "credential_invalid"),
                           (["scjg_officer", "legal_reviewer"], "not_an_officer"),
                           (["scjg_officer", "sthj_officer"], "user_unknown")):
        with pytest.raises(ValidationFailed) as refused:
            act(world, case, "propose_filing", world.officer, {**FILING, "officers": officers})
        assert refused.value.code == code, officers
    case = act(world, case, "propose_filing", world.officer, FILING)
    assert case.status == S.FILING_REVIEW
    assert sorted(case.assignments.values_list("user__username", flat=True)) == ["case_officer_b", "scjg_officer"]


@pytest.mark.django_db
def test_an_officer_whose_credential_is_revoked_stops_the_on_site_acts(world):
    case = filed(world)
    OfficerCredential.objects.filter(user=world.partner).update(revoked_at=timezone.now())
    with pytest.raises(ValidationFailed) as refused:
        act(world, case, "record_inquiry", world.officer, {"interviewee": {"name": "王某"},
                                                          "qa": [{"q": "姓名", "a": "王某"}]})
    assert refused.value.code == "credential_invalid"


@pytest.mark.django_db
def test_who_approves_what(world):
    case = register(world)
    act(world, case, "propose_filing", world.officer, FILING)
    head_on_the_case = make_user("scjg_head_2", "钱副局长", world.city, ["head", "officer"],
                                 (dt.date(2024, 1, 1), dt.date(2029, 12, 31)))
    for who in (world.officer, world.partner, world.reviewer, world.admin, world.outsider_leader):
        with pytest.raises(AccessDenied):
            act(world, case, "approve_filing", who)
    transitions.case_transition(actor=head_on_the_case, case_id=case.pk, action="return_proposal",
                             data={"opinion": "补充承办人员"})
    act(world, case, "propose_filing", world.officer, {**FILING, "officers": ["scjg_officer", "scjg_head_2"]})
    with pytest.raises(AccessDenied):  # a head who handles the case does not approve it
        act(world, case, "approve_filing", head_on_the_case)
    case = act(world, case, "approve_filing", world.head)
    approvals = list(Approval.objects.filter(case=case).values_list("step", "approver__username", "approved"))
    assert approvals == [("return_proposal", "scjg_head_2", False), ("approve_filing", "scjg_head", True)]
    assert case.filed_on == timezone.localdate() and case.clue.status == ClueStatus.FILED


@pytest.mark.django_db
def test_not_filing_is_approved_by_the_head_and_archived(world):
    case = register(world)
    act(world, case, "propose_not_filing", world.officer, {"reason": "违法行为轻微并及时改正，没有造成危害后果"})
    with pytest.raises(InvalidTransition) as mismatch:
        act(world, case, "approve_filing", world.head)
    assert mismatch.value.code == "proposal_mismatch"
    case = act(world, case, "approve_not_filing", world.head)
    assert case.status == S.NOT_FILED and Clue.objects.get(pk=case.clue_id).status == ClueStatus.NOT_FILED
    assert case.events.get(verb="approve_not_filing").document_sha256
    assert act(world, case, "archive", world.officer).status == S.ARCHIVED


@pytest.mark.django_db
def test_a_major_case_with_a_hearing(world):
    """法制审核 and 集体讨论 before the notice; the hearing's time is not counted; a lighter decision."""
    day = dt.date
    case = filed(world, today=day(2026, 6, 1), received_on=day(2026, 5, 25))
    act(world, case, "end_investigation", world.officer, {**ENDING, "fine": "150000"}, today=day(2026, 6, 19))
    case.refresh_from_db()
    assert case.major and case.hearing_right and case.legal_review_required
    with pytest.raises(InvalidTransition) as refused:
        act(world, case, "notify", world.officer, today=day(2026, 6, 22))
    assert refused.value.code == "legal_review_missing" and refused.value.extra["allowed"] == [
        "suspend", "submit_review"]
    act(world, case, "submit_review", world.officer, today=day(2026, 6, 22))
    with pytest.raises(AccessDenied):
        act(world, case, "pass_review", world.head, today=day(2026, 6, 23))
    act(world, case, "pass_review", world.reviewer, {"opinion": "事实清楚，证据确凿，适用依据正确，程序合法"},
        today=day(2026, 6, 23))
    with pytest.raises(InvalidTransition) as refused:
        act(world, case, "notify", world.officer, today=day(2026, 6, 24))
    assert refused.value.code == "collective_missing"
    act(world, case, "discuss", world.head, {"conclusion": "同意处罚", "participants": "赵局长、钱副局长"},
        today=day(2026, 6, 24))
    case = act(world, case, "notify", world.officer, {"on": "2026-06-26"}, today=day(2026, 6, 26))
    with pytest.raises(InvalidTransition) as early:
        act(world, case, "decide", world.head, {"outcome": "penalty"}, today=day(2026, 7, 1))
    assert early.value.code == "hearing_period_open" and "2026-07-03" in early.value.message
    act(world, case, "request_hearing", world.officer, {"on": "2026-07-01"}, today=day(2026, 7, 1))
    hearing = {"place": "听证室", "chair": "scjg_admin", "on": "2026-07-02"}
    with pytest.raises(ValidationFailed) as soon:
        act(world, case, "schedule_hearing", world.officer, {**hearing, "held_on": "2026-07-10"},
            today=day(2026, 7, 2))
    assert soon.value.code == "hearing_notice_too_late" and soon.value.extra["earliest"] == "2026-07-13"
    with pytest.raises(ValidationFailed) as chair:
        act(world, case, "schedule_hearing", world.officer, {**hearing, "held_on": "2026-07-20",
                                                             "chair": "case_officer_b"}, today=day(2026, 7, 2))
    assert chair.value.code == "chair_investigated"
    act(world, case, "schedule_hearing", world.officer, {**hearing, "held_on": "2026-07-20"}, today=day(2026, 7, 2))
    transcript = b"%PDF-1.4 transcript signed by the party"
    evidence = evidence_add(actor=world.officer, case_id=case.pk, file_name="听证笔录.pdf", data=transcript,
                                     sha256=sha(transcript), title="听证笔录")
    with pytest.raises(ValidationFailed) as not_yet:
        act(world, case, "hold_hearing", world.officer, {"transcript": evidence.pk, "on": "2026-07-17"},
            today=day(2026, 7, 17))
    assert not_yet.value.code == "hearing_not_yet"
    with pytest.raises(ValidationFailed) as missing:
        act(world, case, "hold_hearing", world.officer, {"on": "2026-07-20"}, today=day(2026, 7, 20))
    assert missing.value.code == "transcript_required"
    case = act(world, case, "hold_hearing", world.officer, {"transcript": evidence.pk, "on": "2026-07-20"},
               today=day(2026, 7, 20))
    suspension = case.suspensions.get()
    assert (suspension.kind, suspension.starts_on, suspension.ends_on) == ("hearing", day(2026, 7, 1),
                                                                         day(2026, 7, 20))
    assert case.decision_due == day(2026, 9, 18)  # 90 days from 1 June, plus the 19 days of the hearing
    with pytest.raises(ValidationFailed) as heavier:
        act(world, case, "decide", world.head, {"outcome": "penalty", "fine": "200000"}, today=day(2026, 7, 22))
    assert heavier.value.code == "heavier_than_notified"
    case = act(world, case, "decide", world.head, {"outcome": "penalty", "fine": "100000", "mitigation": "lighter",
                                                   "opinion": "听证后从轻"}, today=day(2026, 7, 22))
    assert case.status == S.DECIDED and case.fine == Decimal("100000.00") and case.mitigation == "lighter"
    penalty = Penalty.objects.get(number=case.behaviour_number)
    assert (penalty.decision_number, penalty.fine, penalty.hearing, penalty.major, penalty.legal_review,
            penalty.collective, penalty.procedure, penalty.catalog_code, penalty.date) == (
        case.decision_number, Decimal("100000.00"), True, True, True, True, "02", world.catalog, day(2026, 7, 22))
    assert penalty.inspection_number == case.inspection_number == Inspection.objects.get(
        number__startswith=case.number).number


@pytest.mark.django_db
def test_service_payment_with_late_fee_closing_and_archive(world):
    case = decided(world)
    with pytest.raises(ValidationFailed) as consent:
        act(world, case, "serve", world.officer, {"method": "electronic"})
    assert consent.value.code == "consent_required"
    case = act(world, case, "serve", world.officer, {"method": "electronic", "consent": True})
    payment = case.payment
    assert payment.due_on == case.served_on + dt.timedelta(days=15)
    with pytest.raises(InvalidTransition) as unpaid:
        act(world, case, "propose_closing", world.officer)
    assert unpaid.value.code == "not_executed"
    late = payment.due_on + dt.timedelta(days=4)
    with pytest.raises(ValidationFailed) as over:
        act(world, case, "record_payment", world.officer, {"amount": "5601", "on": str(late)}, today=late)
    assert over.value.code == "overpayment"
    act(world, case, "record_payment", world.officer, {"amount": "5000", "on": str(late)}, today=late)
    case.payment.refresh_from_db()
    assert case.payment.paid_on is None and case.payment.late_fee == Decimal("600.00")  # 4 days × 3 % × 5,000
    act(world, case, "record_payment", world.officer, {"amount": "600", "on": str(late)}, today=late)
    case.payment.refresh_from_db()
    assert case.payment.paid_on == late
    act(world, case, "propose_closing", world.officer, {"summary": "罚款及加处罚款已缴清"}, today=late)
    act(world, case, "return_closing", world.head, {"opinion": "补充缴款凭证"}, today=late)
    act(world, case, "propose_closing", world.officer, {"summary": "罚款及加处罚款已缴清"}, today=late)
    case = act(world, case, "approve_closing", world.head, today=late)
    assert case.closed_on == late
    case = act(world, case, "archive", world.officer, today=late)
    assert case.status == S.ARCHIVED
    kinds = [e.data["document"]["kind"] for e in case.events.exclude(document_id=None).order_by("seq")]
    assert kinds == ["filing_approval", "onsite_record", "penalty_notice", "penalty_decision", "service_receipt",
                     "closing_approval"]


@pytest.mark.django_db
def test_an_unpaid_fine_goes_to_court_after_the_deadline(world):
    case = decided(world)
    case = act(world, case, "serve", world.officer, {"method": "direct"})
    with pytest.raises(InvalidTransition) as early:
        act(world, case, "apply_enforcement", world.head, {"court": "咸安区人民法院"})
    assert early.value.code == "payment_not_overdue"
    later = case.payment.due_on + dt.timedelta(days=60)
    act(world, case, "apply_enforcement", world.head, {"court": "咸安区人民法院", "on": str(later)}, today=later)
    case.payment.refresh_from_db()
    assert case.payment.late_fee == Decimal("5000.00")  # 3 %/day for 60 days, capped at the fine
    assert act(world, case, "propose_closing", world.officer, today=later).status == S.CLOSING_REVIEW


@pytest.mark.django_db
def test_a_decision_past_its_deadline_needs_an_approved_extension(world):
    filed_on = dt.date(2026, 6, 1)
    case = filed(world, today=filed_on, received_on=dt.date(2026, 5, 20))
    assert case.decision_due == dt.date(2026, 8, 30)
    act(world, case, "end_investigation", world.officer, ENDING, today=dt.date(2026, 8, 20))
    act(world, case, "notify", world.officer, today=dt.date(2026, 8, 21))
    late = dt.date(2026, 9, 2)
    with pytest.raises(InvalidTransition) as overdue:
        act(world, case, "decide", world.head, {"outcome": "penalty"}, today=late)
    assert overdue.value.code == "decision_overdue" and overdue.value.status == 409
    assert "extend_decision" in overdue.value.extra["allowed"] and "decide" not in overdue.value.extra["allowed"]
    with pytest.raises(InvalidTransition) as further:
        act(world, case, "extend_further", world.head, {"days": 30, "reason": "x", "discussion": "y"}, today=late)
    assert further.value.code == "extension_missing"
    act(world, case, "extend_decision", world.head, {"reason": "案情复杂"}, today=late)
    case.refresh_from_db()
    assert case.decision_due == dt.date(2026, 9, 29)
    case = act(world, case, "decide", world.head, {"outcome": "no_penalty",
                                                   "no_penalty_reason": "初次违法且危害后果轻微并及时改正"}, today=late)
    assert case.outcome == "no_penalty" and case.behaviour_number == "" and case.penalty_kinds == []


@pytest.mark.django_db
def test_evidence_preserved_must_be_decided_within_seven_working_days(world):
    case = filed(world, today=dt.date(2026, 9, 28), received_on=dt.date(2026, 9, 21))
    act(world, case, "preserve_request", world.officer, {"items": [{"name": "过期食品", "quantity": "12"}],
                                                         "reason": "证据可能灭失"}, today=dt.date(2026, 9, 29))
    with pytest.raises(AccessDenied):
        act(world, case, "preserve_approve", world.officer, today=dt.date(2026, 9, 29))
    act(world, case, "preserve_approve", world.head, {"on": "2026-09-29"}, today=dt.date(2026, 9, 29))
    preservation = case.preservations.get()
    assert preservation.due == dt.date(2026, 10, 14)  # 国庆 and the 10 October working Saturday counted
    with pytest.raises(InvalidTransition) as open_:
        act(world, case, "end_investigation", world.officer, ENDING, today=dt.date(2026, 10, 9))
    assert open_.value.code == "preservation_open"
    with pytest.raises(InvalidTransition) as lapsed:
        act(world, case, "preserve_decide", world.officer, {"decision": "confiscate", "on": "2026-10-15"},
            today=dt.date(2026, 10, 15))
    assert lapsed.value.code == "preservation_lapsed"
    act(world, case, "preserve_decide", world.officer, {"decision": "release", "on": "2026-10-15"},
        today=dt.date(2026, 10, 15))
    assert act(world, case, "end_investigation", world.officer, ENDING, today=dt.date(2026, 10, 16)).status == \
        S.INVESTIGATED


@pytest.mark.django_db
def test_transfer_to_the_judicial_organs(world):
    case = filed(world)
    case = act(world, case, "transfer", world.head, {"to": "咸宁市公安局", "reason": "涉嫌生产销售伪劣产品罪",
                                                     "criminal": True})
    assert case.status == S.TRANSFERRED and case.criminal and case.transferred_to == "咸宁市公安局"
    with pytest.raises(InvalidTransition):
        act(world, case, "decide", world.head, {"outcome": "penalty"})
    case = act(world, case, "propose_closing", world.officer, {"summary": "已移送公安机关"})
    assert act(world, case, "approve_closing", world.head).status == S.CLOSED


@pytest.mark.django_db
def test_unknown_fields_and_limitation_are_refused(world):
    case = register(world)
    with pytest.raises(ValidationFailed) as unknown:
        act(world, case, "propose_filing", world.officer, {**FILING, "fine": "1"})
    assert unknown.value.code == "unknown_field" and unknown.value.field == "fine"
    with pytest.raises(ValidationFailed) as old:
        act(world, case, "propose_filing", world.officer, {**FILING, "violation_on": "2024-01-05"})
    assert old.value.code == "limitation_expired"
    with pytest.raises(DomainError) as list_:
        act(world, case, "propose_filing", world.officer, {**FILING, "catalog_code": "11000000000101"})
    assert list_.value.code == "catalog_item_wrong_type"  # a 子项 of 行政检查 cannot found a penalty
    act(world, case, "propose_filing", world.officer, {**FILING, "violation_on": "2024-01-05", "grave_harm": True})


# 简易程序 ----------------------------------------------------------------------------------------------------

def _simple(w, **changes):
    values = {"party": {"uscc": w.entity.uscc}, "officers": ["scjg_officer", "case_officer_b"],
              "facts": "未按规定悬挂营业执照", "basis": "《市场主体登记管理条例》第四十八条", "penalty_kinds": ["02"],
              "fine": "3000", "catalog_code": w.catalog, "implementation_code": w.implementation, **changes}
    return simple.case_simple(actor=w.officer, **values)


@pytest.mark.django_db
def test_an_on_the_spot_fine_within_the_limit_is_handed_over_and_filed(world):
    case = _simple(world)
    assert (case.procedure, case.status, case.fine) == ("simple", S.HANDED_OVER, Decimal("3000.00"))
    assert case.decision_number.startswith("咸市监简罚〔")
    assert Penalty.objects.get(number=case.behaviour_number).procedure == "01"
    # the decision is listed with its kind, title and number (issue 14: it was listed without them)
    listed = [row for row in selectors.document_list(case=case) if row["id"] == case.decision_document_id]
    assert [(r["kind"], r["title"], r["number"]) for r in listed] == [
        ("simple_decision", "当场行政处罚决定书", case.decision_number)]
    with pytest.raises(InvalidTransition) as unfiled:
        act(world, case, "propose_closing", world.officer)
    assert unfiled.value.code == "invalid_transition"
    case = act(world, case, "file_record", world.officer)
    act(world, case, "record_payment", world.officer, {"amount": "3000"})
    assert act(world, case, "propose_closing", world.officer).status == S.CLOSING_REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "code"), [
    ({"fine": "3000.01"}, "simple_fine_over_limit"),
    ({"penalty_kinds": ["02", "05"]}, "simple_kind_invalid"),
    ({"penalty_kinds": ["01"], "fine": "50"}, "fine_mismatch"),
    ({"officers": ["scjg_officer"]}, "officers_too_few"),
    ({"officers": ["scjg_officer", "case_officer_x"]}, "credential_invalid"),
    ({"party": {"name": "无名摊贩"}}, "party_unidentified"),
])
def test_on_the_spot_rules(world, changes, code):
    with pytest.raises(ValidationFailed) as refused:
        _simple(world, **changes)
    assert refused.value.code == code


@pytest.mark.django_db
def test_the_limit_for_a_citizen_is_200_yuan_and_cites_the_article(world):
    party = {"id_number": "421202198001010016", "name": "王某", "region": "421202"}
    person_register(actor=world.officer, name="王某", id_number=party["id_number"], region_code="421202")
    with pytest.raises(ValidationFailed) as refused:
        _simple(world, party=party, fine="201")
    assert refused.value.code == "simple_fine_over_limit"
    assert "200" in refused.value.message and "第五十一条" in refused.value.extra["citation"]
    case = _simple(world, party=party, fine="200")
    assert case.party_kind == "person" and case.party_code == "4212**********0016"


# The case's history ------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_history_is_a_hash_chain_that_refuses_updates_and_takes_corrections(world):
    case = filed(world)
    records = [history.as_record(e, case.number) for e in case.events.order_by("seq")]
    assert [r["verb"] for r in records] == ["register", "propose_filing", "approve_filing", "record_onsite"]
    assert history.verify(records) == [] and records[-1]["hash"] == case.last_hash
    filing = case.events.get(verb="approve_filing")
    assert len(filing.document_sha256) == 64 and filing.data["document"]["number"].startswith("咸市监立〔")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=filing.pk).update(verb="tampered")
    tampered = [dict(r) for r in records]
    tampered[1]["data"] = {**tampered[1]["data"], "cause": "另一个案由"}
    assert history.verify(tampered) == ["事件 2 的摘要不符"]
    correction = history.case_event_correct(actor=world.officer, case_id=case.pk, seq=4,
                                             correction={"place": "仓库"}, reason="检查地点笔误")
    assert (correction.seq, correction.supersedes, correction.prev_hash) == (5, 4, records[-1]["hash"])
    with pytest.raises(AccessDenied):
        history.case_event_correct(actor=world.reviewer, case_id=case.pk, seq=4, correction={}, reason="x")


# What other apps use -----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_contracts_register_a_finding_read_a_card_and_append_events(world, outsider):
    card = contracts.case_from_finding(actor=world.officer, department=world.city, party={"uscc": world.entity.uscc},
                                       summary="查封现场发现无证经营", source="inspection", source_ref="QZ-0001",
                                       found_on=dt.date(2026, 11, 2), implementation_code=world.implementation)
    assert (card.status, card.entity_uscc, card.implementation_code) == (S.CLUE, world.entity.uscc,
                                                                        world.implementation)
    assert contracts.case_card(number=card.number, reader=world.officer) == card
    with pytest.raises(NotFound):
        contracts.case_card(number=card.number, reader=outsider)
    contracts.case_append_event(actor=world.officer, case_id=card.id, verb="coercion.measure_approved",
                                data={"measure": 7})
    event = CaseEvent.objects.filter(case_id=card.id).order_by("-seq").first()
    assert (event.seq, event.verb, event.data) == (2, "coercion.measure_approved", {"measure": 7})


@pytest.mark.django_db
def test_a_complaint_becomes_a_clue_and_a_case(world):
    from jianguan.complaints.services import complaint_receive

    complaint = complaint_receive(actor=world.officer, channel="portal", values={
        "kind": "report", "category": "food", "subject_uscc": world.entity.uscc, "content": "该店销售过期食品"})
    handler = User.objects.filter(department=complaint.department, role_grants__role="officer").first()
    clue = registration.clue_from_complaint(actor=handler, complaint_id=complaint.pk)
    assert clue.case.status == S.CLUE and clue.case.source == "report" and clue.case.entity == world.entity
    assert clue.case.region_id == complaint.region_id and clue.department_id == complaint.department_id


@pytest.mark.django_db
def test_the_other_steps_of_an_investigation(world):
    """询问笔录, 抽样, 责令改正, a review returned for more investigation, 陈述申辩, a withdrawn hearing request, and
    the two kinds of extension."""
    day = dt.date
    case = filed(world, today=day(2026, 6, 1), received_on=day(2026, 5, 25))
    act(world, case, "record_inquiry", world.officer, {"interviewee": {"name": "王某", "position": "店长"},
                                                       "qa": [{"q": "货架上的食品是谁进的货？", "a": "是我。"}]},
        today=day(2026, 6, 2))
    act(world, case, "record_sampling", world.officer, {"items": [{"name": "饼干", "quantity": "2"}]},
        today=day(2026, 6, 2))
    act(world, case, "order_rectification", world.officer, {"facts": "销售过期食品", "basis": "《食品安全法》",
                                                            "deadline": "2026-06-10"}, today=day(2026, 6, 2))
    act(world, case, "end_investigation", world.officer, {**ENDING, "fine": "150000"}, today=day(2026, 6, 19))
    act(world, case, "submit_review", world.officer, today=day(2026, 6, 19))
    case = act(world, case, "return_review", world.reviewer, {"opinion": "货值证据不足，补充调查"},
               today=day(2026, 6, 22))
    assert case.status == S.INVESTIGATING and case.legal_review_on is None
    act(world, case, "end_investigation", world.officer, {**ENDING, "fine": "150000"}, today=day(2026, 6, 23))
    act(world, case, "submit_review", world.officer, today=day(2026, 6, 23))
    act(world, case, "pass_review", world.reviewer, {"opinion": "同意"}, today=day(2026, 6, 24))
    act(world, case, "discuss", world.head, {"conclusion": "同意"}, today=day(2026, 6, 25))
    act(world, case, "notify", world.officer, {"on": "2026-06-26"}, today=day(2026, 6, 26))
    act(world, case, "record_statement", world.officer, {"statement": "初次违法，请求从轻", "adopted": True},
        today=day(2026, 6, 29))
    act(world, case, "request_hearing", world.officer, {"on": "2026-07-01"}, today=day(2026, 7, 1))
    case = act(world, case, "withdraw_hearing", world.officer, {"on": "2026-07-03"}, today=day(2026, 7, 3))
    assert case.status == S.NOTIFIED and case.hearing_waived and case.hearing.outcome == "withdrawn"
    act(world, case, "extend_decision", world.head, {"reason": "案情复杂"}, today=day(2026, 8, 25))
    case = act(world, case, "extend_further", world.head, {"days": 20, "reason": "需补充鉴定",
                                                          "discussion": "局长办公会集体讨论同意继续延期二十日"},
               today=day(2026, 9, 25))
    assert case.decision_due == day(2026, 8, 30) + dt.timedelta(days=30 + 20 + 2)  # and the 2 days of the hearing
    kinds = [e.data["document"]["kind"] for e in case.events.exclude(document_id=None).order_by("seq")]
    assert kinds == ["filing_approval", "onsite_record", "inquiry_record", "rectification_order", "penalty_notice"]
    assert list(case.approvals.values_list("step", "approved")) == [
        ("approve_filing", True), ("return_review", False), ("pass_review", True), ("discuss", True),
        ("extend_decision", True), ("extend_further", True)]
