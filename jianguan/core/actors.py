"""Who did it: the actor of every write, as a value the audit chain can store without importing accounts.

Every write service takes `actor` as a required keyword argument. An actor is a user, an API client (another
system), or a named system actor (a management command, a background task, the seed). Each can describe itself
as an `ActorRef`.
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
