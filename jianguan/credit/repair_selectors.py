"""Reads of credit repair (ADR 0045): a department's applications with their clocks, one application, the public
status lookup, and the publications ended early (what the disclosure side and the exchange read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jianguan.core.calendar import add_working_days
from jianguan.core.errors import NotFound
from jianguan.core.scoping import HasScope

from .models import PublicationEnd, RepairApplication, RepairStatus

OPEN = (RepairStatus.SUBMITTED, RepairStatus.ACCEPTED)
# 国市监信规〔2021〕3号: accept or refuse within 2 working days, decide within 15 working days of acceptance
# [practice: the limits most provincial rules take; ADR 0045].
ACCEPT_DAYS, DECIDE_DAYS = 2, 15


def repair_list(*, reader: HasScope, status: str | None = None) -> QuerySet[RepairApplication]:
    rows = RepairApplication.objects.visible_to(reader).select_related("entity", "penalty", "department")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-submitted_at", "-pk")


def repair_get(*, reader: HasScope, application_id: int) -> RepairApplication:
    found: RepairApplication = RepairApplication.objects.get_visible(reader, pk=application_id)
    return found


def due_on(app: RepairApplication) -> dt.date | None:
    """The day the open step is due: acceptance 2 working days after submission, the decision 15 after acceptance."""
    if app.status == RepairStatus.SUBMITTED:
        return add_working_days(timezone.localtime(app.submitted_at).date(), ACCEPT_DAYS)
    if app.status == RepairStatus.ACCEPTED and app.accepted_at is not None:
        return add_working_days(timezone.localtime(app.accepted_at).date(), DECIDE_DAYS)
    return None


def public_status(*, number: str, uscc: str) -> RepairApplication:
    """An application by its number and the entity's code, for the applicant; not found otherwise."""
    found: RepairApplication | None = RepairApplication.objects.filter(
        number=number.strip(), entity__uscc=uscc.strip().upper()).first()
    if found is None:
        raise NotFound("未找到该申请（请核对申请编号和统一社会信用代码）")
    return found


@dataclass(frozen=True)
class PublicationEndCard:
    """The publication of one 行政处罚 ended early on `ended_on` by the approved repair `repair_number`."""

    id: int
    penalty_id: int
    penalty_record_id: str
    penalty_number: str
    ended_on: dt.date
    repair_number: str
    reasons: str
    department_id: int
    region_id: str


def publication_end_list(*, penalty_ids: Any = None, exclude_record_ids: Any = None) -> list[PublicationEndCard]:
    """The early ends recorded (optionally for some penalties only), oldest first."""
    rows = PublicationEnd.objects.select_related("penalty", "repair").order_by("pk")
    if penalty_ids is not None:
        rows = rows.filter(penalty_id__in=penalty_ids)
    if exclude_record_ids is not None:
        rows = rows.exclude(penalty__record_id__in=exclude_record_ids)
    return [PublicationEndCard(id=row.pk, penalty_id=row.penalty_id, penalty_record_id=str(row.penalty.record_id),
                               penalty_number=row.penalty.number, ended_on=row.ended_on,
                               repair_number=row.repair.number, reasons=row.repair.reasons,
                               department_id=row.department_id, region_id=row.region_id) for row in rows]
