"""Helpers of the disclosure tests: decisions written into the behaviour library (as credit's tests do), a clock
that sets today, and the item the sweep makes for a decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.behaviour.models import Penalty
from jianguan.core.protect import lookup_hash, seal
from jianguan.disclosure import services, sweep
from jianguan.disclosure.models import DisclosureItem, SourceKind
from jianguan.subjects.models import MarketEntity, Person
from tests.credit.world import coercion, entities, inspection, penalty
from tests.library_fixtures import PENALTY

__all__ = ["coercion", "entities", "inspection", "penalty"]


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
        self.day = day
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: self.day)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, dt.date(2026, 12, 7))


def entity(offset: int = 0) -> MarketEntity:
    return entities(1, offset=200 + offset)[0]


def fine(entity: MarketEntity, *, day: dt.date, amount: str = "50000", **change: Any) -> Penalty:
    """A 一般程序 fine of the city 市场监管局, publishable (its fields pass the 双公示 standard)."""
    made = penalty(entity, day=day)
    Penalty.objects.filter(pk=made.pk).update(**{"penalty_kinds": ["02"], "fine": amount, "name": "销售过期食品",
                                                 "party_nature": "organisation", "catalog_code": PENALTY, **change})
    made.refresh_from_db()
    return made


def item_of(row: Any, kind: str = SourceKind.PENALTY) -> DisclosureItem:
    sweep.items_make()
    return DisclosureItem.objects.get(source_kind=kind, source_id=row.pk)


def published(row: Any, officer: Any, publisher: Any, **prepare: Any) -> DisclosureItem:
    item = item_of(row)
    services.item_transition(item_id=item.pk, action="prepare", values=prepare, actor=officer)
    return services.item_transition(item_id=item.pk, action="publish", values={}, actor=publisher)


def other_line() -> Department:
    return Department.objects.filter(kind=DepartmentKind.STHJ, region_id="421200").first() or \
        Department.objects.exclude(kind=DepartmentKind.SCJG).filter(region_id="421200").first()


def minor_person(born: dt.date, region: str) -> Person:
    number = f"421202{born:%Y%m%d}123X"
    return Person.objects.create(name="小明", id_sealed=seal(number), id_lookup=lookup_hash(number),
                                 id_masked=number[:6] + "********" + number[-4:], region_id=region)
