"""Writes of enforcement (so far: clues)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.services import record
from jianguan.behaviour.models import Inspection
from jianguan.complaints import services as complaints
from jianguan.complaints.models import ComplaintKind
from jianguan.core.calendar import add_working_days
from jianguan.core.errors import InvalidTransition

from .models import Clue, ClueSource

CHECK_WORKING_DAYS = 15  # [law] check a clue and decide whether to open a case


def _number() -> str:
    prefix = "XS" + timezone.localtime().strftime("%Y%m%d")
    last = Clue.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    return f"{prefix}{(int(last[0][len(prefix):]) + 1) if last else 1:05d}"


@transaction.atomic
def clue_from_complaint(*, actor: User, complaint_id: int, note: str = "") -> Clue:
    """Turn a complaint or report into a clue of the department handling it, in one step.

    The 15-working-day clock counts from the complaint's receipt (the day the body learned of it).
    """
    complaint = complaints.complaint_mark_converted(actor=actor, complaint_id=complaint_id,
                                                    note=note or "转为案件线索")
    received = timezone.localtime(complaint.received_at).date()
    clue = Clue.objects.create(
        number=_number(), source=ClueSource.REPORT if complaint.kind == ComplaintKind.REPORT else ClueSource.COMPLAINT,
        source_ref=complaint.number, department=complaint.department, region=complaint.region,
        entity=complaint.entity, party_name=complaint.subject_name, summary=complaint.content,
        received_on=received, check_due=add_working_days(received, CHECK_WORKING_DAYS))
    record(actor=actor, verb="enforcement.clue_registered", target=clue,
           data={"source": clue.source, "source_ref": clue.source_ref, "check_due": clue.check_due})
    return clue


@transaction.atomic
def clue_from_inspection(*, actor: User, inspection_number: str, summary: str) -> Clue:
    """A clue found by an inspection (案件来源：监督检查), for the department that inspected; the 15-working-day
    check counts from the inspection day."""
    inspection = Inspection.objects.select_related("department", "region").get(number=inspection_number)
    if Clue.objects.filter(source=ClueSource.INSPECTION, source_ref=inspection.number).exists():
        raise InvalidTransition("该检查已转为案件线索", code="clue_exists")
    clue = Clue.objects.create(
        number=_number(), source=ClueSource.INSPECTION, source_ref=inspection.number,
        department=inspection.department, region=inspection.region, entity_id=inspection.entity_id,
        party_name=inspection.party_name, summary=summary, received_on=inspection.date,
        check_due=add_working_days(inspection.date, CHECK_WORKING_DAYS))
    record(actor=actor, verb="enforcement.clue_registered", target=clue,
           data={"source": clue.source, "source_ref": clue.source_ref, "check_due": clue.check_due})
    return clue
