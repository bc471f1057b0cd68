"""Exchange standards as code: declarative, versioned definitions of the tables pushed upward (catalog.md §7,
behaviour-records.md, disclosure-credit.md §1–§2).

    get("inspection") == get("行政检查行为") == get("行政检查")
    all()  # every standard, in a fixed order

Dictionaries and quality settings are data: jianguan/exchange/data/dictionaries.json and quality.json
([config]); after editing them, `reload()` (or restart) makes the standards read them again.
"""

from __future__ import annotations

from functools import cache

from . import base
from .base import Dictionary, Field, Standard, UnknownStandard, dictionaries, dictionary
from .behaviour import coercion, inspection, other_action, penalty
from .catalog import catalog_item, implementation
from .disclosure import disclosure_licence, disclosure_penalty
from .joint import joint_task
from .outbound import audit_checkpoint, joint_feedback
from .rules import DIMENSIONS, Issue

NAMES = ("catalog_item", "implementation", "inspection", "penalty", "coercion", "other_action",
         "disclosure_penalty", "disclosure_licence", "joint_task")
_BUILDERS = {"catalog_item": catalog_item, "implementation": implementation, "inspection": inspection,
             "penalty": penalty, "coercion": coercion, "other_action": other_action,
             "disclosure_penalty": disclosure_penalty, "disclosure_licence": disclosure_licence,
             "joint_task": joint_task}
# Sent upward only (their records refused by a receiver are shown and fixed in the repair queue): found by `get`,
# left out of `all()` and refused by the intake.
OUTBOUND = ("joint_feedback", "audit_checkpoint")
_BUILDERS.update({"joint_feedback": joint_feedback, "audit_checkpoint": audit_checkpoint})


@cache
def _registry() -> tuple[dict[str, Standard], dict[str, str]]:
    built = {name: _BUILDERS[name]() for name in (*NAMES, *OUTBOUND)}
    names: dict[str, str] = {}
    for name, standard in built.items():
        for alias in (name, standard.title, *standard.aliases):
            names.setdefault(base.names_of(alias), name)
    return built, names


def all() -> list[Standard]:
    """Every standard a sender may send, in a fixed order (the outbound-only ones left out)."""
    return [standard for standard in _registry()[0].values() if not standard.outbound]


def get(name: str | Standard) -> Standard:
    """The standard called `name`: its ascii id, its Chinese title or an accepted short title (行政检查)."""
    if isinstance(name, Standard):
        return name
    built, names = _registry()
    found = names.get(base.names_of(str(name)))
    if found is None:
        known = "、".join(f"{s.name}（{s.title}）" for s in built.values() if not s.outbound)
        raise UnknownStandard(f"没有名为“{name}”的交换标准；可用：{known}", field="standard")
    return built[found]


def reload() -> None:
    """Read data/dictionaries.json and quality.json again and rebuild the standards."""
    base.dictionaries.cache_clear()
    base.settings.cache_clear()
    _registry.cache_clear()


__all__ = ["DIMENSIONS", "NAMES", "OUTBOUND", "Dictionary", "Field", "Issue", "Standard", "UnknownStandard", "all",
           "dictionaries", "dictionary", "get", "reload"]
