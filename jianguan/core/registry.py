"""Extension points the apps fill without the portal or the seed knowing them.

- `seed.py` in an app defines `STEPS`: a list of `SeedStep`, run by `jianguan seed` in `order`.
- `dashboard.py` in an app defines `cards(request) -> list[Card]`, shown on the work portal's dashboard.
- `nav.py` in an app defines `items(request) -> list[NavItem]`, the work portal's menu entries for that user.
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
