"""Who may do what to a case, and the snapshot the transition table judges: `case_facts` (from the database to
`workflow.Facts`), `actor_facts`, and `allowed_actions` (what a person may do now, for buttons and the 409
envelope)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianguan.core.actors import Actor

from . import deadlines, workflow
from .models import Case, ExtensionKind, Payment, Procedure
from .procedure import for_line


def _suspension_spans(case: Case) -> list[tuple[dt.date, dt.date | None]]:
    return list(case.suspensions.values_list("starts_on", "ends_on"))


def _extension_days(case: Case) -> int:
    return sum(e.days for e in case.extensions.all() if e.kind in (ExtensionKind.DECISION, ExtensionKind.FURTHER))


def current_decision_due(case: Case, today: dt.date) -> dt.date | None:
    if not case.filed_on or case.procedure == Procedure.SIMPLE:
        return None
    return deadlines.decision_due(case.filed_on, rules=for_line(case.department.kind),
                                  extension_days=_extension_days(case),
                                  suspensions=_suspension_spans(case), today=today)


def case_facts(case: Case, today: dt.date) -> workflow.Facts:
    """The snapshot the transition table's guards judge."""
    officers = tuple(workflow.OfficerFact(a.user_id, a.user.full_name, a.credential.number,
                                          a.credential.valid_from, a.credential.valid_to,
                                          a.credential.revoked_at is not None)
                     for a in case.assignments.select_related("user", "credential"))
    extensions = {e.kind for e in case.extensions.all()}
    preservations = list(case.preservations.all())
    payment = Payment.objects.filter(case=case).first()
    settled = payment is None or payment.paid_on is not None
    rules = for_line(case.department.kind)
    return workflow.Facts(
        status=case.status, procedure=case.procedure, department_id=case.department_id, officers=officers,
        filing_proposal=case.filing_proposal, proposer_id=case.proposed_by_id,
        check_extended=ExtensionKind.CHECK in extensions,
        decision_extended=ExtensionKind.DECISION in extensions, decision_due=current_decision_due(case, today),
        check_extendable=rules.check.extension is not None, decision_extendable=rules.decision.extension is not None,
        further_extendable=rules.further_citation is not None, rules_title=rules.title,
        open_suspension=case.suspensions.filter(ends_on=None).exists(),
        preservations_pending=sum(1 for p in preservations if not p.approved_on and not p.decided_on),
        preservations_open=sum(1 for p in preservations if p.approved_on and not p.decided_on),
        legal_review_required=case.legal_review_required, legal_review_done=case.legal_review_on is not None,
        major=case.major, collective_done=case.collective_on is not None, hearing_right=case.hearing_right,
        hearing_waived=case.hearing_waived,
        hearing_request_due=deadlines.hearing_request_due(case.notified_on) if case.notified_on else None,
        payment_due=payment.due_on if payment else None, payment_settled=settled,
        enforcement_applied=bool(payment and payment.enforcement_applied_on), served=case.served_on is not None,
        simple_filed=case.procedure != Procedure.SIMPLE or case.simple_filed_on is not None)


def actor_facts(actor: Actor) -> workflow.ActorFacts:
    if not getattr(actor, "is_person", False):
        return workflow.ActorFacts(id=0, department_id=0, roles=frozenset(), is_person=False)
    return workflow.ActorFacts(id=actor.pk, department_id=actor.department_id, roles=frozenset(actor.roles))


def allowed_actions(case: Case, actor: Actor, today: dt.date | None = None) -> list[workflow.Edge]:
    today = today or timezone.localdate()
    return workflow.allowed(case_facts(case, today), actor_facts(actor), today)
