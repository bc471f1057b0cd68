"""Writes on disclosure items (ADR 0047): each step an edge of `workflow.ITEMS`, checked before anything is written,
kept as a `DisclosureStep` and recorded in the audit chain in the same transaction. Items are made by the sweep
(`sweep.py`) and, for licences received through the exchange, by `licences.py`; here they are prepared, reviewed
and published, withheld, withdrawn, and ended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.behaviour.models import Coercion, Inspection, Penalty
from jianguan.core.actors import Actor
from jianguan.core.validation import day, require, text

from . import pdfs, received, redacting, rules, search
from .models import DisclosureItem, DisclosureStep, SourceKind, WithheldRule
from .persons import persons_of
from .workflow import ITEMS, Facts

SOURCES: dict[str, type[models.Model]] = {SourceKind.PENALTY: Penalty, SourceKind.INSPECTION: Inspection,
                                          SourceKind.COERCION: Coercion}
FORM_FIELDS = ("note", "reason", "rule", "changed_on", "restriction_ends_on", "mask_field", "mask_text", "mask_kind",
               "unmask")


def source_of(item: DisclosureItem) -> Any:
    """The behaviour row the item was made from; a received licence as its fields keep it (`received.row_of`)."""
    if item.source_kind == SourceKind.LICENCE:
        return received.row_of(item)
    return SOURCES[item.source_kind]._default_manager.get(pk=item.source_id)


def facts_of(item: DisclosureItem, actor: Actor, values: dict[str, Any] | None = None) -> Facts:
    values = values or {}
    return Facts(item.status, actor, item.department_id, item.prepared_by_id,
                 reason=str(values.get("reason") or ""), rule=str(values.get("rule") or ""))


@transaction.atomic
def item_transition(*, item_id: int, action: str, values: dict[str, Any], actor: Actor) -> DisclosureItem:
    """Take one step of the item's table: the edge checked (order, who, guards), then its handler, the step row
    and the audit event. The caller has read the item as `actor`."""
    item: DisclosureItem = DisclosureItem.objects.select_for_update().get(pk=item_id)
    edge = ITEMS.check(action, facts_of(item, actor, values))
    before, terms = item.status, search.indexed(item)
    data = HANDLERS[edge.action](item, values, actor)
    item.status = edge.target
    item.save()
    search.terms_sync(item, terms)
    note = str(data.get("reason") or data.get("note") or "")
    DisclosureStep.objects.create(item=item, action=edge.action, old=before, new=item.status,
                                  actor=actor if isinstance(actor, User) else None,
                                  actor_label=str(actor.as_actor_ref().label)[:100], note=note[:1000],
                                  citation=edge.citation[:200])
    record(actor=actor, verb=f"disclosure.item_{edge.action}", target=item,
           data={"number": item.number, "from": before, "to": item.status, "citation": edge.citation, **data})
    return item


def _prepare(item: DisclosureItem, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """提交审核: the preparer, and the end of a 限制 measure where it is longer than the period (令第45号 第十四条)."""
    ends = values.get("restriction_ends_on")
    restriction = day(ends, "restriction_ends_on", "限制措施届满日", future=True) if ends else None
    require(restriction is None or restriction > item.decided_on, "“限制措施届满日”应晚于决定日期",
            "date_before_decision", "restriction_ends_on")
    item.restriction_ends_on = restriction
    item.prepared_by, item.prepared_at = actor, timezone.now()  # type: ignore[assignment]
    return {"note": text(values.get("note"), "note", "说明", required=False, max_len=1000),
            "restriction_ends_on": restriction, **_persons_refresh(item, source_of(item))}


def _persons_refresh(item: DisclosureItem, row: Any) -> dict[str, Any]:
    """The case's person list read again (persons recorded since the sweep, e.g. a 受送达人), the copy made again."""
    item.persons = persons_of(item.source_kind, row)
    return {"persons": len(item.persons), **redacting.item_redact(item)}


def _publish(item: DisclosureItem, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """审核通过并公示: published today with its period, its published copy and PDF made now; after the due day it
    is published late, not refused; a PDF from which a masked value can be read refuses it (`redaction_leftover`)."""
    today, row = timezone.localdate(), source_of(item)
    label, ends = rules.period(item.source_kind, row, item.restriction_ends_on)
    item.published_on, item.period_label, item.period_ends_on = today, label, ends
    item.reviewed_by = actor  # type: ignore[assignment]
    masked = _persons_refresh(item, row)  # the copy published is made now, with the rules and persons in force
    if item.source_kind != SourceKind.LICENCE:  # a received licence has no document here: its page shows the fields
        masked.update(pdfs.pdf_store(item))  # its PDF too, checked for leftovers (a leftover refuses the release)
    return {"published_on": today, "period_ends_on": ends, "late": today > item.due_on, **masked,
            "note": text(values.get("note"), "note", "审核意见", required=False, max_len=1000)}


def _return(item: DisclosureItem, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    item.reviewed_by = actor  # type: ignore[assignment]
    return {"reason": text(values.get("reason"), "reason", "退回原因", max_len=1000)}


def _withhold(item: DisclosureItem, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    rule = WithheldRule(values["rule"])
    item.withheld_rule, item.withheld_basis = rule, rules.WITHHELD_BASIS[rule]
    item.withheld_reason = text(values.get("reason"), "reason", "不予公示理由", max_len=1000)
    item.reviewed_by = actor  # type: ignore[assignment]
    return {"rule": rule.value, "basis": item.withheld_basis, "reason": item.withheld_reason}


def _withdraw(item: DisclosureItem, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """撤回 (《行政处罚法》第四十八条): the reason (shown publicly), the day the decision was changed, revoked or
    found illegal (its clock); after the due day it is withdrawn late, not refused."""
    reason = text(values.get("reason"), "reason", "撤回原因", max_len=1000)
    changed = day(values.get("changed_on"), "changed_on", "决定变更、撤销或确认违法日期",
                  default=item.changed_on or timezone.localdate())
    require(changed >= item.decided_on, "“决定变更、撤销或确认违法日期”不能早于决定日期", "date_before_decision",
            "changed_on")
    today = timezone.localdate()
    item.changed_on, item.withdraw_due = changed, rules.withdraw_due(changed)
    item.withdrawn_on, item.withdraw_reason = today, reason
    return {"reason": reason, "changed_on": changed, "withdraw_due": item.withdraw_due,
            "late": today > item.withdraw_due}


def _expire(item: DisclosureItem, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    item.ended_on, item.end_reason = timezone.localdate(), "公示期满"
    return {"period_ends_on": item.period_ends_on}


def _end_early(item: DisclosureItem, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    ended: dt.date = values.get("ended_on") or timezone.localdate()
    item.ended_on = ended
    item.end_reason = f"信用修复提前停止公示（申请编号 {values.get('repair_number', '')}）"[:200]
    return {"ended_on": ended, "repair": values.get("repair_number", "")}


def _confirm(item: DisclosureItem, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """复核更新内容: a reviewer has read the published copy that a received update made again (ADR 0062)."""
    require(item.source_changed_on is not None, "该公示事项的决定记录没有待复核的更新", "nothing_changed", "action")
    changed, item.source_changed_on = item.source_changed_on, None
    return {"source_changed_on": changed, "note": text(values.get("note"), "note", "复核意见", required=False,
                                                         max_len=1000)}


def _mask(item: DisclosureItem, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """调整隐去: a mask added or one removed, with the reason (the copy made again)."""
    return redacting.mask_change(item, values)


HANDLERS: dict[str, Callable[[DisclosureItem, dict[str, Any], Actor], dict[str, Any]]] = {
    "prepare": _prepare, "publish": _publish, "return": _return, "withhold": _withhold, "withdraw": _withdraw,
    "expire": _expire, "end_early": _end_early, "mask": _mask, "confirm": _confirm}
