"""Writes of manual adjustments (人工调整) of the credit-risk class (ADR 0041, docs/credit-classes.md): an officer
proposes a class for one entity with a reason and evidence (a file kept as received, or a reference to one) and an
expiry date; the head of the proposer's department approves or rejects it, and may withdraw it later; the system
ends it after its expiry date. An approved adjustment in force overrides the class the runs compute wherever the
class is read (`selectors.classes_of` / `entity_class`) and in the object library's strata column
(`MarketEntity.risk_class`). Every step is checked on the table (`adjustment_workflow`) and audited."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianguan.accounts.models import DepartmentKind, User
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed
from jianguan.core.validation import day, require, text
from jianguan.subjects.contracts import require_entity
from jianguan.subjects.models import MarketEntity, RiskClass

from . import selectors
from .adjustment_workflow import ADJUSTMENTS, NEW, Facts
from .models import AdjustmentStatus, ClassAdjustment

_OPEN = (AdjustmentStatus.PROPOSED, AdjustmentStatus.APPROVED)
_PROPOSE = next(edge for edge in ADJUSTMENTS.edges if edge.action == "propose")


def months_later(start: dt.date, months: int) -> dt.date:
    """The same day `months` months after `start` (the month's last day where it is shorter)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def default_expiry(today: dt.date) -> dt.date:
    return months_later(today, int(settings.JIANGUAN_CREDIT_ADJUSTMENT_MONTHS))


def _evidence(name: str, content_type: str, data: bytes | None) -> dict[str, Any]:
    if data is None:
        return {}
    limit = int(settings.JIANGUAN_CREDIT_EVIDENCE_MAX_BYTES)
    require(data, "证据文件为空", "file_empty", "evidence")
    require(len(data) <= limit, f"证据文件超过 {limit // (1024 * 1024)} MB 的上限", "file_too_large", "evidence")
    return {"evidence": data, "evidence_name": (name or "evidence")[:200], "evidence_type": content_type[:100],
            "evidence_sha256": hashlib.sha256(data).hexdigest(), "evidence_size": len(data)}


@transaction.atomic
def adjustment_propose(*, actor: User, uscc: str, target_class: str, reason: str, expires_on: Any = None,
                       evidence_note: str = "", evidence_name: str = "", evidence_type: str = "",
                       evidence_data: bytes | None = None) -> ClassAdjustment:
    """Propose a class for the entity of code `uscc` (one the proposer may read), with a reason, evidence and an
    expiry date (default: `JIANGUAN_CREDIT_ADJUSTMENT_MONTHS` months from today). Refused: no reason, no evidence,
    the class in force already, an expiry date in the past, an entity outside the proposer's jurisdiction, an
    entity without a published class or with an adjustment open."""
    today = timezone.localdate()
    department = actor.department
    line_ok = department is not None and department.kind == DepartmentKind.SCJG
    refusal = ADJUSTMENTS.permitted(_PROPOSE, Facts(NEW, actor, actor.department_id, line_ok=line_ok))
    if refusal is not None:
        raise refusal
    entity = require_entity(uscc, "uscc", reader=actor)
    target = str(target_class or "").strip().upper()
    require(target in RiskClass.values, f"“调整后分类”应为 {'、'.join(RiskClass.values)} 之一", "choice_invalid",
            "target_class")
    expiry = day(expires_on, "expires_on", "有效期至", default=default_expiry(today), future=True)
    reason = text(reason, "reason", "调整理由", required=False)
    note = text(evidence_note, "evidence_note", "证据说明", required=False, max_len=500)
    _expire_due(actor=actor, entity_ids=[entity.pk], today=today)
    card = selectors.entity_class(entity.uscc)
    require(card is not None, "该主体尚无已发布的信用风险分类，不能调整", "class_missing", "uscc")
    assert card is not None
    ADJUSTMENTS.check(_PROPOSE, Facts(NEW, actor, actor.department_id, line_ok=line_ok, reason=reason,
                                      evidence=bool(note or evidence_data), current_class=card.risk_class,
                                      target_class=target, expires_on=expiry, today=today))
    require(not ClassAdjustment.objects.filter(entity=entity, status__in=_OPEN).exists(),
            "该主体已有待批准或生效中的人工调整", "adjustment_open", "uscc")
    try:
        with transaction.atomic():
            adjustment = ClassAdjustment.objects.create(
                entity=entity, region_id=entity.region_id, department_id=actor.department_id,
                computed_class=card.computed_class or card.risk_class, run_number=card.run_number,
                target_class=target, reason=reason, evidence_note=note, expires_on=expiry,
                proposed_by=actor, proposed_at=timezone.now(), **_evidence(evidence_name, evidence_type,
                                                                            evidence_data))
    except IntegrityError:
        raise ValidationFailed("该主体已有待批准或生效中的人工调整", code="adjustment_open", field="uscc") from None
    record(actor=actor, verb="credit.adjustment_proposed", target=adjustment, data={
        "uscc": entity.uscc, "from": adjustment.computed_class, "to": target, "expires_on": expiry.isoformat(),
        "run": card.run_number, "evidence_sha256": adjustment.evidence_sha256})
    return adjustment



def _facts(adjustment: ClassAdjustment, actor: Actor, today: dt.date, opinion: str = "") -> Facts:
    return Facts(adjustment.status, actor, adjustment.department_id, adjustment.proposed_by_id,
                 reason=adjustment.reason, target_class=adjustment.target_class, expires_on=adjustment.expires_on,
                 today=today, opinion=opinion)


def allowed_actions(adjustment: ClassAdjustment, actor: Actor) -> list[str]:
    """The steps `actor` may take on the adjustment now (an opinion assumed where one is asked for)."""
    facts = _facts(adjustment, actor, timezone.localdate(), opinion="-")
    return [edge.action for edge in ADJUSTMENTS.allowed(facts)]


def _sync_entity(entity_id: int) -> None:
    """The strata column of the object library follows the class in force (adjusted, else computed)."""
    card = selectors.classes_of([entity_id]).get(entity_id)
    MarketEntity.objects.filter(pk=entity_id).update(risk_class=card.risk_class if card else "")


@transaction.atomic
def adjustment_transition(*, actor: User, adjustment_id: int, action: str, opinion: str = "") -> ClassAdjustment:
    """Approve, reject or withdraw an adjustment the actor may read (the head of the proposer's department, never
    the proposer); approving or withdrawing moves the entity's strata column with it."""
    today = timezone.localdate()
    selectors.adjustment_get(reader=actor, adjustment_id=adjustment_id)
    adjustment: ClassAdjustment = ClassAdjustment.objects.select_for_update().get(pk=adjustment_id)
    opinion = text(opinion, "opinion", "意见", required=False)
    edge = ADJUSTMENTS.check(action, _facts(adjustment, actor, today, opinion))
    now = timezone.now()
    adjustment.status = edge.target
    if action in ("approve", "reject"):
        adjustment.decided_by, adjustment.decided_at, adjustment.opinion = actor, now, opinion
    else:
        adjustment.ended_at, adjustment.ended_note = now, opinion
    adjustment.save(update_fields=["status", "decided_by", "decided_at", "opinion", "ended_at", "ended_note"])
    record(actor=actor, verb=f"credit.adjustment_{edge.target}", target=adjustment, data={
        "uscc": adjustment.entity.uscc, "to": adjustment.target_class, "opinion": opinion})
    if action in ("approve", "withdraw"):
        _sync_entity(adjustment.entity_id)
    return adjustment


def _expire_due(*, actor: Actor, entity_ids: list[int] | None, today: dt.date) -> int:
    due = ClassAdjustment.objects.select_for_update().filter(status=AdjustmentStatus.APPROVED,
                                                             expires_on__lt=today).defer("evidence")
    if entity_ids is not None:
        due = due.filter(entity_id__in=entity_ids)
    ended = 0
    for adjustment in due:
        ADJUSTMENTS.check("expire", _facts(adjustment, actor, today))
        adjustment.status, adjustment.ended_at = AdjustmentStatus.EXPIRED, timezone.now()
        adjustment.save(update_fields=["status", "ended_at"])
        record(actor=actor, verb="credit.adjustment_expired", target=adjustment,
               data={"expires_on": adjustment.expires_on.isoformat()})
        _sync_entity(adjustment.entity_id)
        ended += 1
    return ended


@transaction.atomic
def adjustments_expire(*, actor: Actor) -> int:
    """End every approved adjustment past its expiry date (the system's step); the number ended. The reads
    already ignore them from the day after their expiry; this records the end and moves the strata column back."""
    return _expire_due(actor=actor, entity_ids=None, today=timezone.localdate())


def entities_adjust(*, today: dt.date | None = None) -> int:
    """Copy the class of every adjustment in force to its entity's strata column (after a run's publication has
    written the computed classes); the number of entities."""
    rows = ClassAdjustment.objects.in_force(today or timezone.localdate())
    count = 0
    for entity_id, target in rows.values_list("entity_id", "target_class"):
        count += MarketEntity.objects.filter(pk=entity_id).update(risk_class=target)
    return count
