"""Fusion links: the data administrator links rows of the 随机抽查事项清单 and the 权力清单 to the 子项 they rest on."""

from __future__ import annotations

from django.db import transaction

from jianguan.accounts.models import User
from jianguan.audit.contracts import record
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.roles import Role

from .models import PowerItem, SpotCheckItem
from .payloads import catalog_item


@transaction.atomic
def fusion_link(*, actor: User, row: SpotCheckItem | PowerItem, item_codes: list[str]) -> SpotCheckItem | PowerItem:
    """Link a 随机抽查事项 or 权力事项 row to the 子项 it rests on (replacing its links); data administrator only."""
    if not actor.has_role(Role.DATA_ADMIN):
        raise AccessDenied("只有数据管理员可以维护清单融合关系", code="not_data_admin")
    items = [catalog_item(code, f"items[{i}]") for i, code in enumerate(item_codes)]
    if any(not item.is_sub_item for item in items):
        raise ValidationFailed("只能关联子项", code="link_main_item", field="items")
    row.items.set(items)
    record(actor=actor, verb="catalog.fusion_linked", target=row, data={"items": [i.code for i in items]})
    return row
