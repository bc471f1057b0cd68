"""What other apps use of 行政检查: assigning a check to officers from a task (a spot-check draw, a joint task, a
complaint, a risk alert) and reading back what became of it. The task is named by a reference string only
(`origin_kind`, `origin_ref`): this app never imports the apps above it.

A spot-check result is referenced as `"<task id>/<result id>"`; its task id becomes the behaviour record's
双随机一公开计划id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.core.actors import Actor

from . import opening, sync
from .models import FieldInspection, Outcome, Status


@dataclass(frozen=True)
class InspectionCard:
    id: int
    client_id: str
    number: str
    status: str
    origin_kind: str
    origin_ref: str
    department_id: int
    implementation_code: str
    party_name: str
    party_code: str
    officers: tuple[str, ...]
    outcome: str
    outcome_label: str
    checked_on: dt.date | None
    findings: str
    clue_number: str
    documents: tuple[dict[str, Any], ...]


def card(inspection: FieldInspection) -> InspectionCard:
    return InspectionCard(
        id=inspection.pk, client_id=str(inspection.client_id), number=inspection.number or "",
        status=inspection.status, origin_kind=inspection.origin_kind, origin_ref=inspection.origin_ref,
        department_id=inspection.department_id, implementation_code=inspection.implementation_code,
        party_name=inspection.party_name, party_code=inspection.party_code,
        officers=tuple(inspection.officers.order_by("username").values_list("username", flat=True)),
        outcome=inspection.outcome, outcome_label=str(Outcome(inspection.outcome).label) if inspection.outcome else "",
        checked_on=timezone.localdate(inspection.started_at) if inspection.status == Status.SUBMITTED else None,
        findings=inspection.findings, clue_number=inspection.clue_number, documents=tuple(inspection.documents))


@transaction.atomic
def assign(*, actor: Actor, origin_kind: str, origin_ref: str, department: Department, implementation_code: str,
           party: dict[str, Any], officers: list[str], joint_with: Iterable[int] = ()) -> InspectionCard:
    """A draft inspection for `officers` (usernames of `department`, or of the departments `joint_with` it on a
    joint task), shown in their 我的任务 on the phone. Asking again for the same origin, department, row and party
    answers the draft already made."""
    existing = FieldInspection.objects.filter(origin_kind=origin_kind, origin_ref=origin_ref, department=department,
                                              implementation_code=implementation_code)
    for inspection in existing:
        if sync.same_party(inspection, party):
            return card(inspection)
    return card(opening.inspection_open(
        actor=actor, origin_kind=origin_kind, origin_ref=origin_ref, department=department,
        implementation_code=implementation_code, party=party, officers=officers, joint_with=joint_with))


def for_origin(*, origin_kind: str, origin_ref: str) -> list[InspectionCard]:
    """The inspections started from one task, complaint or alert, oldest first."""
    inspections = FieldInspection.objects.filter(origin_kind=origin_kind, origin_ref=origin_ref).order_by("pk")
    return [card(i) for i in inspections]


def witnesses(*, number: str) -> list[str]:
    """The 见证人 of the inspection recorded as the 检查行为 `number` (a system read, for the redaction of its
    publication)."""
    return witnesses_by_number([number]).get(number, [])


def witnesses_by_number(numbers: Iterable[str]) -> dict[str, list[str]]:
    """`witnesses` of many inspections in one query: 检查行为 number → its 见证人 (absent when there are none)."""
    found: dict[str, list[str]] = {}
    for number, witness in FieldInspection.objects.filter(number__in=[n for n in numbers if n]).exclude(
            witness="").values_list("number", "witness"):
        found.setdefault(number, []).append(witness)
    return found


