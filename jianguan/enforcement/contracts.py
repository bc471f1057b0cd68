"""What other apps may use of enforcement (INTERFACES §B): a case's card, the closed cases (the case library),
registering a finding as a clue, and appending an event to a case's hash-chained history (coercive measures,
inspections); which entities clues transferred by other bodies name since a day (spot checks' draws); the steps
of the penalty procedure with their articles, as the public is told them (`penalty_procedure`); a case's public
decision (the 曝光台) and the natural persons it names (the redaction of its publication)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jianguan.accounts.models import Department
from jianguan.core.actors import Actor
from jianguan.core.scoping import HasScope
from jianguan.core.workflow import procedure

from . import history, registration, selectors, workflow
from .evidence import evidence_path as evidence_path
from .models import Case, CaseEvent, CaseStatus, PartyKind, Service
from .registration import clue_from_inspection as clue_from_inspection
from .selectors import entities_transferred as entities_transferred


@dataclass(frozen=True)
class CaseCard:
    id: int
    number: str
    status: str
    department_id: int
    region_id: str
    party_name: str
    entity_uscc: str
    catalog_code: str
    implementation_code: str
    basis: str = ""
    discretion: dict | None = None  # the band the proposal was judged by (`Case.discretion`), {} without one

    @classmethod
    def from_model(cls, case: Case) -> CaseCard:
        return cls(id=case.pk, number=case.number, status=case.status, department_id=case.department_id,
                   region_id=case.region_id, party_name=case.party_name,
                   entity_uscc=case.entity.uscc if case.entity_id else "", catalog_code=case.catalog_code,
                   implementation_code=case.implementation_code, basis=case.basis,
                   discretion=dict(case.discretion or {}))


def case_card(*, number: str, reader: HasScope) -> CaseCard:
    """The case with this 案件编号 within the reader's scope; NotFound (404) otherwise."""
    return CaseCard.from_model(selectors.case_get(reader=reader, number=number))


@dataclass(frozen=True)
class DecisionCard:
    """A case's penalty decision as the public may learn it (the 曝光台 reads it): whether the case is closed
    (已结案 or 已归档), the outcome, the decision's 文号 and day, the party (a natural person's name is not
    given: `party_is_person`) and the penalties."""

    number: str
    department_id: int
    department_name: str
    closed: bool
    outcome: str
    decision_number: str
    decided_on: dt.date | None
    party_name: str
    party_is_person: bool
    cause: str
    penalties: str
    fine: str
    behaviour_number: str = ""  # the 行政处罚行为 of the behaviour library the decision was recorded as


def decision_card(*, number: str, reader: HasScope) -> DecisionCard:
    """The decision of the case with this 案件编号 within the reader's scope; NotFound (404) otherwise."""
    case = selectors.case_get(reader=reader, number=number)
    person = case.party_kind == PartyKind.PERSON
    return DecisionCard(
        number=case.number, department_id=case.department_id, department_name=case.department.name,
        closed=case.status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED), outcome=case.outcome,
        decision_number=case.decision_number, decided_on=case.decided_on,
        party_name="" if person else case.party_name, party_is_person=person, cause=case.cause,
        penalties=case.penalty_labels, fine="" if case.fine is None else f"{case.fine:.2f}",
        behaviour_number=case.behaviour_number)


def case_from_finding(*, actor: Actor, department: Department, party: dict, summary: str, source: str,
                      source_ref: str, found_on: dt.date, implementation_code: str = "") -> CaseCard:
    """Register a finding (an inspection's problem, a coercive measure's grounds …) as a clue of `department`.

    `party`: {"uscc"} for an entity, {"id_number", "name", "region"} for a person, or {"name"}; `source` one of
    `models.ClueSource` (inspection, complaint, report, transfer, assignment, monitoring). The 15-working-day
    check clock starts on `found_on`.
    """
    case = registration.case_register(actor=actor, department=department, party=party, summary=summary, source=source,
                                  source_ref=source_ref, received_on=found_on,
                                  implementation_code=implementation_code)
    return CaseCard.from_model(Case.objects.select_related("entity").get(pk=case.pk))


def case_append_event(*, actor: Actor, case_id: int, verb: str, data: dict, document_id: int | None = None) -> None:
    """Append an event (verb ≤ 50 characters, JSON data, optionally an issued document whose id and SHA-256 are
    chained) to the case's history."""
    history.case_append_event(actor=actor, case_id=case_id, verb=verb, data=data, document_id=document_id)


def case_persons(*, behaviour_number: str) -> list[str]:
    """The natural persons the case whose decision is the 行政处罚行为 `behaviour_number` names (for the redaction of
    its publication; a system read, unscoped): its party when a person, the party entity's 法定代表人, everyone
    interviewed (被询问人: witnesses, 委托代理人, employees) and every 受送达人 other than the party. The officers are
    not on it (执法人员 are published with their credentials)."""
    return case_persons_by_number([behaviour_number]).get(behaviour_number, [])


def case_persons_by_number(behaviour_numbers: Iterable[str]) -> dict[str, list[str]]:
    """`case_persons` of many decisions in three queries: behaviour number → its case's persons (a number without a
    case is absent)."""
    cases = {case.pk: case for case in Case.objects.filter(
        behaviour_number__in=[n for n in behaviour_numbers if n]).select_related("entity")}
    names: dict[int, list[str]] = {pk: [] for pk in cases}
    for pk, case in cases.items():
        if case.party_kind == PartyKind.PERSON:
            names[pk].append(case.party_name)
        if case.entity_id and case.entity.legal_representative:
            names[pk].append(case.entity.legal_representative)
    for case_id, data in CaseEvent.objects.filter(case_id__in=cases, verb="record_inquiry").values_list(
            "case_id", "data"):
        names[case_id].append(str((data or {}).get("interviewee") or ""))
    for case_id, recipient in Service.objects.filter(case_id__in=cases).values_list("case_id", "recipient"):
        if recipient != cases[case_id].party_name:
            names[case_id].append(recipient)
    return {cases[pk].behaviour_number: sorted({n.strip() for n in found if n and n.strip()})
            for pk, found in names.items()}


@dataclass(frozen=True)
class ClosedCase:
    """A closed (结案 or 归档) penalty case as the case library takes it: what was found, under which item and
    article, with which circumstances and band (`Case.discretion`), and what was decided (a system read, unscoped;
    the library keeps each entry in its department's scope)."""

    id: int
    number: str
    department_id: int
    region_id: str
    party_name: str
    party_is_person: bool
    cause: str
    catalog_code: str
    implementation_code: str
    facts: str
    basis: str
    outcome: str
    penalties: str
    fine: Decimal | None
    confiscation: Decimal | None
    mitigation: str
    discretion: dict
    decided_on: dt.date | None
    behaviour_number: str


CLOSED = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)


def closed_cases(*, after_id: int = 0, size: int = 500) -> list[ClosedCase]:
    """Up to `size` closed cases with ids above `after_id`, by id (a keyset chunk for the library's sweep)."""
    rows = Case.objects.filter(status__in=CLOSED, pk__gt=after_id).order_by("pk")[:size]
    return [ClosedCase(c.pk, c.number, c.department_id, c.region_id, c.party_name, c.party_kind == PartyKind.PERSON,
                       c.cause, c.catalog_code, c.implementation_code, c.facts, c.basis, c.outcome, c.penalty_labels,
                       c.fine, c.confiscation, c.get_mitigation_display() if c.mitigation else "",
                       dict(c.discretion or {}), c.decided_on, c.behaviour_number) for c in rows]


def penalty_procedure() -> list[tuple[str, str]]:
    """(step, article) of the 行政处罚 procedure in the order of the case workflow's table (事前公开 of 执法程序,
    国办发〔2018〕118号)."""
    return procedure(workflow.EDGES)


__all__ = ["CLOSED", "CaseCard", "ClosedCase", "DecisionCard", "case_append_event", "case_card", "case_from_finding",
           "case_persons", "case_persons_by_number", "closed_cases", "decision_card", "entities_transferred",
           "penalty_procedure"]
