"""The on-site record while it is a draft: its fields, the checklist's answers, the location and the party's
signature, changed only from the version the writer last saw."""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from jianguan.audit.contracts import record
from jianguan.core.actors import Actor
from jianguan.core.errors import ValidationFailed

from . import checklist as lists
from . import evidence as files
from . import workflow
from .access import for_write
from .models import FieldInspection, Outcome
from .parties import chosen_officers
from .workflow import SyncConflict

DRAFT_FIELDS = ("place", "officers", "started_at", "ended_at", "location", "checklist", "signature_png",
                "signature_refused", "refusal_note", "witness", "outcome", "findings", "rectify_due",
                "rectify_requirement", "transfer_to")


LOCATION_FIELDS = (("latitude", Decimal("0.000001"), -90, 90), ("longitude", Decimal("0.000001"), -180, 180),
                   ("accuracy", Decimal("0.1"), 0, 100_000))


def apply_values(inspection: FieldInspection, values: dict[str, Any]) -> list[str]:
    """Set the draft's fields that `values` carries; the names of those that changed."""
    changed = []

    def put(name: str, value: Any) -> None:
        if getattr(inspection, name) != value:
            setattr(inspection, name, value)
            changed.append(name)

    unknown = set(values) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能修改的字段：{'、'.join(sorted(unknown))}", code="field_not_editable",
                               field=sorted(unknown)[0])
    if "officers" in values:
        # Officers of another department stay allowed once a joint task has put them on the visit.
        partners = set(inspection.officers.exclude(department=inspection.department_id)
                       .values_list("department_id", flat=True))
        wanted = chosen_officers(inspection.department, values["officers"] or [], partners)
        if sorted(u.pk for u in wanted) != sorted(inspection.officers.values_list("pk", flat=True)):
            inspection.officers.set(wanted)
            changed.append("officers")
    for name in ("place", "refusal_note", "witness", "findings", "rectify_requirement", "transfer_to"):
        if name in values:
            put(name, str(values[name] or "").strip())
    for name in ("started_at", "ended_at", "rectify_due"):
        if name in values:
            put(name, values[name] or None)
    if "signature_refused" in values:
        put("signature_refused", bool(values["signature_refused"]))
    if "outcome" in values:
        outcome = values["outcome"] or ""
        if outcome and outcome not in Outcome.values:
            raise ValidationFailed("检查结果无效", code="outcome_invalid", field="outcome")
        put("outcome", outcome)
    if "location" in values:
        for name, value in _location(values["location"]).items():
            put(name, value)
    if "checklist" in values:
        put("checklist", lists.answered(inspection.checklist, values["checklist"] or []))
    if "signature_png" in values:
        png = files.signature_bytes(values["signature_png"]) if values["signature_png"] else None
        if (bytes(inspection.signature_png) if inspection.signature_png else None) != png:
            inspection.signature_png = png
            inspection.signature_sha256 = hashlib.sha256(png).hexdigest() if png else ""
            changed.append("signature_png")
    return changed


def _location(location: dict[str, Any] | None) -> dict[str, Decimal | None]:
    """Latitude and longitude (WGS-84 degrees, 6 places) and accuracy (metres, 1 place) from the phone."""
    location = location or {}
    found: dict[str, Decimal | None] = {}
    for name, places, low, high in LOCATION_FIELDS:
        value = location.get(name)
        if value in (None, ""):
            found[name] = None
            continue
        try:
            number = Decimal(str(value)).quantize(places)
        except InvalidOperation:
            raise ValidationFailed("定位数据无效", code="location_invalid", field=f"location.{name}") from None
        if not low <= number <= high:
            raise ValidationFailed("定位数据超出范围", code="location_invalid", field=f"location.{name}")
        found[name] = number
    if (found["latitude"] is None) != (found["longitude"] is None):
        raise ValidationFailed("定位应同时有纬度和经度", code="location_invalid", field="location")
    return found


@transaction.atomic
def inspection_update(*, actor: Actor, inspection_id: int, base_version: int, values: dict[str, Any]
                      ) -> FieldInspection:
    """Change a draft. `base_version` is the version the writer last saw: if the record changed since, nothing is
    written and the conflict is reported (409)."""
    inspection = for_write(actor, inspection_id, "update")
    workflow.INSPECTIONS.check("update", workflow.writing(inspection, actor))
    if base_version != inspection.version:
        raise SyncConflict(inspection, "检查记录已被他人或其他终端修改，请核对服务器上的版本")
    changed = apply_values(inspection, values)
    if changed:
        inspection.version += 1
        inspection.payload_hash = ""
        inspection.save()
        record(actor=actor, verb="inspections.inspection_updated", target=inspection,
               data={"fields": changed, "version": inspection.version})
    return inspection
