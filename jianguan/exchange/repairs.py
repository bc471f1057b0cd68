"""The repair queue (整改): records refused by our checks or by the receiver wait here for their department.

`settle` is called by an intake in its transaction: a record refused again updates its open item (one open item per
record and department), a record accepted closes the open items of its 记录唯一标识. `route` files the records a
receiver refused. `repair_fix` re-checks an item's record with its corrections and re-reports it through the intake
as `u` with the next version (a record made on the platform is corrected in the library instead,
`collect.platform_fix`); `repair_dismiss` closes an item without a fix.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from jianguan.accounts.models import ApiClient, Department, User
from jianguan.audit.contracts import record
from jianguan.behaviour.models import Source as BehaviourSource
from jianguan.core.codes import mask_ric
from jianguan.core.errors import ValidationFailed

from . import selectors, standards, workflow
from .models import Channel, ExchangeCall, KeptRecord, Op, Origin, OutboxRecord, PushBatch, RepairItem, RepairStatus
from .records import LIBRARY, Sender
from .sealing import reveal_record

if TYPE_CHECKING:
    from .intake import Outcome


def _regions(department_ids: set[int]) -> dict[int, str]:
    return dict(Department.objects.filter(pk__in=department_ids).values_list("pk", "region_id"))


def settle(*, sender: Any, std: Any, call: ExchangeCall, accepted: list[Any], rejected: list[Any],
           fixing: RepairItem | None = None) -> None:
    """File the refused records of an intake and close the items its accepted records fix."""
    now = timezone.now()
    person = sender.actor if getattr(sender.actor, "is_person", False) else None
    fixed_ids = [i.record_id for i in accepted if not i.duplicate]
    if fixing is not None and any(i.record_id == fixing.record_id for i in accepted):
        fixed_ids.append(fixing.record_id)
        RepairItem.objects.filter(pk=fixing.pk).update(
            status=RepairStatus.FIXED, fixed_at=now, fixed_by=person,
            resolution=f"整改后重报，已接收（调用 #{call.pk}）")
    if fixed_ids and RepairItem.objects.filter(standard=std.name, status=RepairStatus.OPEN).exists():
        for start in range(0, len(fixed_ids), 5000):
            RepairItem.objects.filter(standard=std.name, status=RepairStatus.OPEN,
                                      record_id__in=fixed_ids[start:start + 5000]).update(
                status=RepairStatus.FIXED, fixed_at=now, fixed_by=person,
                resolution=f"重报已接收（调用 #{call.pk}）")
    if not rejected:
        return
    owners = {i.index: i.department_id or sender.department.pk for i in rejected}
    regions = _regions(set(owners.values()))
    keyed = [i for i in rejected if i.record_id]
    open_items: dict[tuple[int, str], RepairItem] = {}
    if fixing is not None:
        open_items[fixing.department_id, fixing.record_id] = fixing
    ids = list({i.record_id for i in keyed})
    for start in range(0, len(ids), 5000):
        for item in RepairItem.objects.filter(standard=std.name, status=RepairStatus.OPEN,
                                              record_id__in=ids[start:start + 5000]):
            open_items.setdefault((item.department_id, item.record_id), item)
    new, changed = [], []
    for entry in rejected:
        department = owners[entry.index]
        payload = _payload(entry)
        existing = open_items.get((department, entry.record_id)) if entry.record_id else None
        if existing is not None:
            existing.errors, existing.payload, existing.call = entry.errors, payload, call
            if existing is not fixing:  # a fix refused on the page left nothing: its next try keeps the version
                existing.version = entry.version or existing.version
            changed.append(existing)
            continue
        item = RepairItem(department_id=department, region_id=regions[department], standard=std.name,
                          record_id=entry.record_id[:64], version=entry.version or 1,
                          source_system=sender.source_system, payload=payload, errors=entry.errors,
                          origin=Origin.CHECK, call=call, created_at=now)
        new.append(item)
        if entry.record_id:
            open_items[department, entry.record_id] = item
    RepairItem.objects.bulk_create([i for i in new if i.pk is None], batch_size=2000)
    RepairItem.objects.bulk_update([i for i in changed if i.pk], ["errors", "payload", "call", "version"],
                                   batch_size=500)


def _payload(entry: Any) -> dict[str, Any]:
    from .sealing import protect_record

    data = dict(entry.data) if isinstance(entry.data, dict) else {}
    return protect_record({k: val for k, val in data.items() if isinstance(k, str)})


def route(*, items: list[tuple[OutboxRecord, list[dict[str, Any]]]], origin: str, batch: PushBatch | None) -> None:
    """File records the receiver refused (with its problems) in their departments' queues."""
    if not items:
        return
    now = timezone.now()
    RepairItem.objects.bulk_create([
        RepairItem(department_id=row.department_id, region_id=row.region_id, standard=row.standard,
                   record_id=row.record_id, version=row.version, source_system=row.source_system,
                   payload=row.data, errors=[_receiver_issue(e) for e in errors], origin=origin, batch=batch,
                   call_id=row.call_id, created_at=now)
        for row, errors in items], batch_size=2000)


def _receiver_issue(error: Any) -> dict[str, str]:
    if not isinstance(error, dict):
        return {"field": "", "code": "receiver_error", "message": str(error)[:500]}
    return {"field": str(error.get("field", "")), "code": str(error.get("code", "receiver_error")),
            "message": str(error.get("message", ""))[:500], "rule": "receiver." + str(error.get("code", "")),
            "dimension": "receiver"}


# --- fixing or dismissing an item ------------------------------------------------------------------------------

def repair_fix(*, actor: User | ApiClient, item_id: int, values: dict[str, Any]) -> Outcome:
    """Check a repair item's record again with `values` changed; if it passes it is stored and queued as `u` with
    the next version, and the item is closed as fixed. A sealed ID number left as shown (masked) is kept."""
    item = selectors.repair_get(reader=actor, item_id=item_id)
    workflow.check("fix", item, actor)  # the item is closed by the intake once the record is accepted (`settle`)
    std = standards.get(item.standard)
    payload = reveal_record(item.payload)
    changed = {k: val for k, val in values.items() if not (isinstance(val, str) and "*" in val
                                                           and k in payload and mask_ric(str(payload[k])) == val)}
    model = LIBRARY.get(std.name)
    own = model.objects.filter(record_id=item.record_id, source=BehaviourSource.PLATFORM).first() if model else None
    if own is not None:  # a record made on the platform: corrected in the library, then queued (collect.py)
        from . import collect  # collect builds on the intake, which files in this queue: imported at call time

        return collect.platform_fix(actor=actor, item=item, row=own, values=changed)
    fixed = {**payload, **changed}
    version = max(item.version, _current_version(std.name, item.record_id)) + 1
    body = json.dumps([{**fixed, "op": Op.UPDATE, "version": version}], ensure_ascii=False).encode()
    sender = Sender(actor, item.department, item.source_system or Sender.of(actor).source_system,
                    None)
    from .intake import keep_call, run_call  # the intake files in this queue (`settle`): imported at call time

    call = keep_call(sender, channel=Channel.REPAIR, standard=std.name, raw=body, received=1)
    return run_call(sender, std, [{**fixed, "op": Op.UPDATE, "version": version}], call, fixing=item)


def repair_dismiss(*, actor: User | ApiClient, item_id: int, reason: str) -> RepairItem:
    """Close a repair item without a fix (a record sent in error, a duplicate of one fixed elsewhere)."""
    if not reason.strip():
        raise ValidationFailed("请说明作废原因", code="reason_required", field="reason")
    with transaction.atomic():
        item = selectors.repair_get(reader=actor, item_id=item_id)
        item = RepairItem.objects.select_for_update().get(pk=item.pk)
        edge = workflow.check("dismiss", item, actor)
        item.status, item.fixed_at, item.resolution = edge.target, timezone.now(), reason.strip()[:300]
        item.fixed_by = actor if getattr(actor, "is_person", False) else None
        item.save(update_fields=["status", "fixed_at", "resolution", "fixed_by"])
        record(actor=actor, verb="exchange.repair_dismissed", target=item,
               data={"standard": item.standard, "record_id": item.record_id, "reason": item.resolution})
    return item


def _current_version(standard: str, record_id: str) -> int:
    model = LIBRARY.get(standard)
    rows = model.objects.filter(record_id=record_id) if model else KeptRecord.objects.filter(standard=standard,
                                                                                           record_id=record_id)
    found = rows.values_list("version", flat=True).first()
    queued = OutboxRecord.objects.filter(standard=standard, record_id=record_id).aggregate(
        top=models.Max("version"))["top"]
    return max(found or 0, queued or 0)


# --- figures ---------------------------------------------------------------------------------------------------

def queue_figures(items: Any, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Whether the loop closes: open items, fixed in the last 7 and 30 days, median and oldest age of the open
    ones (days). `items` is an already scoped queryset of RepairItem."""
    now = now or timezone.now()
    counts = items.aggregate(
        open=Count("pk", filter=Q(status=RepairStatus.OPEN)),
        fixed_7=Count("pk", filter=Q(status=RepairStatus.FIXED, fixed_at__gte=now - dt.timedelta(days=7))),
        fixed_30=Count("pk", filter=Q(status=RepairStatus.FIXED, fixed_at__gte=now - dt.timedelta(days=30))),
        from_receiver=Count("pk", filter=Q(status=RepairStatus.OPEN, origin=Origin.RECEIVER)))
    created = list(items.filter(status=RepairStatus.OPEN).values_list("created_at", flat=True)[:20_000])
    ages = [(now - c).total_seconds() / 86400 for c in created]
    counts["median_age_days"] = round(statistics.median(ages), 1) if ages else None
    counts["oldest_age_days"] = round(max(ages), 1) if ages else None
    return counts


def by_department(items: Any, *, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The figures of `queue_figures` per department (open count first)."""
    now = now or timezone.now()
    rows = items.values("department_id", "department__name").annotate(
        open=Count("pk", filter=Q(status=RepairStatus.OPEN)),
        fixed_7=Count("pk", filter=Q(status=RepairStatus.FIXED, fixed_at__gte=now - dt.timedelta(days=7))),
        fixed_30=Count("pk", filter=Q(status=RepairStatus.FIXED, fixed_at__gte=now - dt.timedelta(days=30))),
    ).order_by("-open", "department__name")
    ages: dict[int, list[float]] = {}
    for department, created in items.filter(status=RepairStatus.OPEN).values_list("department_id",
                                                                                 "created_at")[:50_000]:
        ages.setdefault(department, []).append((now - created).total_seconds() / 86400)
    return [{**row, "median_age_days": round(statistics.median(ages[row["department_id"]]), 1)
             if ages.get(row["department_id"]) else None} for row in rows]
