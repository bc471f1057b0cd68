"""Compute a reader's `Scope` from their department and roles (see `jianguan.core.scoping`).

- Default: the user's department and the departments it guides (same line, lower levels), in the department's
  region and every sub-region.
- `data_admin`, `leader`, `system_admin`: every department, still only within the jurisdiction of the holder's
  department (a county leader reads the county, the city's big-data bureau reads the city).
The region and department trees change rarely; their expansions are cached briefly and dropped on change.
"""

from __future__ import annotations

from typing import cast

from django.core.cache import cache

from jianguan.core.roles import WIDE_READ_ROLES
from jianguan.core.scoping import Scope

from .models import Department, Region, User

_TTL = 300
_VERSION_KEY = "org-tree-version"


def _version() -> int:
    # The key holds an int once set (the default 1, then `incr`): never None.
    return cast(int, cache.get_or_set(_VERSION_KEY, 1, None))


def org_tree_changed() -> None:
    """Call after any change to regions or departments: cached expansions become stale."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def region_subtree(code: str) -> frozenset[str]:
    key = f"region-subtree:{_version()}:{code}"
    codes: frozenset[str] | None = cache.get(key)
    if codes is None:
        path = Region.objects.filter(code=code).values_list("path", flat=True).first()
        codes = frozenset(Region.objects.filter(path__startswith=path).values_list("code", flat=True)) if path \
            else frozenset()
        cache.set(key, codes, _TTL)
    return codes


def department_subtree(department_id: int) -> frozenset[int]:
    key = f"department-subtree:{_version()}:{department_id}"
    ids: frozenset[int] | None = cache.get(key)
    if ids is None:
        found, frontier = {department_id}, [department_id]
        while frontier:
            frontier = list(Department.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
            frontier = [i for i in frontier if i not in found]
            found.update(frontier)
        ids = frozenset(found)
        cache.set(key, ids, _TTL)
    return ids


def scope_for_department(department: Department, *, wide: bool) -> Scope:
    return Scope(
        department_ids=None if wide else department_subtree(department.pk),
        region_codes=region_subtree(department.region_id),
        region_path=department.region.path,
    )


def scope_for(user: User) -> Scope:
    if not user.is_active or not user.department.is_active:
        return Scope.nothing()
    wide = user.has_role(*WIDE_READ_ROLES)
    return scope_for_department(user.department, wide=wide)
