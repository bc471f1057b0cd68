"""Opening an inspection (a draft): by an officer on the spot, or assigned by a task; it rests on an implementation
row of the acting body in force that day (照单监管, `catalog.contracts.require_in_force`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department
from jianguan.audit.contracts import record
from jianguan.catalog.contracts import require_in_force
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed

from . import checklist as lists
from .access import is_user
from .models import FieldInspection, OriginKind
from .parties import chosen_officers, party_fields

# Origins that name the task, complaint or alert they come from.
NEEDS_REF = frozenset({OriginKind.SPOT_CHECK, OriginKind.JOINT_TASK, OriginKind.COMPLAINT, OriginKind.RISK_ALERT,
                       OriginKind.REMOTE_ALARM})


@transaction.atomic
def inspection_open(*, actor: Actor, origin_kind: str, implementation_code: str, party: dict[str, Any],
                    officers: list[str], origin_ref: str = "", department: Department | None = None,
                    client_id: uuid.UUID | str | None = None, place: str = "",
                    started_at: dt.datetime | None = None, joint_with: Iterable[int] = ()) -> FieldInspection:
    """Open an inspection (a draft): by an officer on the spot, or assigned to officers by a task (双随机, 联合检查,
    a complaint, a risk alert). The implementation row must be the acting body's and in force on the day; the
    checklist is made from the row's 检查内容."""
    department = department or getattr(actor, "department", None)
    if department is None:
        raise ValidationFailed("未指明实施机构", code="department_required", field="department")
    if origin_kind not in OriginKind.values:
        raise ValidationFailed("检查来源无效", code="origin_invalid", field="origin_kind")
    origin_ref = (origin_ref or "").strip()
    if origin_kind in NEEDS_REF and not origin_ref:
        raise ValidationFailed("该检查来源须注明来源编号（任务、投诉或预警编号）", code="origin_ref_required",
                               field="origin_ref")
    day = timezone.localdate(started_at) if started_at else timezone.localdate()
    card = require_in_force(body_id=department.pk, implementation_code=implementation_code, on=day,
                            field="implementation_code")
    if card.action_type != "check":
        raise ValidationFailed("该实施清单不是行政检查事项", code="implementation_not_check",
                               field="implementation_code")
    found = party_fields(party, department)
    checklist_kind = lists.kind_for(origin_kind)
    inspection = FieldInspection.objects.create(
        client_id=client_id or uuid.uuid4(), origin_kind=origin_kind, origin_ref=origin_ref[:100],
        department=department, implementation_code=implementation_code, catalog_code=card.item_code,
        item_name=card.item_name, checklist_kind=checklist_kind,
        checklist=lists.blank(lists.items_for(card, checklist_kind)), place=place[:300], started_at=started_at,
        created_by=actor if is_user(actor) else None, **found)
    inspection.officers.set(chosen_officers(department, officers, joint_with))
    record(actor=actor, verb="inspections.inspection_opened", target=inspection, data={
        "client_id": str(inspection.client_id), "origin": origin_kind, "origin_ref": origin_ref,
        "implementation_code": implementation_code, "party": inspection.party_code or inspection.party_name,
        "officers": sorted(officers)})
    return inspection
