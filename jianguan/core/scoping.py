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
from typing import Any, Protocol, Self, runtime_checkable

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q

from .errors import NotFound


@dataclass(frozen=True)
class Scope:
    """What one reader may see. `department_ids=None` means every department (a wide-read role).

    The jurisdiction is the region tree below `region_path`; `region_codes` lists the same regions for checks
    made in Python. Queries use the path (one parameter and a sub-select) rather than a long list of codes.
    """

    department_ids: frozenset[int] | None
    region_codes: frozenset[str]
    region_path: str | None = None
    everything: bool = False  # a process acting for the whole platform: no limit at all

    @classmethod
    def nothing(cls) -> Scope:
        return cls(department_ids=frozenset(), region_codes=frozenset())

    def region_q(self, field: str) -> Q:
        """Records whose `field` (a region code) lies in the jurisdiction."""
        if self.everything:
            return Q()
        if self.region_path is None:
            return Q(**{f"{field}__in": self.region_codes})
        region_model = apps.get_model(settings.JIANGUAN_REGION_MODEL)
        subtree = region_model.objects.filter(path__startswith=self.region_path).values("code")
        return Q(**{f"{field}__in": subtree})

    def covers_region(self, code: str | None) -> bool:
        return self.everything or (code is not None and code in self.region_codes)

    def covers_department(self, department_id: int | None) -> bool:
        return self.everything or self.department_ids is None or department_id in self.department_ids


@runtime_checkable
class HasScope(Protocol):
    @property
    def scope(self) -> Scope: ...


class ScopedQuerySet(models.QuerySet[Any, Any]):
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
            q &= scope.region_q(region_field)
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
        """One record by `lookup` within `user`'s scope, or NotFound (404) whether or not it exists elsewhere.

        The record is read by its key and the declared scope fields are checked on it, which spares the database
        a long `IN` list for a single row; a model with extra visibility rules falls back to the full filter.
        """
        scope = getattr(user, "scope", None)
        try:
            record = self.get(**lookup)
        except self.model.DoesNotExist:
            raise NotFound() from None
        if scope is not None and self.covers(scope, record):
            return record
        if scope is not None and getattr(self.model, "extra_visibility", None) is not None \
                and self.visible_to(user).filter(pk=record.pk).exists():
            return record
        raise NotFound()

    def covers(self, scope: Scope, record: object) -> bool:
        """Whether `record` (a row, or a card read from one) lies in `scope` by the model's declared scope fields (a
        check made in Python)."""
        if scope.everything:
            return True
        department_field = getattr(self.model, "scope_department_field", None)
        region_field = getattr(self.model, "scope_region_field", None)
        if not department_field and not region_field:
            raise TypeError(f"{self.model.__name__} declares no scope fields")
        if department_field and not scope.covers_department(_value(record, department_field)):
            return False
        return not region_field or scope.covers_region(_value(record, region_field))


def _value(record: Any, field: str) -> Any:
    """A scope field's value on a record; a path such as `task__lead_id` is followed through the relations."""
    if hasattr(record, field):
        return getattr(record, field)
    for part in field.split("__"):
        record = getattr(record, part)
    return record
