"""Joint tasks dispatched from above through the exchange (ADR 0056), and the units' feedback going back.

A 联合监管任务 record (`joint_task`) with status 分发 whose initiator is none of the city's departments is a task
the province or a ministry dispatches: the intake asks joint whether it can be assigned (`dispatch_check`, before
storing: a broken rule refuses the record like any other check, into the sender's repair queue) and, once the
record is kept, hands it over (`dispatch_store`: `joint.contracts.dispatch_receive` makes the joint task of the
named departments, in the intake's transaction). A city department's own joint task is only kept and passed on.

The feedback each department gives goes back through the outbox and the pusher: `feedback_collect` (called by
`collect.platform_collect`) queues each unit's feedback once, as a `joint_feedback` record (the standard's
per-unit part: taskDetails with its feedbackUnitInfo, behaviour-records.md §6), keyed by 任务编号 and the unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.joint import contracts as joint

from .models import Op, OutboxRecord
from .records import Item, Sender, issue
from .standards import values as v

STANDARD = "joint_task"
FEEDBACK = "joint_feedback"


def _text(item: Item, name: str) -> str:
    return (v.as_text(item.data.get(name)) or "").strip()


def _moment(text: str) -> dt.datetime:
    try:
        found = dt.datetime.fromisoformat(text)
    except ValueError:
        found = dt.datetime.combine(timezone.localdate(), dt.time())
    return found if timezone.is_aware(found) else timezone.make_aware(found)


def _dispatch(item: Item, sender: Sender, call_id: int) -> joint.DispatchIn:
    return joint.DispatchIn(
        source_system=sender.source_system, task_no=item.record_id, task_name=_text(item, "task_name"),
        start=_moment(_text(item, "task_start_time")), initiator_code=_text(item, "initiate_unit_no"),
        initiator_name=_text(item, "initiate_unit_name"), initiator_type=_text(item, "initiate_unit_type"),
        departments=tuple(str(c) for c in v.as_items(item.data.get("union_dept_nos")) or ()),
        matter_code=_text(item, "supervision_matter_code"), content=_text(item, "inspect_content"),
        claim=_text(item, "inspect_claim"),
        objects=tuple(str(c) for c in v.as_items(item.data.get("object_codes")) or ()), call_id=call_id)


def dispatch_check(std: Any, items: list[Item], sender: Sender, call_id: int) -> dict[int, joint.DispatchIn]:
    """The dispatched tasks among the records (by index), each checked by joint's rules; a record that breaks one
    is refused with the rule's code."""
    if std.name != STANDARD:
        return {}
    found = {}
    for item in items:
        if item.errors or item.op == Op.DELETE or not joint.is_dispatch(_text(item, "status"),
                                                                         _text(item, "initiate_unit_no")):
            continue
        task = _dispatch(item, sender, call_id)
        problems = joint.dispatch_problems(task)
        item.errors += [issue(p.field, p.code, p.message, "relevance", f"joint.{p.code}") for p in problems]
        if not problems:
            found[item.index] = task
    return found


def dispatch_store(dispatched: dict[int, joint.DispatchIn], items: list[Item], sender: Sender) -> int:
    """Hand the kept dispatched tasks to joint (in the intake's transaction); the number of joint tasks made."""
    made = 0
    for item in items:
        task = dispatched.get(item.index)
        if task is not None and not item.errors and not item.duplicate:
            joint.dispatch_receive(task, actor=sender.actor)
            made += 1
    return made


def feedback_collect(*, actor: Actor) -> int:
    """Queue each unit's feedback not yet in the outbox, once."""
    with transaction.atomic():
        queued = OutboxRecord.objects.filter(standard=FEEDBACK).values_list("record_id", flat=True)
        cards = joint.feedback_list(exclude_record_ids=set(queued))
        if not cards:
            return 0
        OutboxRecord.objects.bulk_create([OutboxRecord(
            standard=FEEDBACK, record_id=card.record_id, version=1, op=Op.INSERT, data=card.data,
            department_id=card.department_id, region_id=card.region_id) for card in cards])
        record(actor=actor, verb="exchange.joint_feedback_queued",
               data={"records": [card.record_id for card in cards]})
    return len(cards)
