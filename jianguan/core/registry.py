"""Extension points the apps fill without the portal or the seed knowing them.

- `seed.py` in an app defines `STEPS`: a list of `SeedStep`, run by `jianguan seed` in `order`.
- `dashboard.py` in an app defines `cards(request) -> list[Card]`, shown on the work portal's dashboard.
- `nav.py` in an app defines `items(request) -> list[NavItem]`, the work portal's menu entries for that user.
- `timeline.py` in an app adds its records to a market entity's information chain (`ChainEntry`).
- `tasks.py` in an app may define `SCHEDULES`: the functions that start its periodic tasks (`core.periodic`).
- `citing.py` in an app defines `sources() -> Iterable[CitingSource]`: the texts it holds that cite laws, swept
  into the knowledge base's index of who cites each article (ADR 0059).
- `kpi.py` in an app defines `MEASURES`: the department evaluation's figures it counts (`core.measures`).
- `tallies.py` in an app defines `TALLIES`: the leaders' dashboard figures it counts, grouped (ADR 0066).
Later apps add their own modules; nothing central is edited.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.apps import apps


def app_modules(module_name: str) -> Iterator[Any]:
    """Import `<app>.<module_name>` for every installed jianguan app that has one."""
    for config in apps.get_app_configs():
        if not config.name.startswith("jianguan."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{module_name}":
                raise


@dataclass(frozen=True)
class SeedStep:
    name: str
    order: int
    run: Callable[[Any], None]


def seed_steps() -> list[SeedStep]:
    steps = [step for module in app_modules("seed") for step in getattr(module, "STEPS", [])]
    return sorted(steps, key=lambda s: (s.order, s.name))


def periodic_starts() -> list[Callable[[], bool]]:
    """Every app's functions that start a periodic task unless a run is waiting (`tasks.SCHEDULES`)."""
    return [start for module in app_modules("tasks") for start in getattr(module, "SCHEDULES", [])]


@dataclass(frozen=True)
class Card:
    """One tile of the dashboard: a title, a main figure, and a few labelled figures or links."""

    title: str
    value: str
    note: str = ""
    url: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)
    order: int = 100


def dashboard_cards(request: Any) -> list[Card]:
    cards = [card for module in app_modules("dashboard") for card in module.cards(request)]
    return sorted(cards, key=lambda c: c.order)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 100


def nav_items(request: Any) -> list[NavItem]:
    items = [item for module in app_modules("nav") for item in module.items(request)]
    return sorted(items, key=lambda i: i.order)


@dataclass(frozen=True)
class ChainEntry:
    """One event in a market entity's information chain (监管信息链).

    `ref` names the record shown (`"<kind>:<number>"`), unique in a chain; `covers` names the records this entry
    stands for (a spot check's 行政检查 of each task item): the chain shows those beneath it (`items`), never
    again as entries of their own.
    """

    kind: str
    kind_label: str
    date: Any  # datetime.date
    title: str
    detail: str = ""
    source: str = ""
    department: str = ""
    url: str = ""
    ref: str = ""
    covers: tuple[str, ...] = ()
    items: tuple[ChainEntry, ...] = ()

    @property
    def number(self) -> str:
        """The record's own number, from its `ref`."""
        return self.ref.partition(":")[2]


@dataclass(frozen=True)
class ChainQuery:
    """What a chain provider is asked: whose chain, for whom, which kinds and period. The caller has checked that
    the entity itself lies in the reader's jurisdiction; each record is still scoped on its own."""

    reader: Any
    entity_id: int
    uscc: str = ""
    kinds: frozenset[str] | None = None
    since: Any = None
    until: Any = None
    limit: int = 200

    def wants(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


def chain_providers() -> list[Any]:
    """Modules named `timeline` in the apps: each has `KINDS` ({kind: label}) and `read(query)` returning its
    entries (at most `query.limit` per kind, newest first) and its counts per kind."""
    return list(app_modules("timeline"))


CHAIN_CAP = 500  # an entity with more records of one kind than this is scoped by the database


def chain_records(records: Any, query: ChainQuery, period_lookup: str) -> Any:
    """`records` of the query's entity within its period (not yet scoped)."""
    records = records.filter(entity_id=query.entity_id)
    if query.since:
        records = records.filter(**{f"{period_lookup}__gte": query.since})
    if query.until:
        records = records.filter(**{f"{period_lookup}__lte": query.until})
    return records


def chain_rows(records: Any, query: ChainQuery, *, date_field: str, fields: tuple[str, ...],
               period_lookup: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """One kind of records of the query's entity within the reader's scope: (rows as dicts of `fields`, newest
    first, at most `query.limit`; their total).

    An entity has few records of a kind, so they are read through the entity index alone and the model's declared
    scope fields are checked on each row, as `ScopedQuerySet.get_visible` does for one record; this spares the
    database the jurisdiction's sub-select per kind, which the chain would otherwise pay a dozen times. Past
    `CHAIN_CAP` rows (or for models with extra visibility rules) the database applies `visible_to` instead.
    """
    records = chain_records(records, query, period_lookup or date_field)
    model, scope = records.model, getattr(query.reader, "scope", None)
    newest = f"-{date_field}"
    if scope is not None and getattr(model, "extra_visibility", None) is None:
        checks = tuple(f for f in (getattr(model, "scope_department_field", None),
                                   getattr(model, "scope_region_field", None)) if f)
        rows = list(records.order_by(newest).values(*fields, *checks)[:CHAIN_CAP + 1])
        if len(rows) <= CHAIN_CAP:
            mine = [row for row in rows if records.covers(scope, SimpleNamespace(**row))]
            return mine[:query.limit], len(mine)
    scoped = records.visible_to(query.reader).distinct()  # extra visibility may join several rows
    return list(scoped.order_by(newest).values(*fields)[:query.limit]), scoped.count()


@dataclass(frozen=True)
class CitingSource:
    """A record that cites laws: where it is (`source` and `key`, `label`, `url`), the citing `text`, the date the
    citation speaks for (`on`: the version in force then), and its department and region when it is a
    department's record (read in scope) or none when everyone signed in reads it (the catalog, the risk models)."""

    source: str
    key: str
    label: str
    url: str
    text: str
    on: Any = None  # datetime.date
    department_id: int | None = None
    region_code: str = ""


def citing_sources() -> Iterator[CitingSource]:
    for module in app_modules("citing"):
        yield from module.sources()


def evaluation_measures() -> dict[str, Any]:
    """Every app's measures (`kpi.MEASURES`, `core.measures.Measure`) by code."""
    return {measure.code: measure for module in app_modules("kpi") for measure in getattr(module, "MEASURES", [])}


def leader_tallies() -> dict[str, Any]:
    """Every app's figures of the leaders' dashboard (`tallies.TALLIES`, `core.tallies.Tally`) by code, in order."""
    found = [tally for module in app_modules("tallies") for tally in getattr(module, "TALLIES", [])]
    return {tally.code: tally for tally in sorted(found, key=lambda t: (t.order, t.code))}
