"""Records made on the platform itself into the outbox (catalog.md §7): the 行政检查, 处罚, 强制 and 其他行为 written by
the behaviour services (inspections, spot checks, enforcement, coercion) go upward like the records received.

`platform_collect` finds the behaviour rows made on the platform (`source` `platform`: those received through
intake are queued by the intake itself, and the demo seed's history stands for what was reported before) whose
(记录唯一标识, version) has neither an outbox entry nor a repair item of our checks, maps them to the standard's
fields (`quality.sources.records_from_library`), checks them with the quality engine like an intake does, and in one
transaction per chunk:

- queues the valid ones: op `i` for version 1, `u` for a later version (an amendment, `record_amend`), `d` for a
  withdrawn row (no content); natural persons' ID numbers are put back from the party register and sealed in the
  outbox (`sealing.protect_record`) as an intake does;
- files the invalid ones in their department's repair queue (origin `check`), one open item per record: a later
  version that is refused again updates it; a later version that passes closes it.

The publications of penalties ended early by an approved credit repair are queued by the same call
(`publication_ends.publication_ends_collect`, ADR 0045), as are the units' feedback on joint tasks dispatched from
above (`dispatches.feedback_collect`, ADR 0056), the decisions published by disclosure and their
withdrawals (`disclosures.disclosures_collect`, ADR 0047) and the audit chain's signed checkpoints.

Finding the work: an anti-join, not a watermark. `NOT EXISTS` an outbox entry (indexed on `record_id`) or repair
item (indexed on standard, record_id) with the same (record_id, version) is exact whatever order rows are written
and committed in — a watermark on `updated_at` or on the primary key misses a row committed late by a transaction
that began earlier, and a pk watermark misses amendments, which keep their row — and it needs no state of its own:
running it twice queues nothing new, by construction. Its cost is one pass over the platform's own rows (those
received by intake, the bulk of the tables, are left out by `source`) with an index probe each; the rows found
are then read in chunks of `CHUNK` by primary key, each chunk re-checked under the lock, so concurrent collectors
(push rounds in two processes) never queue the same version twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.audit.contracts import checkpoint_document, record
from jianguan.audit.models import Checkpoint
from jianguan.behaviour import contracts as behaviour
from jianguan.behaviour.models import Source as BehaviourSource
from jianguan.core.actors import Actor, SystemActor
from jianguan.core.bulk import bulk_insert
from jianguan.core.protect import unseal
from jianguan.subjects.models import Person

from . import standards
from .disclosures import disclosures_collect
from .dispatches import FEEDBACK, feedback_collect
from .intake import Outcome, keep_call
from .models import CallStatus, Channel, ExchangeCall, Op, Origin, OutboxRecord, OutboxStatus, RepairItem, RepairStatus
from .outbox import OUTBOX_COLUMNS, layout_of
from .publication_ends import STANDARD as PUBLICATION_ENDS
from .publication_ends import publication_ends_collect
from .quality import engine, sources
from .records import LIBRARY, Sender, issue_dict
from .refs import LibraryRefs
from .sealing import protect_record

COLLECTOR = SystemActor("exchange.collect")
CHUNK = 2000  # rows read, checked and queued per transaction
_ROW = ("pk", "record_id", "version", "withdrawn_at", "person_id", "department_id", "region_id", "source_system")
_LOCK_KEY = 7_301_512  # PostgreSQL advisory lock taken by a collecting transaction


@dataclass
class Collected:
    """What one collection queued and filed, per standard."""

    queued: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.queued.values()) + sum(self.refused.values())


def _pending(std_name: str, model: type[models.Model]) -> models.QuerySet:
    """The platform's rows of `model` whose current version is neither queued nor filed for repair."""
    same = {"standard": std_name, "record_id": OuterRef("record_id"), "version": OuterRef("version")}
    return model.objects.filter(source=BehaviourSource.PLATFORM).filter(
        ~Exists(OutboxRecord.objects.filter(**same)),
        ~Exists(RepairItem.objects.filter(origin=Origin.CHECK, **same)))


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def platform_collect(*, actor: Actor = COLLECTOR) -> Collected:
    """Queue (or file for repair) every platform record version not yet handled; see the module docstring."""
    result = Collected()
    for std_name, model in LIBRARY.items():
        std = standards.get(std_name)
        last = 0
        while True:
            with transaction.atomic():
                _lock()
                rows = list(_pending(std_name, model).filter(pk__gt=last).order_by("pk").only(*_ROW)[:CHUNK])
                if not rows:
                    break
                last = rows[-1].pk
                queued, refused = _handle(std, model, rows)
                if queued or refused:
                    record(actor=actor, verb="exchange.platform_collected",
                           data={"standard": std_name, "queued": queued, "refused": refused,
                                 "first": rows[0].pk, "last": last})
            result.queued[std_name] = result.queued.get(std_name, 0) + queued
            result.refused[std_name] = result.refused.get(std_name, 0) + refused
    checkpoints = checkpoints_collect(actor=actor)
    if checkpoints:
        result.queued[CHECKPOINT_STANDARD] = checkpoints
    feedback = feedback_collect(actor=actor)
    if feedback:
        result.queued[FEEDBACK] = feedback
    ended, refused = publication_ends_collect(actor=actor)
    published, held_back = disclosures_collect(actor=actor)
    if ended or refused or published or held_back:
        result.queued[PUBLICATION_ENDS] = ended + published
        result.refused[PUBLICATION_ENDS] = refused + held_back
    return result


CHECKPOINT_STANDARD = "audit_checkpoint"


def checkpoint_record_id(signature: str) -> str:
    """A checkpoint's 记录唯一标识 in the outbox, named by its signature: one record per signed statement."""
    return "CP-" + hashlib.sha256(signature.encode()).hexdigest()[:32]


def checkpoints_collect(*, actor: Actor = COLLECTOR) -> int:
    """The audit chain's signed checkpoints (ADR 0023) into the outbox, each once, in its published form: the next
    push takes them out of this database to the province, where whoever rewrites the chain here cannot reach them.
    Sent by the city's 政务服务和大数据管理局, which runs the platform; nothing is queued where it has no department."""
    owner = Department.objects.filter(region_id=settings.JIANGUAN_LOCALITY, kind=DepartmentKind.SJJ).first()
    if owner is None:
        return 0
    with transaction.atomic():
        _lock()
        queued = set(OutboxRecord.objects.filter(standard=CHECKPOINT_STANDARD).values_list("record_id", flat=True))
        rows = [OutboxRecord(standard=CHECKPOINT_STANDARD, record_id=checkpoint_record_id(cp.signature), version=1,
                             op=Op.INSERT, data=checkpoint_document(cp), department_id=owner.pk,
                             region_id=owner.region_id)
                for cp in Checkpoint.objects.order_by("made_at", "pk")
                if checkpoint_record_id(cp.signature) not in queued]
        if rows:
            OutboxRecord.objects.bulk_create(rows)
            record(actor=actor, verb="exchange.checkpoints_queued",
                   data={"records": len(rows), "seqs": [row.data["seq"] for row in rows]})
    return len(rows)


def _person_numbers(rows: list[Any]) -> dict[int, str]:
    """{person id: full ID number} for the natural persons among `rows` (the library keeps the number masked)."""
    ids = {row.person_id for row in rows if row.person_id}
    if not ids:
        return {}
    return {pk: unseal(sealed) for pk, sealed in Person.objects.filter(pk__in=ids).values_list("pk", "id_sealed")}


def _handle(std: Any, model: type[models.Model], rows: list[Any]) -> tuple[int, int]:
    by_id = {str(row.record_id): row for row in rows}
    records = sources.records_from_library(std, model.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk"))
    numbers = _person_numbers(rows)
    content: list[tuple[Any, dict[str, Any]]] = []
    queue: list[tuple[Any, str, dict[str, Any] | None]] = []
    for data in records:
        row = by_id[data["record_id"]]
        if row.withdrawn_at is not None:
            queue.append((row, Op.DELETE, None))
            continue
        if row.person_id in numbers:
            data["party_code"] = numbers[row.person_id]
        content.append((row, data))
    refused: list[tuple[Any, dict[str, Any], list[dict[str, str]]]] = []
    if content:
        verdicts = engine.check(std, [data for _, data in content], refs=LibraryRefs())
        layout = layout_of(std, model)
        for (row, data), verdict in zip(content, verdicts, strict=True):
            if not verdict.ok:
                refused.append((row, data, [issue_dict(e) for e in verdict.errors]))
                continue
            pushed = layout.row(data)[1]
            queue.append((row, Op.INSERT if row.version == 1 else Op.UPDATE,
                          protect_record(pushed) if row.person_id else pushed))
    _queue(std, queue)
    _file(std, refused, fixed=[str(row.record_id) for row, op, _ in queue if op != Op.DELETE])
    return len(queue), len(refused)


def _queue(std: Any, queue: list[tuple[Any, str, dict[str, Any] | None]]) -> None:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    bulk_insert(OutboxRecord, OUTBOX_COLUMNS, (
        (std.name, str(row.record_id), row.version, op, json.dumps(data or {}, ensure_ascii=False),
         row.department_id, row.region_id, row.source_system, None, None, OutboxStatus.PENDING, now, None)
        for row, op, data in queue))


def _file(std: Any, refused: list[tuple[Any, dict[str, Any], list[dict[str, str]]]], *, fixed: list[str]) -> None:
    """File the refused versions (updating the record's open item of our checks) and close the open items of
    the records whose new version passed."""
    now = timezone.now()
    if fixed:
        RepairItem.objects.filter(standard=std.name, origin=Origin.CHECK, status=RepairStatus.OPEN,
                                  record_id__in=fixed).update(status=RepairStatus.FIXED, fixed_at=now,
                                                              resolution="平台记录已更正，新版本已入队推送")
    if not refused:
        return
    open_items = {(item.department_id, item.record_id): item for item in RepairItem.objects.filter(
        standard=std.name, origin=Origin.CHECK, status=RepairStatus.OPEN,
        record_id__in=[str(row.record_id) for row, _, _ in refused])}
    new, changed = [], []
    for row, data, errors in refused:
        payload = protect_record(data)
        item = open_items.get((row.department_id, str(row.record_id)))
        if item is not None:
            item.errors, item.payload, item.version = errors, payload, row.version
            changed.append(item)
            continue
        new.append(RepairItem(department_id=row.department_id, region_id=row.region_id, standard=std.name,
                              record_id=str(row.record_id), version=row.version, source_system=row.source_system,
                              payload=payload, errors=errors, origin=Origin.CHECK, created_at=now))
    RepairItem.objects.bulk_create(new, batch_size=2000)
    RepairItem.objects.bulk_update(changed, ["errors", "payload", "version"], batch_size=500)


def platform_fix(*, actor: Actor, item: RepairItem, row: Any, values: dict[str, Any]) -> Outcome:
    """Repair a record made on the platform (its row is the library's, `source` platform): the record with
    `values` changed is checked again; if it passes, the changed data elements are written into the library row
    as its next version (`behaviour.services.record_amend`, audited there), that version is queued as `u`
    (`_handle`, as a collection would) and the item is closed, with an `exchange.repair_fixed` event — all in one
    transaction. If it fails, the item keeps its new problems and nothing else changes. The fix is kept as a call
    of the repair channel, like a fix of a received record."""
    std = standards.get(item.standard)
    model = LIBRARY[std.name]
    [data] = sources.records_from_library(std, model.objects.filter(pk=row.pk))
    numbers = _person_numbers([row])
    if row.person_id in numbers:
        data["party_code"] = numbers[row.person_id]
    fixed = {**data, **{k: val for k, val in values.items() if std.has_field(k) and k != std.key}}
    [verdict] = engine.check(std, [fixed], refs=LibraryRefs())
    body = json.dumps([{**fixed, "op": Op.UPDATE}], ensure_ascii=False, default=str).encode()
    sender = Sender(actor, item.department, row.source_system or f"portal:{item.department.uscc}", None)
    with transaction.atomic():
        call = keep_call(sender, channel=Channel.REPAIR, standard=std.name, raw=body, received=1)
        outcome = Outcome(call_id=call.pk, standard=std.name, received=1, stored=True)
        if not verdict.ok:
            errors = [issue_dict(e) for e in verdict.errors]
            RepairItem.objects.filter(pk=item.pk).update(errors=errors, payload=protect_record(fixed), call=call)
            outcome.rejected = [{"index": 0, "record_id": item.record_id, "errors": errors}]
            ExchangeCall.objects.filter(pk=call.pk).update(status=CallStatus.REJECTED, rejected=1,
                                                           outcome={"rejected": outcome.rejected})
            return outcome
        layout = layout_of(std, model)
        before, after = layout.row(data)[0], layout.row(fixed)[0]  # the same conversion on both sides
        changes = {name: value for name, value in after.items() if value != before.get(name)}
        amended = behaviour.record_amend(actor=actor, model=model, number=row.number, changes=changes,
                                         reason=f"整改待整改数据 #{item.pk}") if changes else row
        queued, _ = _handle(std, model, [model.objects.only(*_ROW).get(pk=amended.pk)])
        now = timezone.now()
        RepairItem.objects.filter(pk=item.pk).update(
            status=RepairStatus.FIXED, fixed_at=now, fixed_by=actor if getattr(actor, "is_person", False) else None,
            resolution=f"平台记录已更正为第 {amended.version} 版，已入队推送（调用 #{call.pk}）"[:300], call=call)
        outcome.accepted = queued
        ExchangeCall.objects.filter(pk=call.pk).update(status=CallStatus.ACCEPTED, accepted=queued, stored=True,
                                                       outcome={"rejected": [], "duplicate_indexes": []})
        record(actor=actor, verb="exchange.repair_fixed", target=item, data={
            "standard": std.name, "record_id": item.record_id, "version": amended.version,
            "fields": sorted(changes), "call": call.pk})
    return outcome
