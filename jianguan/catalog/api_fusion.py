"""`/api/v1/catalog/spot-checks…`, `/powers…` and `/fusion`: links of the 随机抽查事项清单 and the 权力清单 to the
catalog, and what is not linked.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from jianguan.accounts.contracts import allow
from jianguan.core.api import ErrorOut, InputSchema, require_person, require_reader
from jianguan.core.errors import NotFound
from jianguan.core.roles import ApiScope, Role

from . import fusion_links, selectors
from .api import line_key
from .models import PowerItem, SpotCheckItem

router = Router(tags=["监管事项清单 catalog"])


class LinkIn(InputSchema):
    items: list[str]


class LinkOut(Schema):
    id: int
    name: str
    items: list[str]

    @staticmethod
    def resolve_items(obj) -> list[str]:
        return sorted(obj.items.values_list("code", flat=True))


@router.post("/catalog/spot-checks/{row_id}/items",
             auth=allow(Role.DATA_ADMIN),
             response={200: LinkOut, 400: ErrorOut, 403: ErrorOut,
                                                               404: ErrorOut})
def spot_check_link(request: HttpRequest, row_id: int, data: LinkIn):
    """Link a 随机抽查事项 to the 子项 it rests on (data administrator)."""
    row = SpotCheckItem.objects.filter(pk=row_id).first()
    if row is None:
        raise NotFound()
    return fusion_links.fusion_link(actor=require_person(request), row=row, item_codes=data.items)


@router.post("/catalog/powers/{row_id}/items",
             auth=allow(Role.DATA_ADMIN),
             response={200: LinkOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def power_link(request: HttpRequest, row_id: int, data: LinkIn):
    """Link a 权力事项 to the 子项 of the same legal basis (data administrator)."""
    row = PowerItem.objects.filter(pk=row_id).first()
    if row is None:
        raise NotFound()
    return fusion_links.fusion_link(actor=require_person(request), row=row, item_codes=data.items)


class FusionOut(Schema):
    spot_check_total: int
    power_total: int
    spot_checks_unlinked: list[str]
    powers_unlinked: list[str]
    random_items_without_spot_check: list[str]
    items_without_power: list[str]


@router.get("/catalog/fusion", response=FusionOut)
def fusion(request: HttpRequest, department: str | None = None):
    """What is not linked between the catalog, the 随机抽查事项清单 and the 权力清单."""
    require_reader(request, ApiScope.CATALOG_READ)
    report = selectors.fusion_report(line=line_key(department))
    return {"spot_check_total": report.spot_check_total, "power_total": report.power_total,
            "spot_checks_unlinked": [s.name for s in report.spot_checks_unlinked],
            "powers_unlinked": [p.name for p in report.powers_unlinked],
            "random_items_without_spot_check": [v.item.code for v in report.random_items_without_spot_check],
            "items_without_power": [v.item.code for v in report.penalty_items_without_power]}
