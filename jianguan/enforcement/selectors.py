"""Reads of enforcement, scoped: case lists and search, one case with its history and documents, the deadline
alerts per officer and department, the dashboard's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.core.errors import NotFound
from jianguan.core.months import month_days
from jianguan.core.scoping import HasScope
from jianguan.documents import contracts as documents
from jianguan.documents.contracts import KINDS

from . import deadlines, permissions, procedure, workflow
from .models import (
    AlertState,
    Case,
    CaseEvent,
    CaseOfficer,
    CaseStatus,
    Clue,
    ClueSource,
    DeadlineAlert,
    Evidence,
    Payment,
)


def case_list(*, reader: HasScope, status: str | None = None, overdue: bool = False, party: str | None = None,
              number: str | None = None, q: str | None = None, mine: bool = False,
              month: str | None = None) -> QuerySet[Case]:
    """Cases of the reader's scope, newest first; `mine` keeps those the reader is assigned to, `month` (YYYY-MM)
    those found or received in that month (the leaders' dashboard opens a month's cases).

    `q` is read by its shape: a case number, 处罚决定书文号, party code or 线索编号 equal to it (each indexed) when
    there is one, else words of the party's name or of the cause (案由), matched within the reader's departments on the
    index `case_scope_recent`, which carries both texts, so neither the count nor the page reads a case row to
    decide. The summary is not searched (free text of any length; it is read on the case's page).

    The department and region are fetched for the page apart (`prefetch_related`): a join would stand between the
    scope index and the order, and the page would then sort every case in scope instead of stopping at 20.
    """
    cases = Case.objects.visible_to(reader).prefetch_related("department", "region")
    if mine:  # a system (API key) has no cases of its own
        me = reader.pk if getattr(reader, "is_person", False) else None
        cases = _own(cases, me) if me else cases.none()
    if status:
        cases = cases.filter(status=status)
    if month:
        cases = cases.filter(received_on__range=month_days(month))
    if overdue:
        cases = cases.filter(alerts__state=AlertState.OVERDUE).distinct()
    if party:
        cases = cases.filter(Q(party_name__contains=party.strip()) | Q(party_code=party.strip().upper()))
    if number:
        cases = cases.filter(Q(number=number.strip()) | Q(decision_number=number.strip()))
    if q and (text := q.strip()):
        exact = cases.filter(Q(number=text) | Q(decision_number=text) | Q(party_code=text.upper()))
        if not exact.exists():  # the 线索编号 shown when a complaint or an inspection became a clue
            exact = cases.filter(clue_id__in=Clue.objects.filter(number=text).values("pk"))
        cases = exact if exact.exists() else cases.filter(Q(party_name__contains=text) | Q(cause__contains=text))
    return cases.order_by("-received_on", "-pk")


OWN_SHARE = 4  # [config] a scope holding this many times the officer's cases is read from the officer's side


def _own(scoped: QuerySet[Case], user_id: int) -> QuerySet[Case]:
    """The cases of `scoped` assigned to `user_id`, written for the cheaper of two plans (the result is the same).

    When the officer's cases are a fair share of the scope (an officer of one department), the scope index is
    walked in the list's order and each case checked against the officer's case ids (index case_officer_user):
    the key is wrapped (`pk + 0`) so that SQLite does not start from the keys instead. When the scope holds
    `OWN_SHARE` times as many cases or more (a reader who also sees the departments it guides), each of the
    officer's cases is read by key. Both counts stop early, so the choice costs two short index reads.
    """
    own_ids = CaseOfficer.objects.filter(user_id=user_id).values("case_id")
    bound = OWN_SHARE * own_ids.count()
    if not bound:
        return scoped.none()
    if scoped.order_by()[:bound].count() >= bound:
        return scoped.filter(pk__in=own_ids)
    return scoped.alias(own_key=F("pk") + 0).filter(own_key__in=own_ids)


def case_get(*, reader: HasScope, case_id: int | None = None, number: str | None = None) -> Case:
    """The case of the reader's scope with this id, or with this 案件编号 when `number` is given; NotFound else."""
    lookup = {"pk": case_id} if number is None else {"number": number}
    return Case.objects.select_related("department__region", "region", "entity", "person", "clue").get_visible(
        reader, **lookup)


def event_list(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.order_by("seq")


def document_list(*, case: Case) -> list[dict[str, Any]]:
    """The documents issued for the case, in the order of its history (id, kind, title, number, the PDF's SHA-256 —
    empty while it is being rendered — and `digest`, the content digest the event keeps)."""
    events = list(case.events.exclude(document_id=None).order_by("seq"))
    rendered = documents.sha256s([event.document_id for event in events])
    rows = []
    for event in events:
        issued = event.data.get("document") or {}
        kind = issued.get("kind", "")
        rows.append({"id": event.document_id, "kind": kind, "title": KINDS.get(kind, kind),
                     "number": issued.get("number", ""), "sha256": rendered.get(event.document_id, ""),
                     "digest": event.document_sha256, "seq": event.seq, "on": event.on})
    return rows


def document_get(*, case: Case, document_id: int) -> dict[str, Any]:
    for row in document_list(case=case):
        if row["id"] == document_id:
            return row
    raise NotFound()


def evidence_list(*, case: Case) -> QuerySet[Evidence]:
    return case.evidence.select_related("uploaded_by").order_by("pk")


def evidence_get(*, reader: HasScope, case_id: int, evidence_id: int) -> Evidence:
    return Evidence.objects.select_related("case").get_visible(reader, pk=evidence_id, case_id=case_id)


def alert_list(*, reader: HasScope, state: str | None = None, officer=None, department_id: int | None = None,
           ) -> QuerySet[DeadlineAlert]:
    """Overdue and due-soon steps of open cases in the reader's scope (as the last refresh found them)."""
    rows = DeadlineAlert.objects.visible_to(reader).filter(case__status__in=workflow.OPEN).select_related(
        "case", "case__department")
    if state:
        rows = rows.filter(state=state)
    if officer is not None:
        rows = rows.filter(case__assignments__user=officer)
    if department_id:
        rows = rows.filter(case__department_id=department_id)
    return rows.order_by("due", "case_id")


def alert_department_list(*, reader: HasScope) -> list[dict[str, Any]]:
    return list(DeadlineAlert.objects.visible_to(reader).filter(case__status__in=workflow.OPEN).values(
        "case__department__name").annotate(
        overdue=Count("pk", filter=Q(state=AlertState.OVERDUE)),
        due_soon=Count("pk", filter=Q(state=AlertState.DUE_SOON))).order_by("case__department__name"))


def dashboard_counts(*, reader: User) -> dict[str, int]:
    """Open cases, the reader's own, and the reader's overdue and due-soon steps, in one statement."""
    mine = Q(assignments__user_id=reader.pk) if getattr(reader, "is_person", False) else Q(pk__in=[])
    return Case.objects.visible_to(reader).filter(status__in=workflow.OPEN).aggregate(
        open=Count("pk", distinct=True), mine=Count("pk", filter=mine, distinct=True),
        overdue=Count("alerts", filter=mine & Q(alerts__state=AlertState.OVERDUE), distinct=True),
        due_soon=Count("alerts", filter=mine & Q(alerts__state=AlertState.DUE_SOON), distinct=True))


def case_view(*, case: Case, reader: User, today: dt.date | None = None) -> dict[str, Any]:
    """One case as its page and the API show it: the open steps with due dates and rules, what the reader may do
    now, the officers, the history, the documents and the evidence."""
    today = today or timezone.localdate()
    labels = dict(CaseStatus.choices)
    steps = [{"key": s.key, "label": s.label, "due": s.due, "rule": s.rule, "who": s.who,
              "who_label": workflow.WHO_LABELS[s.who], "state": s.state(today)}
             for s in deadlines.open_steps(case, today=today)]
    rules = procedure.for_line(case.department.kind)
    line_citations = {"extend_check": rules.check.citation, "extend_decision": rules.decision.citation,
                      "extend_further": rules.further_citation or rules.decision.citation}
    allowed = [{"action": e.action, "label": e.label, "who": e.who, "target": e.target,
                "target_label": labels[e.target], "fields": list(e.fields), "document": e.document,
                "citation": line_citations.get(e.action, e.citation)}
               for e in permissions.allowed_actions(case, reader, today)]
    officers = [{"username": a.user.username, "name": a.user.full_name, "credential": a.credential.number,
                 "lead": a.lead} for a in case.assignments.select_related("user", "credential")]
    history_rows = [{"seq": e.seq, "on": e.on, "occurred_at": e.occurred_at, "actor": e.actor_label, "verb": e.verb,
                     "verb_label": VERB_LABELS.get(e.verb, e.verb), "from_status": e.from_status,
                     "to_status": e.to_status, "to_label": labels.get(e.to_status, ""), "data": e.data,
                     "document_id": e.document_id, "document_sha256": e.document_sha256,
                     "supersedes": e.supersedes, "prev_hash": e.prev_hash, "hash": e.hash}
                    for e in event_list(case=case)]
    return {"case": case, "status_label": labels[case.status], "steps": steps, "allowed": allowed,
            "officers": officers, "events": history_rows, "documents": document_list(case=case),
            "evidence": list(evidence_list(case=case)), "payment": Payment.objects.filter(case=case).first()}


VERB_LABELS = {"register": "登记案件线索", "simple_decide": "当场作出行政处罚决定", "evidence_added": "上传证据",
               "corrected": "更正记录", **{e.action: e.label for e in workflow.EDGES}}


def entities_transferred(*, since: dt.date) -> set[int]:
    """The ids of the entities a clue transferred by another body (移送) received on or after `since` names (a
    process's read for a spot-check draw: which A-class entities something points at, "无事不扰")."""
    return set(Clue.objects.filter(entity__isnull=False, source=ClueSource.TRANSFER, received_on__gte=since)
               .values_list("entity_id", flat=True).distinct())
