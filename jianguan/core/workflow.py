"""The one way to write a state machine (ADR 0031): a table of `Edge`s and the two entry points over it.

An `Edge` says from which state (`source`), by which `action`, to which state (`target`), who may take it
(`who`, a name the workflow resolves with a permission function), which guards must hold (names of pure
functions over a facts snapshot), which 文书 it issues (`document`), the article it rests on (`citation`) and the
fields the step takes (`fields`). A `Workflow` holds the table, the guards and the permission functions; its two
entry points are

- `allowed(facts)`: the edges the acting person may take now (who may act and every guard holds);
- `check(edge_or_action, facts)`: the edge, or the refusal — out of order → `InvalidTransition` (409), the wrong
  person → `AccessDenied` (403), a guard that does not hold → its own error.

`facts` is any snapshot with a `state` attribute (and whatever the app's guards and permission functions read,
usually the acting person as `actor` and the day as `today`); the kernel neither reads nor writes the database.
A service takes a step as: load and lock the record, build its facts, `check`, write, record the audit event —
in one transaction (the `Step` of an app is the row it writes for the edge taken).

Naming across the platform: `Edge` (a row of the table), `Step` (the record of an edge taken), `Outcome` (the
end a record reaches).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .actors import Actor, Person, person
from .errors import DomainError, InvalidTransition
from .roles import Role, is_head_of

Refusal = DomainError
Guard = Callable[[Any], Refusal | None]
# Who may act: the refusal for the acting person in `facts` (None when they may take the edge).
Permission = Callable[["Edge", Any], Refusal | None]
OutOfOrder = Callable[["Workflow", Any, str], Refusal]


@dataclass(frozen=True)
class Edge:
    source: str
    action: str
    target: str
    who: str
    label: str = ""
    guards: tuple[str, ...] = ()
    document: str = ""
    citation: str = ""
    fields: tuple[str, ...] = ()


def loops(states: Iterable[str], action: str, who: str, label: str = "", guards: tuple[str, ...] = (),
          document: str = "", citation: str = "", fields: tuple[str, ...] = ()) -> list[Edge]:
    """The same step open in each of `states`, leaving the state as it is."""
    return [Edge(s, action, s, who, label, guards, document, citation, fields) for s in states]


def fanned(states: Iterable[str], action: str, target: str, who: str, label: str = "",
           guards: tuple[str, ...] = (), document: str = "", citation: str = "",
           fields: tuple[str, ...] = ()) -> list[Edge]:
    """The same step open in each of `states`, leading to `target`."""
    return [Edge(s, action, target, who, label, guards, document, citation, fields) for s in states]


def procedure(edges: Iterable[Edge], labels: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """(step, article) of a table as the public is told its procedure: each step that rests on an article, once,
    in table order; the step named by its label, else by `labels[action]`."""
    seen: dict[str, str] = {}
    for edge in edges:
        label = edge.label or str((labels or {}).get(edge.action, ""))
        if label and edge.citation:
            seen.setdefault(label, edge.citation)
    return list(seen.items())


def acts_for(actor: Actor | Person, department_id: int | None, *roles: str) -> bool:
    """Whether `actor` is a person of the body `department_id` holding one of `roles` — the body's own people.
    With `Role.HEAD` alone this is `roles.is_head_of`: approvals are the head's of that very body."""
    if tuple(roles) == (Role.HEAD,):
        return is_head_of(actor, department_id)
    someone = person(actor)
    return bool(someone is not None and department_id is not None
                and someone.department_id == department_id and someone.has_role(*roles))


def not_in_order(workflow: Workflow, facts: Any, action: str) -> Refusal:
    """The default refusal of a step asked for out of order, listing the actions open to the person now."""
    known = "" if action in workflow.actions else "未知的操作；"
    return InvalidTransition(f"{known}当前状态“{workflow.state_label(facts.state)}”不能执行“{action}”",
                             code="invalid_transition",
                             extra={"status": facts.state, "allowed": [e.action for e in workflow.allowed(facts)]})


class Workflow:
    """A transition table with its guards and permission functions; pure."""

    def __init__(self, edges: Iterable[Edge], *, guards: Mapping[str, Guard] | None = None,
                 who: Mapping[str, Permission], state_label: Callable[[str], str] = str,
                 out_of_order: OutOfOrder = not_in_order,
                 refusal_extra: Callable[[Workflow, Any], dict[str, Any]] | None = None) -> None:
        self.edges: tuple[Edge, ...] = tuple(edges)
        self.guards: dict[str, Guard] = dict(guards or {})
        self.who = dict(who)
        self.state_label = state_label
        self.out_of_order = out_of_order
        self.refusal_extra = refusal_extra
        self.actions = frozenset(e.action for e in self.edges)
        self._by_key = {(e.source, e.action): e for e in self.edges}
        assert len(self._by_key) == len(self.edges), "one edge per (state, action)"
        unknown = {g for e in self.edges for g in e.guards} - set(self.guards)
        assert not unknown, f"guards without a function: {sorted(unknown)}"
        assert {e.who for e in self.edges} <= set(self.who), "every `who` has a permission function"

    # Reading the table ---------------------------------------------------------------------------------------

    def edge(self, source: str, action: str) -> Edge | None:
        return self._by_key.get((source, action))

    def edges_from(self, state: str) -> list[Edge]:
        """The edges leaving `state`, in table order (whoever may take them)."""
        return [e for e in self.edges if e.source == state]

    def open_actions(self, state: str) -> list[str]:
        return [e.action for e in self.edges_from(state)]

    def permitted(self, edge: Edge, facts: Any) -> Refusal | None:
        """The refusal for the acting person (who may act), None when they may."""
        return self.who[edge.who](edge, facts)

    def refusal(self, edge: Edge, facts: Any) -> Refusal | None:
        """The first guard of `edge` that does not hold, as the error to raise; None when all hold."""
        for name in edge.guards:
            problem = self.guards[name](facts)
            if problem is not None:
                return problem
        return None

    # The two entry points -----------------------------------------------------------------------------------

    def allowed(self, facts: Any) -> list[Edge]:
        """The edges the acting person may take now: from the current state, who may act and every guard holds."""
        return [e for e in self.edges_from(facts.state)
                if self.permitted(e, facts) is None and self.refusal(e, facts) is None]

    def check(self, edge: Edge | str, facts: Any) -> Edge:
        """The edge (or the edge for the action) from the current state, if the acting person may take it now;
        otherwise the refusal: out of order, not this person, or the first guard that does not hold."""
        action = edge.action if isinstance(edge, Edge) else edge
        found = self.edge(facts.state, action)
        if found is None:
            raise self.out_of_order(self, facts, action)
        for problem in (self.permitted(found, facts), self.refusal(found, facts)):
            if problem is not None:
                if self.refusal_extra is not None:
                    problem.extra = {**problem.extra, **self.refusal_extra(self, facts)}
                raise problem
        return found
