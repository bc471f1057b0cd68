"""The credit-risk class as the signed-in entity page shows it (internal, never on a public page): the class in
force with its top reasons, the computed class beside an adjustment, the class in each published run, the manual
adjustments the reader may see with the steps open to them, and whether the reader may propose one."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from jianguan.accounts.models import DepartmentKind, User
from jianguan.core.roles import Role
from jianguan.subjects.models import RiskClass

from . import selectors
from .adjustments import allowed_actions, default_expiry
from .models import ClassAdjustment


@dataclass(frozen=True)
class AdjustmentRow:
    adjustment: ClassAdjustment
    actions: tuple[str, ...]


@dataclass(frozen=True)
class EntityPanel:
    card: selectors.ClassCard | None
    history: list[selectors.HistoryRow]
    adjustments: list[AdjustmentRow]
    may_propose: bool
    classes: list[tuple[str, str]]
    default_expiry: str


def entity_panel(*, reader: User, entity_id: int, uscc: str) -> EntityPanel:
    """The panel of the entity the reader has read (its page answered 404 otherwise)."""
    card = selectors.entity_class(uscc)
    rows = [AdjustmentRow(a, tuple(allowed_actions(a, reader)))
            for a in selectors.adjustment_list(reader=reader, entity_id=entity_id)[:20]]
    department = reader.department
    may = (card is not None and department is not None and department.kind == DepartmentKind.SCJG
           and reader.has_role(Role.OFFICER, Role.HEAD)
           and not any(r.adjustment.status in ("proposed", "approved") for r in rows))
    return EntityPanel(card, selectors.class_history(entity_id), rows, may,
                       [(c.value, str(c.label)) for c in RiskClass], default_expiry(timezone.localdate()).isoformat())
