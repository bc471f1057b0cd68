"""Who did it: the actor of every write, as a value the audit chain can store without importing accounts.

Every write service takes `actor` as a required keyword argument, typed `Actor` (anything that describes itself as
an `ActorRef`). An actor is a user, an API client (another system), or a named system actor (a management
command, a background task, the seed). A service that needs a signed-in person of a department (one who proposes,
approves or holds a 执法证) types its actor as accounts' `User`; the kernel, which cannot import accounts, asks
whether an actor is such a person through `Person`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class ActorRef:
    kind: str  # "user" | "api_client" | "system"
    id: str
    label: str
    department_id: int | None = None
    region_code: str | None = None


@runtime_checkable
class Actor(Protocol):
    def as_actor_ref(self) -> ActorRef: ...


@runtime_checkable
class Person(Protocol):
    """What roles and approvals are checked against: someone who may be a person of a department — accounts'
    `User` (its `ApiClient` answers `is_person` False), or the facts of one a transition table judges."""

    is_person: bool
    department_id: int

    def has_role(self, *roles: str) -> bool: ...


def person(actor: Actor | Person) -> Person | None:
    """`actor` as a person of a department, or None (a system, an API client)."""
    return actor if isinstance(actor, Person) and actor.is_person else None


@dataclass(frozen=True)
class SystemActor:
    """A process acting on its own account: `SystemActor("seed")`, `SystemActor("task:audit_verify")`."""

    name: str

    def as_actor_ref(self) -> ActorRef:
        return ActorRef(kind="system", id=self.name, label=f"系统：{self.name}")


def actor_ref(actor: Actor) -> ActorRef:
    if not isinstance(actor, Actor):
        raise TypeError(f"actor must describe itself (as_actor_ref), got {type(actor).__name__}")
    return actor.as_actor_ref()
