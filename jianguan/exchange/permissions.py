"""Who may do what in the exchange's pages: upload files, fix or dismiss repair items, watch the monitor."""

from __future__ import annotations

from typing import Any

from jianguan.core.actors import Actor
from jianguan.core.roles import WIDE_READ_ROLES, Role

UPLOADERS = (Role.OFFICER, Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN, Role.SYSTEM_ADMIN)
MONITORS = (Role.DATA_ADMIN, Role.LEADER, Role.SYSTEM_ADMIN)


def wide(reader: Actor) -> bool:
    """A reader who sees every department within the jurisdiction (data administrator, leader, system admin)."""
    return bool(getattr(reader, "is_person", False) and reader.has_role(*WIDE_READ_ROLES))


def may_repair(user: Actor, item: Any) -> bool:
    """Fix or dismiss a repair item: a person who reports data, of the item's department (or a wide reader)."""
    return bool(getattr(user, "is_person", False) and user.has_role(*UPLOADERS)
                and (wide(user) or item.department_id == user.department_id))
