"""Extension points the apps fill without the portal or the seed knowing them.

- `seed.py` in an app defines `STEPS`: a list of `SeedStep`, run by `jianguan seed` in `order`.
- `dashboard.py` in an app defines `cards(request) -> list[Card]`, shown on the work portal's dashboard.
- `nav.py` in an app defines `items(request) -> list[NavItem]`, the work portal's menu entries for that user.
- `timeline.py` in an app adds its records to a market entity's information chain (`ChainEntry`).
Later apps add their own modules; nothing central is edited.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
    """One event in a market entity's information chain (监管信息链)."""

    kind: str
    kind_label: str
    date: Any  # datetime.date
    title: str
    detail: str = ""
    source: str = ""
    department: str = ""
    url: str = ""


@dataclass(frozen=True)
class ChainQuery:
    """What a chain provider is asked: whose chain, for whom, which kinds and period."""

    reader: Any
    entity_id: int
    kinds: frozenset[str] | None = None
    since: Any = None
    until: Any = None
    limit: int = 200

    def wants(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


def chain_providers() -> list[Any]:
    """Modules named `timeline` in the apps: each has `KINDS` ({kind: label}), `entries(query)` and `counts(query)`."""
    return list(app_modules("timeline"))
