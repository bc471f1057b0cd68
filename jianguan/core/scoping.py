"""The one scoping mechanism: which records a reader may see.

A `Scope` is computed once per user (see `accounts.scoping.scope_for`) and carried on the user as `user.scope`:
the departments whose records they see (their own and those it guides, or all for explicit wide-read roles) and
the region codes of their jurisdiction (their department's region and every sub-region).

Every scoped model uses `ScopedQuerySet` and names the columns that carry its department and region, so that
list and detail reads all go through `visible_to(user)`. A record outside the scope is "not found" — a detail
read answers 404 and never reveals that the record exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Self

from django.db import models
from django.db.models import Q

from .errors import NotFound


@dataclass(frozen=True)
class Scope:
    """What one reader may see. `department_ids=None` means every department (a wide-read role)."""

    department_ids: frozenset[int] | None
    region_codes: frozenset[str]
    everything: bool = False  # the system administrator: no region limit either

    @classmethod
    def nothing(cls) -> Scope:
        return cls(department_ids=frozenset(), region_codes=frozenset())

    def covers_region(self, code: str | None) -> bool:
        return self.everything or (code is not None and code in self.region_codes)

    def covers_department(self, department_id: int | None) -> bool:
        return self.everything or self.department_ids is None or department_id in self.department_ids


class HasScope(Protocol):
    scope: Scope


class ScopedQuerySet(models.QuerySet):
    """A queryset whose model declares `scope_department_field` and/or `scope_region_field`.

    A model with only a region field (the object library: market entities belong to no department) is scoped by
    region alone; a model with neither refuses to be scoped, which makes a forgotten declaration fail loudly.
    Models may add visibility (e.g. joint tasks shared between departments) by overriding `extra_visibility`.
    """

    def scope_q(self, scope: Scope) -> Q:
        if scope.everything:
            return Q()
        model = self.model
        department_field = getattr(model, "scope_department_field", None)
        region_field = getattr(model, "scope_region_field", None)
        if not department_field and not region_field:
            raise TypeError(f"{model.__name__} declares no scope fields")
        q = Q()
        if department_field and scope.department_ids is not None:
            q &= Q(**{f"{department_field}__in": scope.department_ids})
        if region_field:
            q &= Q(**{f"{region_field}__in": scope.region_codes})
        extra = getattr(model, "extra_visibility", None)
        if extra is not None:
            q |= extra(scope)
        return q

    def visible_to(self, user: HasScope) -> Self:
        """Only the records `user` may read."""
        scope = getattr(user, "scope", None)
        if scope is None:
            return self.none()
        return self.filter(self.scope_q(scope))

    def get_visible(self, user: HasScope, **lookup: Any) -> Any:
        """One record by `lookup` within `user`'s scope, or NotFound (404) whether or not it exists elsewhere."""
        try:
            return self.visible_to(user).get(**lookup)
        except self.model.DoesNotExist:
            raise NotFound() from None
