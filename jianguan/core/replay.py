"""A record's current state as the replay of its chained history (ADR 0023).

Each event of a record's history carries the record's columns that its step changed, read from the row as
stored (`changes`); folding them in order (`fold`) gives what the row must hold, and `problems` names each field
where the row differs — an edit behind the services' back. The first event that records a state records all of
it, so a history begun before states were recorded replays from there on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model

from .canonical import to_jsonable

BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})


def fields(model: type[Model], excluded: Iterable[str] = ()) -> list[str]:
    """The replayed columns of `model`: every stored column but the row's bookkeeping and `excluded`."""
    skip = BOOKKEEPING | set(excluded)
    return [f.attname for f in model._meta.concrete_fields if f.attname not in skip]


def state_of(model: type[Model], pk: int, excluded: Iterable[str] = ()) -> dict[str, Any]:
    """The row's replayed columns as stored now, in their canonical JSON form."""
    row = model._base_manager.filter(pk=pk).values(*fields(model, excluded)).get()
    state: dict[str, Any] = to_jsonable(row)
    return state


def changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, Any]:
    """What a new event records: the columns that differ from the replay so far (all of them when there is none)."""
    if previous is None:
        return current
    return {name: value for name, value in current.items() if name not in previous or previous[name] != value}


def fold(states: Iterable[Any]) -> dict[str, Any] | None:
    """The replay of the recorded changes in order (None when no event recorded any)."""
    state: dict[str, Any] | None = None
    for recorded in states:
        if isinstance(recorded, dict):
            state = {**(state or {}), **recorded}
    return state


def problems(expected: dict[str, Any], current: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """Where the row differs from its replay, naming each field."""
    return [f"字段“{labels.get(name, name)}”（{name}）现为 {current[name]!r}，"
            f"全过程记录重放为 {value!r}（记录被直接改动）"
            for name, value in expected.items() if name in current and current[name] != value]


def labels(model: type[Model]) -> dict[str, str]:
    return {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}
