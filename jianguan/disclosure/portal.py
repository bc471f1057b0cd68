"""What the public portal's 执法公示 pages read besides the published decisions (ADR 0050): 事前公开 — each
department's body, duties and powers with their legal bases, procedures, officers with their 执法证号, the line's
随机抽查事项清单 and the supervision policy in force; 事中公开 — the published spot-check plans and tasks; an
entity's own published records. Only what is public: never a phone, an ID number, a username, a credit class, a
draft or a withheld item.

The three stages are those of 国办发〔2018〕118号 (推行行政执法公示制度): 事前公开 of 执法主体、人员、职责、权限、
依据、程序、救济渠道和随机抽查事项清单; 事中 the showing of credentials and the 双随机 tasks; 事后 the decisions
within 7 (行政处罚、行政许可) or 20 working days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jianguan.accounts.contracts import public_officer_list
from jianguan.accounts.models import Department, Region, RegionLevel
from jianguan.catalog.contracts import DutyCard, SpotCheckItemCard, duty_list, spot_check_item_list
from jianguan.coercion.contracts import coercion_procedure
from jianguan.core.errors import NotFound
from jianguan.enforcement.contracts import penalty_procedure
from jianguan.spotchecks.contracts import Policy, policy_in_force
from jianguan.subjects.models import MarketEntity

from .public import PublicPage

# 行政检查 has no workflow table with articles (an inspection record is a draft, then submitted): its steps as the
# law and practice state them (enforcement.md §1, spot-checks.md §3).
INSPECTION_PROCEDURE: tuple[tuple[Any, str], ...] = (
    (_("依照检查实施清单确定检查事项（照单监管）"), "鄂政办发〔2020〕60号"),
    (_("随机抽取检查对象、随机选派执法检查人员"), "《优化营商环境条例》第五十四条"),
    (_("两名以上执法人员实施检查，主动出示执法证件"), "《行政处罚法》第四十二条、第五十五条"),
    (_("制作现场检查笔录，由当事人签名；拒绝签名的注明情况"), "《行政处罚法》第五十五条"),
    (_("发现违法行为的，责令改正或者依法立案查处"), "《行政处罚法》第二十八条、第五十四条"),
    (_("检查结果自作出之日起二十个工作日内公示"), "国办发〔2018〕118号"),
)
PUBLIC_DEPARTMENT_FIELDS = ("name", "short_name", "kind", "region__name", "region__level", "parent__name",
                            "region_id", "parent_id")


@dataclass(frozen=True)
class Prior:
    """事前公开 of one department."""

    department: Department
    duties: list[DutyCard]
    procedures: list[tuple[str, list[tuple[str, str]]]]
    officers: list[tuple[str, str]]
    spot_check_items: list[SpotCheckItemCard]
    policy: Policy


def department_public_list() -> QuerySet[Department]:
    """The active departments, by region and line, with their region and guiding department (one query)."""
    return (Department.objects.filter(is_active=True).select_related("region", "parent")
            .only(*PUBLIC_DEPARTMENT_FIELDS).order_by("region_id", "kind", "name"))


def department_public_get(*, department_id: int) -> Department:
    found: Department | None = department_public_list().filter(pk=department_id).first()
    if found is None:
        raise NotFound()
    return found


def procedures() -> list[tuple[str, list[tuple[str, str]]]]:
    """(procedure, its steps with their articles): 行政检查, 行政处罚 (the case workflow), 行政强制 (the measure
    and execution workflows)."""
    return [(str(_("行政检查")), [(str(step), law) for step, law in INSPECTION_PROCEDURE]),
            (str(_("行政处罚")), penalty_procedure()), (str(_("行政强制")), coercion_procedure())]


def prior(*, department: Department, day: dt.date) -> Prior:
    """What the department discloses before it acts, as of `day`."""
    return Prior(department=department, duties=duty_list(body_id=department.pk, on=day), procedures=procedures(),
                 officers=public_officer_list(department_id=department.pk, day=day),
                 spot_check_items=spot_check_item_list(line=department.kind), policy=policy_in_force(day))


def region_choices() -> list[tuple[str, str]]:
    """The regions a visitor filters by (province to county), by code."""
    rows = Region.objects.filter(level__lte=RegionLevel.COUNTY).order_by("code").values_list("code", "name")
    return list(rows)


def entity_public_get(*, uscc: str) -> MarketEntity:
    """The entity's public card (name, code, type, region); NotFound for a code that is not on the register."""
    found: MarketEntity | None = (MarketEntity.objects.filter(uscc=uscc).select_related("region")
                                  .only("uscc", "name", "entity_type", "region__name").first())
    if found is None:
        raise NotFound()
    return found


def pager(params: Mapping[str, Any], page: PublicPage) -> tuple[str, str]:
    """The query strings of the previous and next pages ("" where there is none), keeping the other filters."""
    kept = {k: v for k, v in params.items() if k != "page" and v not in ("", None)}

    def at(number: int) -> str:
        return "?" + urlencode({**kept, "page": number} if number > 1 else kept)

    current = page.query.page
    return (at(current - 1) if page.has_previous else "", at(current + 1) if page.has_next else "")
