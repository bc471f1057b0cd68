"""行政许可 received through the exchange become disclosure items (ADR 0062): the exchange, in the transaction that
keeps the checked 双公示 行政许可 records, hands their values over (`licences_receive`); one item per kept record,
made by the sweep's path (`sweep.item_new`), due 7 working days after the 许可决定日期 (国办发〔2018〕118号:
行政许可 decisions are published within 7 working days, `rules.CLOCKS`).

- `i` (or a first `u`): the item is made, 待公示, unless one exists (a resend changes nothing);
- `u` with a higher version: an item not yet published takes the new fields (and clock); a published one takes
  them too, its published copy made again by the same rules, and is marked for a reviewer's 复核更新内容
  (`source_changed_on`);
- `d`: the licence was revoked or withdrawn: the day is noted and, for a published item, the withdrawal clock
  starts (`rules.withdraw_due`, 《行政处罚法》第四十八条 as for any decision); the department withdraws it with the
  reason (the existing step).

Every change is recorded in the audit chain by the sender, in the exchange's transaction: nothing half-written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor

from . import rules, search, sweep
from .models import DisclosureItem, ItemStatus, SourceKind
from .received import Licence
from .selectors import OPEN

KIND = SourceKind.LICENCE
# The fields a received update replaces on an item (the rest — number, status, steps — stay).
UPDATED = ("entity_id", "party_name", "decision_number", "decided_on", "fields", "redacted", "masks", "persons",
           "clock_days", "clock_basis", "due_on", "source_version", "source_record_id")


@dataclass(frozen=True)
class ReceivedLicence:
    """One kept 双公示 行政许可 record as the exchange hands it over: `kept_id` the kept row (opaque here), the
    operation and version applied, the standard's fields as received (field ids, dictionary codes; a natural
    person's ID number as sent, never stored by disclosure), the 许可机关's department and its region, and the
    party's registered entity if any."""

    kept_id: int
    record_id: str
    op: str
    version: int
    department_id: int
    region_id: str
    values: dict[str, Any] = field(default_factory=dict)
    entity_id: int | None = None


def _licence(got: ReceivedLicence) -> Licence:
    values = got.values
    nature = str(values.get("party_category") or "")
    decided = values.get("decided_on")
    return Licence(pk=got.kept_id, record_id=got.record_id,
                   date=decided if isinstance(decided, dt.date) else dt.date.fromisoformat(str(decided)),
                   region_id=got.region_id, entity_id=got.entity_id, party_name=str(values.get("party_name") or ""),
                   party_nature=nature, number=str(values.get("licence_number") or values.get("decision_doc_number")),
                   values=values, party_id_number=str(values.get("id_number") or "") if nature == "person" else "",
                   recorded=[str(values.get("legal_representative") or "")])


def _made(got: ReceivedLicence, departments: dict[int, Department], number: str) -> DisclosureItem:
    item = sweep.item_new(KIND, _licence(got), departments[got.department_id], number)
    item.source_version = got.version
    return item


def _update(item: DisclosureItem, new: DisclosureItem, today: dt.date) -> dict[str, Any]:
    """The new version's fields on the item; a published item's copy changes and waits for a reviewer."""
    terms = search.indexed(item)
    for name in UPDATED:
        setattr(item, name, getattr(new, name))
    item.masks_added, item.masks_removed = [], []  # a reviewer's masks were of the old texts
    published = item.status == ItemStatus.PUBLISHED
    if item.status in OPEN and new.status == ItemStatus.WITHHELD:
        item.status = ItemStatus.WITHHELD
        item.withheld_rule, item.withheld_basis = new.withheld_rule, new.withheld_basis
        item.withheld_reason = new.withheld_reason
    if published:
        item.source_changed_on = today
    item.save()
    search.terms_sync(item, terms)
    return {"published": published, "status": item.status, "due_on": item.due_on}


def _revoked(item: DisclosureItem, today: dt.date) -> dict[str, Any]:
    """A `d`: the day noted, and for a published item the withdrawal clock (as `sweep.changes_note` does)."""
    if item.changed_on is None:
        item.changed_on = today
        if item.status == ItemStatus.PUBLISHED:
            item.withdraw_due = rules.withdraw_due(today)
    item.save(update_fields=["changed_on", "withdraw_due", "source_version", "updated_at"])
    return {"changed_on": item.changed_on, "withdraw_due": item.withdraw_due}


def _one(got: ReceivedLicence, item: DisclosureItem | None, departments: dict[int, Department],
         today: dt.date) -> tuple[DisclosureItem, str, dict[str, Any]] | None:
    """(the item, the audit verb, what changed), None when nothing changes: a resend of a version the item has,
    or a `d` of a licence that never had an item."""
    if item is not None and got.version <= item.source_version:
        return None
    if got.op == "d":
        if item is None:
            return None
        item.source_version = got.version
        return item, "disclosure.item_licence_revoked", _revoked(item, today)
    if item is None:
        item = _made(got, departments, sweep.item_number(today))
        item.save()
        return item, "disclosure.item_licence_received", {"status": item.status, "due_on": item.due_on}
    return item, "disclosure.item_licence_updated", _update(item, _made(got, departments, item.number), today)


def licences_receive(*, records: list[ReceivedLicence], actor: Actor) -> int:
    """Make, update or note the items of received licences (in the caller's transaction); how many changed.
    Idempotent: a record whose version the item already has changes nothing."""
    if not records:
        return 0
    today, changed = timezone.localdate(), 0
    with transaction.atomic():
        items = {i.source_id: i for i in DisclosureItem.objects.select_for_update().filter(
            source_kind=KIND, source_id__in=[r.kept_id for r in records])}
        departments = Department.objects.in_bulk({r.department_id for r in records})
        for got in records:
            done = _one(got, items.get(got.kept_id), departments, today)
            if done is None:
                continue
            item, verb, data = done
            items[got.kept_id], changed = item, changed + 1
            record(actor=actor, verb=verb, target=item, data={"number": item.number, "record_id": got.record_id,
                                                               "version": got.version, **data})
    return changed
