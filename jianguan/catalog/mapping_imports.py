"""Mapping a department's own item list onto the catalog: import the file whole, rank candidate 子项 per row,
confirm or reject each row. Each write records its actor in the audit chain.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.errors import AccessDenied, NotFound
from jianguan.core.roles import Role
from jianguan.core.tabular import read_table

from . import matching
from .models import CatalogVersion, MappingCandidate, MappingDecision, MappingImport, MappingRow
from .payloads import catalog_item

MAPPING_REQUIRED = ("事项名称", "设定依据")
MAPPING_OPTIONAL = ("序号", "行政类型", "备注")


def _require_list_keeper(actor: User) -> None:
    if not actor.has_role(Role.DEPARTMENT_ADMIN, Role.DATA_ADMIN):
        raise AccessDenied("只有部门管理员或数据管理员可以导入事项清单", code="not_department_admin")


@transaction.atomic
def mapping_import(*, actor: User, file_name: str, data: bytes) -> MappingImport:
    """Import a department's self-built item list (xlsx or CSV) whole, keep the file, and rank catalog 子项 for
    every row by legal basis and words. A file with any problem is refused whole (ImportRefused)."""
    _require_list_keeper(actor)
    table = read_table(data, file_name, required=MAPPING_REQUIRED, optional=MAPPING_OPTIONAL)
    mapping = MappingImport.objects.create(department=actor.department, region_id=actor.department.region_id,
                                           file_name=file_name[:200], raw=data, uploaded_by=actor)
    versions = list(CatalogVersion.objects.in_force(timezone.localdate()).filter(is_sub_item=True)
                    .select_related("item").prefetch_related("basis__law"))
    matcher = matching.Matcher(versions)
    candidates = []
    for number, values in table.rows:
        row = MappingRow.objects.create(mapping=mapping, row_number=number, name=values["事项名称"][:300],
                                        action_type=values.get("行政类型", "")[:10], basis=values["设定依据"])
        for rank, candidate in enumerate(matcher.match(row.name, row.basis), start=1):
            candidates.append(MappingCandidate(row=row, item=candidate.version.item, rank=rank,
                                               score=candidate.score, evidence=candidate.evidence))
    MappingCandidate.objects.bulk_create(candidates)
    record(actor=actor, verb="catalog.mapping_imported", target=mapping,
           data={"file": file_name, "rows": len(table.rows), "sha256": hashlib.sha256(data).hexdigest()})
    return mapping


@transaction.atomic
def mapping_decide(*, actor: User, row_id: int, item_code: str | None) -> MappingRow:
    """Confirm a row's catalog 子项 (one of its candidates or any in force), or record that none applies."""
    _require_list_keeper(actor)
    row = MappingRow.objects.select_for_update().select_related("mapping").filter(
        pk=row_id, mapping__in=MappingImport.objects.visible_to(actor)).first()
    if row is None:
        raise NotFound()
    if item_code:
        item = catalog_item(item_code, "item")
        row.decision, row.confirmed_item = MappingDecision.CONFIRMED, item
    else:
        row.decision, row.confirmed_item = MappingDecision.REJECTED, None
    row.decided_by = actor
    row.save(update_fields=["decision", "confirmed_item", "decided_by"])
    record(actor=actor, verb="catalog.mapping_decided", target=row.mapping,
           data={"row": row.row_number, "decision": row.decision, "item": item_code})
    return row
