"""An alert as other apps read it (`AlertCard`) and its carrying into a case clue: the one step after 立案.

`risk` lies below `enforcement`, so the clue is registered on enforcement's side, which then records here, through
`contracts.alert_mark_carried`, the clue's number on the alert: once, under the alert's row lock, audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import InvalidTransition
from jianguan.core.scoping import HasScope

from .models import Alert, AlertStatus, AlertStep


@dataclass(frozen=True)
class AlertCard:
    """What a clue needs of an alert: subject, model, window, department and region, the finding and the hits
    (each with rule, article and quote), the day its verification clock started and the clue it became."""

    id: int
    reference: str
    subject_key: str
    subject_name: str
    entity_uscc: str
    model: str
    model_label: str
    window: str
    department_id: int
    region_id: str
    status: str
    finding: str
    hits: tuple[dict[str, Any], ...]
    found_on: dt.date
    clue_number: str

    @property
    def decided_case(self) -> bool:
        """Whether the head decided 立案 on it (`workflow.ALERTS`, edge `open_case`)."""
        return self.status == AlertStatus.CASE

    @classmethod
    def from_model(cls, alert: Alert) -> AlertCard:
        found = alert.verify_started or timezone.localtime(alert.created_at).date()
        return cls(id=alert.pk, reference=reference(alert.pk), subject_key=alert.subject_key,
                   subject_name=alert.subject_name, entity_uscc=alert.entity.uscc if alert.entity else "",
                   model=alert.model, model_label=str(alert.get_model_display()), window=alert.window,
                   department_id=alert.department_id, region_id=alert.region_id, status=alert.status,
                   finding=alert.finding, hits=tuple(alert.hits), found_on=found, clue_number=alert.clue_number)


def reference(alert_id: int) -> str:
    """The alert's reference as a clue's 来源编号."""
    return f"风险预警-{alert_id}"


def alert_card(*, reader: HasScope, alert_id: int, for_update: bool = False) -> AlertCard:
    """The alert within the reader's scope; NotFound (404) otherwise. `for_update`: hold its row until the
    caller's transaction ends (so two attempts to carry it into a case run one after the other)."""
    alerts = Alert.objects.select_related("entity")
    alert: Alert = (alerts.select_for_update(of=("self",)) if for_update else alerts).get_visible(reader, pk=alert_id)
    return AlertCard.from_model(alert)


@transaction.atomic
def alert_mark_carried(*, actor: Actor, alert_id: int, clue_number: str) -> AlertCard:
    """Record that the alert (decided 立案) became the clue `clue_number`; a second time → 409 naming the clue."""
    alert: Alert = Alert.objects.select_for_update(of=("self",)).select_related("entity").get(pk=alert_id)
    if alert.clue_number:
        raise InvalidTransition(f"该预警已转为案件线索（线索编号 {alert.clue_number}）", code="clue_exists",
                                extra={"clue": alert.clue_number})
    if alert.status != AlertStatus.CASE:
        raise InvalidTransition("只有决定立案的预警可以转为案件线索", code="alert_not_case",
                                extra={"status": alert.status})
    alert.clue_number = clue_number
    alert.save(update_fields=["clue_number", "updated_at"])
    note = f"转为案件线索 {clue_number}"
    AlertStep.objects.create(alert=alert, action="carry", old=alert.status, new=alert.status,
                             actor_label=str(actor), note=note)
    record(actor=actor, verb="risk.alert_carried", target=alert, data={"clue": clue_number})
    return AlertCard.from_model(alert)
