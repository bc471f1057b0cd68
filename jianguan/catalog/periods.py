"""When a catalog 子项 or an implementation row is in force: one rule, applied by the guard to one record on one
day (`contracts.require_in_force`) and by the exchange's quality check to whole batches as periods (`in_force_windows`).

On day D the highest published version current on D (started, not superseded) decides; the row is in force when
that version is 在用 and D is before its cancel date (catalog.md §4, 操作状态 and 取消日期).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .models import ItemStatus

# (version, status, effective_from, cancel_on, superseded_on) of one published version
Version = tuple[int, str, dt.date, dt.date | None, dt.date | None]
# in force from the first day until (not including) the second; None: open-ended
Window = tuple[dt.date, dt.date | None]


def ended(status: str, cancel_on: dt.date | None, day: dt.date) -> str | None:
    """Why a version with `status` and `cancel_on` is not in force on `day` ("cancelled", "suspended"), or None."""
    if status == ItemStatus.CANCELLED or (cancel_on is not None and cancel_on <= day):
        return "cancelled"
    if status == ItemStatus.SUSPENDED:
        return "suspended"
    return None


def in_force_on(versions: Sequence[Version], day: dt.date) -> bool:
    """Whether the identity whose published versions are `versions` is in force on `day`."""
    current = [v for v in versions if v[2] <= day and (v[4] is None or v[4] > day)]
    if not current:
        return False
    _, status, _, cancel_on, _ = max(current)
    return ended(status, cancel_on, day) is None


def in_force_windows(versions: Sequence[Version]) -> list[Window]:
    """The periods in force of one identity, from its published versions: the answer changes only on a start,
    a cancel or a supersede date, so it is decided once per stretch between those dates."""
    edges = sorted({d for v in versions for d in (v[2], v[3], v[4]) if d is not None})
    found: list[Window] = []
    for i, start in enumerate(edges):
        if not in_force_on(versions, start):
            continue
        end = edges[i + 1] if i + 1 < len(edges) else None
        if found and found[-1][1] == start:
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found
