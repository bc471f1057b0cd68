"""The sweep (`jianguan disclosure sweep`, the hourly task): makes an item for every decision in the behaviour
library that has none, notes published items whose decision was revoked (their withdrawal clock starts), and ends
the published items whose period is over or whose publication a credit repair ended early (ADR 0047).

Decisions reach the behaviour library from the apps that make them (enforcement, inspections, spot checks,
coercion) and from the exchange; disclosure sits above all of them and reads the one library, so nothing made on
the platform or received is missed, and running the sweep twice makes nothing twice (one item per (kind, row),
a unique constraint; an anti-join finds the rows without one). Decisions older than the longest ordinary period
(3 years) are not swept: their publication would already be over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.core.actors import Actor, SystemActor
from jianguan.core.numbering import daily_number
from jianguan.credit import contracts as credit

from . import redacting, rules
from .fields import fields_of
from .models import DisclosureItem, ItemStatus, SourceKind
from .persons import persons_of, recorded_by_number
from .services import SOURCES, item_transition

SWEEPER = SystemActor("disclosure.sweep")
PREFIX = "GS"
CHUNK = 500
LOOK_BACK_MONTHS = -36


@dataclass(frozen=True)
class Swept:
    made: int
    withheld: int
    changed: int
    expired: int
    ended: int


def _pending_rows(kind: str, model: type[models.Model]) -> models.QuerySet[Any]:
    since = credit.add_months(timezone.localdate(), LOOK_BACK_MONTHS)
    have = DisclosureItem.objects.filter(source_kind=kind, source_id=OuterRef("pk"))
    return (model._default_manager.filter(date__gte=since, withdrawn_at__isnull=True)
            .filter(~Exists(have)).select_related("person", "entity").order_by("pk"))


def item_new(kind: str, row: Any, department: Department, number: str,
             recorded: dict[str, list[str]] | None = None) -> DisclosureItem:
    """The item of the decision `row` (a behaviour row, or a received licence: `received.Licence`), not saved:
    its publishable fields, its person list (`recorded`: the names of a batch's records, `persons.recorded_by_number`),
    its clock, the rule that withholds it, its published copy."""
    days, basis, due = rules.clock(kind, row.date)
    held = rules.withheld_at_creation(kind, row, department.kind)
    values = fields_of(kind, row, department)
    item = DisclosureItem(
        number=number, source_kind=kind, source_id=row.pk, source_record_id=str(row.record_id),
        department=department, region_id=row.region_id, entity_id=row.entity_id,
        party_name=row.party_name, decision_number=values["decision_number"][:100],
        decided_on=row.date, fields=values, persons=persons_of(kind, row, recorded), clock_days=days, clock_basis=basis,
        due_on=due,
        status=ItemStatus.WITHHELD if held else ItemStatus.PENDING,
        withheld_rule=held.rule if held else "", withheld_basis=held.basis if held else "",
        withheld_reason=held.reason if held else "")
    redacting.item_redact(item)
    return item


def item_number(today: dt.date) -> str:
    """The next 公示编号 of the day (GS20261207000001)."""
    return daily_number(PREFIX, today, issued=DisclosureItem.objects.all(), width=6)


def items_make(*, actor: Actor = SWEEPER) -> tuple[int, int]:
    """An item for every swept decision without one; (made, of them withheld from the start)."""
    made = withheld = 0
    today = timezone.localdate()
    for kind, model in SOURCES.items():
        while True:
            with transaction.atomic():
                rows = list(_pending_rows(kind, model)[:CHUNK])
                if not rows:
                    break
                departments = Department.objects.in_bulk({r.department_id for r in rows})
                recorded = recorded_by_number(kind, rows)
                items = []
                for row in rows:
                    number = item_number(today)
                    items.append(item_new(kind, row, departments[row.department_id], number, recorded))
                    items[-1].save()
                held = sum(1 for i in items if i.status == ItemStatus.WITHHELD)
                record(actor=actor, verb="disclosure.items_made",
                       data={"kind": kind, "numbers": [i.number for i in items], "withheld": held})
            made, withheld = made + len(items), withheld + held
    return made, withheld


def changes_note(*, actor: Actor = SWEEPER) -> int:
    """Published items whose decision was withdrawn in the library: the day noted, the withdrawal clock set."""
    noted = 0
    for kind, model in SOURCES.items():
        revoked = model._default_manager.filter(pk=OuterRef("source_id"), withdrawn_at__isnull=False)
        with transaction.atomic():
            for item in (DisclosureItem.objects.select_for_update()
                         .filter(source_kind=kind, status=ItemStatus.PUBLISHED, changed_on__isnull=True)
                         .filter(Exists(revoked))):
                row: Any = model._default_manager.get(pk=item.source_id)
                item.changed_on = timezone.localtime(row.withdrawn_at).date()
                item.withdraw_due = rules.withdraw_due(item.changed_on)
                item.save(update_fields=["changed_on", "withdraw_due", "updated_at"])
                record(actor=actor, verb="disclosure.item_decision_changed", target=item,
                       data={"number": item.number, "changed_on": item.changed_on, "withdraw_due": item.withdraw_due})
                noted += 1
    return noted


def periods_end(*, actor: Actor = SWEEPER) -> tuple[int, int]:
    """End the published items whose period is over (the last day still published), and those a credit repair
    ended early (`credit.contracts.publication_end_list`); (expired, ended early)."""
    today = timezone.localdate()
    expired = 0
    for pk in DisclosureItem.objects.filter(status=ItemStatus.PUBLISHED, period_ends_on__lt=today).values_list(
            "pk", flat=True):
        item_transition(item_id=pk, action="expire", values={}, actor=actor)
        expired += 1
    published = dict(DisclosureItem.objects.filter(status=ItemStatus.PUBLISHED, source_kind=SourceKind.PENALTY)
                     .values_list("source_id", "pk"))
    ended = 0
    for end in credit.publication_end_list(penalty_ids=list(published)):
        item_transition(item_id=published[end.penalty_id], action="end_early",
                        values={"ended_on": end.ended_on, "repair_number": end.repair_number}, actor=actor)
        ended += 1
    return expired, ended


def sweep(*, actor: Actor = SWEEPER) -> Swept:
    """The whole sweep; idempotent."""
    made, withheld = items_make(actor=actor)
    changed = changes_note(actor=actor)
    expired, ended = periods_end(actor=actor)
    return Swept(made, withheld, changed, expired, ended)
