"""Storing the records of an intake that passed its checks, then queueing them (`outbox.queue_items`).

Records of the four behaviour standards are upserted by 记录唯一标识 (catalog.md §7): `i` creates, `u` replaces
the row with a higher version, `d` marks it withdrawn. The same (sending system, id, version) again is stored once
and reported as a duplicate. Records of the standards without a library table (联合监管任务, 双公示, the catalog
tables) are kept by the same rules in `KeptRecord` (keyed by the standard's key: 任务编号 for a joint task; a 双公示
record without 记录唯一标识 by its de-duplication key) and queued for the push like the behaviour records; a 双公示
行政许可 also becomes a disclosure item (`licences.py`, ADR 0062).

An optional field left empty is stored as the column's empty value (NULL where the column allows it, else "" or
[]). A row the database refuses is reported as `store_conflict` (another call took its id or number meanwhile)
or `store_failed` (anything else: logged; resending does not help), and only that record is left out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

from jianguan.behaviour.contracts import rows_by_key, rows_write
from jianguan.behaviour.models import Source as BehaviourSource
from jianguan.core.bulk import slices
from jianguan.core.codes import mask_ric
from jianguan.core.protect import lookup_hash
from jianguan.subjects.models import MarketEntity, Person

from . import licences
from .models import ExchangeCall, KeptRecord, Op
from .outbox import layout_of, queue_items
from .records import Item, Sender, active_departments, issue
from .sealing import is_person_id, protect_record
from .standards import values as v

log = logging.getLogger(__name__)
ACTION_DATE = {"inspection": ("date",), "penalty": ("date",), "coercion": ("starts_on", "date"),
               "other_action": ("starts_on", "date")}


# --- storing in the behaviour library ----------------------------------------------------------------------------

@dataclass
class State:
    pk: int | None
    version: int
    source_system: str
    withdrawn: bool
    number: str


def store_items(sender: Sender, std: Any, model: type[models.Model], items: list[Item], call: ExchangeCall) -> int:
    """Upsert the checked records, then queue each applied one; duplicates and conflicts are marked on the items."""
    ids = list({i.record_id for i in items if i.record_id})
    states: dict[str, State] = {}
    for pk, rid, version, system, withdrawn, number in rows_by_key(
            model, ("id", "record_id", "version", "source_system", "withdrawn_at", "number"), "record_id", ids):
        states[rid] = State(pk, version, system, withdrawn is not None, number)
    numbers = list({_number(i) for i in items if i.op != Op.DELETE})
    taken: dict[str, str] = dict(rows_by_key(model, ("number", "record_id"), "number", numbers))
    parties = _parties(items)
    now = timezone.now()
    rows: dict[str, dict[str, Any]] = {}  # record_id -> the row's final values (pk None: a new row)
    applied: list[Item] = []
    for item in items:
        decided = _decide(item, states.get(item.record_id), sender)
        if decided is None:
            continue
        if item.op != Op.DELETE:
            number = _number(item)
            owner = taken.get(number)
            if owner is not None and owner != item.record_id:
                item.errors.append(issue("number", "number_taken", f"行为编号“{v.shown(number)}”已被另一条记录使用",
                                         "redundancy"))
                continue
            values = _values(std, model, item, parties, sender, call)
            if isinstance(values, list):
                item.errors += values
                continue
            taken[number] = item.record_id
            state = states.get(item.record_id)
            if state is not None and state.number != number and taken.get(state.number) == item.record_id:
                taken.pop(state.number, None)
            rows[item.record_id] = {**values, "pk": state.pk if state else None, "withdrawn_at": None}
            states[item.record_id] = State(state.pk if state else None, item.version, sender.source_system, False,
                                           number)
        else:
            state = states[item.record_id]
            row = rows.setdefault(item.record_id, {"pk": state.pk, "_withdraw_only": True})
            row["withdrawn_at"], row["version"] = now, item.version
            states[item.record_id] = State(state.pk, item.version, state.source_system, True, state.number)
        applied.append(item)
    _apply(std, model, rows, items)
    return queue_items(std, [i for i in applied if not i.errors], sender, call)


def store_kept(sender: Sender, std: Any, items: list[Item], call: ExchangeCall) -> int:
    """Keep the checked records of a standard without a library table (`KeptRecord`), by the same rules as the
    behaviour records (`_decide`), then queue each applied one. Received 行政许可 are owned by their 许可机关 and
    handed to disclosure in the same transaction (`licences.py`, ADR 0062)."""
    licence = std.name == licences.STANDARD
    if licence:
        licences.authorities_check(sender, items)
        items = [i for i in items if not i.errors]
    states: dict[str, State] = {}
    ids = sorted({i.record_id for i in items if i.record_id})
    for chunk in slices(ids):
        for pk, rid, version, system, withdrawn in KeptRecord.objects.filter(
                standard=std.name, record_id__in=chunk).values_list("pk", "record_id", "version", "source_system",
                                                                   "withdrawn_at"):
            states[rid] = State(pk, version, system, withdrawn is not None, "")
    layout = layout_of(std, KeptRecord)
    now = timezone.now()
    rows: dict[str, KeptRecord] = {}
    applied: list[Item] = []
    for item in items:
        state = states.get(item.record_id)
        if _decide(item, state, sender) is None:
            continue
        row = rows.get(item.record_id) or KeptRecord(
            pk=state.pk if state else None, standard=std.name, record_id=item.record_id,
            source_system=sender.source_system, created_at=now)
        row.version, row.updated_at, row.call_id, row.index = item.version, now, call.pk, item.index
        if item.op == Op.DELETE:
            row.withdrawn_at = now
        else:
            pushed = layout.row(item.data)[1]
            if len(item.record_id) > 64:
                item.errors.append(issue(std.key, "too_long", "记录唯一标识超过本平台库字段长度 64"))
                continue
            item.pushed = protect_record(pushed)
            row.data, row.payload, row.withdrawn_at = item.pushed, _received(item.data), None
            row.department_id, row.region_id = item.department_id, item.region_id
        rows[item.record_id] = row
        states[item.record_id] = State(row.pk, item.version, sender.source_system, item.op == Op.DELETE, "")
        applied.append(item)
    if rows:
        fields = ["version", "updated_at", "call", "index", "withdrawn_at", "data", "payload", "department",
                  "region"]
        KeptRecord.objects.bulk_update([r for r in rows.values() if r.pk and r.department_id], fields, batch_size=500)
        # A `d` of a kept row changes its version and withdrawal only (its data, department and region stay).
        KeptRecord.objects.bulk_update([r for r in rows.values() if r.pk and not r.department_id], fields[:5],
                                       batch_size=500)
        new = [r for r in rows.values() if r.pk is None]
        try:
            with transaction.atomic():
                KeptRecord.objects.bulk_create(new, batch_size=2000)
        except IntegrityError:  # another call kept the same key meanwhile: refuse those, keep the others
            for row in new:
                try:
                    with transaction.atomic():
                        row.save(force_insert=True)
                except IntegrityError:
                    for item in applied:
                        if item.record_id == row.record_id and not item.errors:
                            item.errors.append(issue(std.key, "store_conflict", "存储时与同时到达的另一条记录冲突，"
                                                     "请以更新（u）重报", "redundancy"))
    if licence:
        licences.hand_over(std, sender, [i for i in applied if not i.errors])
    return queue_items(std, [i for i in applied if not i.errors], sender, call)


def _received(data: dict[str, Any]) -> dict[str, Any]:
    """The record as received, keyed as sent, with natural persons' ID numbers sealed."""
    return protect_record({str(k): val for k, val in data.items()})


def _decide(item: Item, state: State | None, sender: Sender) -> bool | None:
    """Whether to apply `item` given the stored row; None when it is a duplicate or refused (marked on it)."""
    if not item.record_id:
        item.errors.append(issue("record_id", "required", "“记录唯一标识”为必填项，不能为空", "completeness"))
        return None
    if state is not None and state.source_system != sender.source_system:
        item.errors.append(issue("record_id", "record_owned_elsewhere", "该记录唯一标识已由其他系统报送，不能覆盖",
                                 "redundancy"))
        return None
    if item.op == Op.INSERT:
        if state is None:
            item.version = item.version or 1
            return True
        if item.version in (None, state.version):
            item.version, item.duplicate = state.version, True
            return None
        item.errors.append(issue("record_id", "record_exists", "该记录已存在：更新请用操作类型 u 并提高版本号",
                                 "redundancy"))
        return None
    if item.op == Op.UPDATE:
        if state is None:
            item.version = item.version or 1
            return True
        version = item.version or state.version + 1
        if version == state.version and not state.withdrawn:
            item.version, item.duplicate = version, True
            return None
        if version <= state.version:
            item.errors.append(issue("version", "version_stale", f"版本号 {version} 不高于已存版本 {state.version}",
                                     "accuracy"))
            return None
        item.version = version
        return True
    if state is None:
        item.errors.append(issue("record_id", "record_unknown", "要删除的记录不存在", "relevance"))
        return None
    if state.withdrawn and item.version in (None, state.version):
        item.version, item.duplicate = state.version, True
        return None
    version = item.version or state.version + 1
    if version <= state.version:
        item.errors.append(issue("version", "version_stale", f"删除的版本号 {version} 应高于已存版本 {state.version}",
                                 "accuracy"))
        return None
    item.version = version
    return True


def _number(item: Item) -> str:
    number = v.as_text(item.data.get("number")) or ""
    return number.strip() or item.record_id[:50]


def _parties(items: list[Item]) -> dict[str, tuple[str, int]]:
    """{party code: ("entity" | "person", id)} for the codes of registered entities and persons."""
    codes = {str(i.data.get("party_code") or "").strip().upper() for i in items if i.op != Op.DELETE}
    codes.discard("")
    people = {lookup_hash(c): c for c in codes if is_person_id(c)}
    found: dict[str, tuple[str, int]] = {}
    for chunk in slices(sorted(codes - set(people.values()))):
        found.update((uscc, ("entity", pk)) for uscc, pk in MarketEntity.objects.filter(
            uscc__in=chunk).values_list("uscc", "pk"))
    for chunk in slices(sorted(people)):
        found.update((people[h], ("person", pk)) for h, pk in Person.objects.filter(
            id_lookup__in=chunk).values_list("id_lookup", "pk"))
    return found


def _values(std: Any, model: type[models.Model], item: Item, parties: dict[str, tuple[str, int]],
            sender: Sender, call: ExchangeCall) -> dict[str, Any] | list[dict[str, str]]:
    """The model row of a checked record, or the problems that keep it out of the library; the record to push is
    left on the item (`pushed`)."""
    values, pushed, problems = layout_of(std, model).row(item.data)
    # 行为日期: the action's own date; a record whose standard leaves it optional (强制执行 without 起始时间, 其他行为
    # without 开始时间) is dated by its 报送时间, else by the day it was received.
    day = next((values.get(k) for k in ACTION_DATE[std.name] if values.get(k)), None) or timezone.localdate(
        values.get("reported_at") or call.received_at)
    if problems:
        return problems
    code = str(item.data.get("party_code") or "").strip().upper()
    party = parties.get(code)
    person = is_person_id(code)
    item.pushed = protect_record(pushed) if person else pushed
    values.update({
        "date": day, "number": _number(item), "record_id": item.record_id, "version": item.version,
        "source": BehaviourSource.EXCHANGE, "source_system": sender.source_system,
        "department_id": item.department_id, "region_id": item.region_id, "delegated_by_id": None,
        "entity_id": party[1] if party and party[0] == "entity" else None,
        "person_id": party[1] if party and party[0] == "person" else None,
        "supervised_object_id": None,
        "party_code": mask_ric(code) if person else code,
        "object_name": values.get("object_name") or values.get("party_name") or "",
        # Lineage: the record as received stays in its call's kept body, at this position.
        "raw": {"exchange_call": call.pk, "index": item.index},
    })
    delegated = item.data.get("delegated_by_code")
    if delegated:
        values["delegated_by_id"] = active_departments().get(str(delegated).strip().upper(), (None, None))[0]
    return values


def _apply(std: Any, model: type[models.Model], rows: dict[str, dict[str, Any]], items: list[Item]) -> None:
    """Write the rows in bulk inside a savepoint; if the database refuses, write them one by one and refuse the
    records whose row failed: `store_conflict` when another call wrote the same 记录唯一标识 or 行为编号 meanwhile
    (a resend as `u` settles it), `store_failed` when the database refused the row for another reason (logged;
    resending the same record does not help). Each failed row is rolled back alone: nothing is half-written."""
    if not rows:
        return
    try:
        with transaction.atomic():
            _write(std, model, list(rows.items()))
    except DatabaseError:
        for record_id, row in rows.items():
            try:
                with transaction.atomic():
                    _write(std, model, [(record_id, row)])
            except DatabaseError as exc:
                problem = _store_problem(model, record_id, row, exc)
                for item in items:
                    if item.record_id == record_id and not item.errors:
                        item.errors.append(problem)


def _store_problem(model: type[models.Model], record_id: str, row: dict[str, Any],
                   exc: DatabaseError) -> dict[str, str]:
    """The issue of a row the database refused: a conflict with a row written meanwhile, or a storage failure."""
    number = row.get("number")
    taken = model.objects.filter(models.Q(record_id=record_id) | models.Q(number=number) if number
                                 else models.Q(record_id=record_id))
    if row.get("pk") is not None:
        taken = taken.exclude(pk=row["pk"])
    if isinstance(exc, IntegrityError) and taken.exists():
        return issue("record_id", "store_conflict",
                     "存储时与同时到达的另一条记录冲突（记录唯一标识或行为编号已被占用），请以更新（u）重报",
                     "redundancy")
    log.error("exchange: storing %s %s failed: %s", model._meta.label, record_id, exc)
    return issue("", "store_failed", f"本平台存储该记录失败（{type(exc).__name__}），已记录待数据管理员处理；"
                 "原样重报无助于解决", "storage")


def _write(std: Any, model: type[models.Model], rows: list[tuple[str, dict[str, Any]]]) -> None:
    now = timezone.now()
    layout = layout_of(std, model)
    new = [{**{k: val for k, val in row.items() if k not in ("pk", "_withdraw_only")}, "created_at": now,
            "updated_at": now} for _, row in rows if row["pk"] is None]
    rows_write(model, now=now, columns=layout.columns, new=layout.tuples(new) if new else (),
               withdrawn=[row for _, row in rows if row["pk"] is not None and row.get("_withdraw_only")],
               replaced=[row for _, row in rows if row["pk"] is not None and not row.get("_withdraw_only")])
