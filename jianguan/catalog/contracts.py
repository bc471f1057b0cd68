"""What other apps use of the one list: the guard "no supervision outside the list" and read-only cards.

Every app that stores a supervision record (inspection, penalty, coercion, spot check, joint task, alert
disposal) calls `require_in_force` first: the record must cite an implementation row (检查实施清单) of the acting
body that is in force on the act's date, under a catalog 子项 in force that day. This is the plan's 照单监管
(鄂政办发〔2020〕60号, task 1: supervise by the list; catalog.md §1 and §3, "Design").

The public's cards of a body's duties (`duty_list`) and of a line's 随机抽查事项清单 (`spot_check_item_list`) are
read by the disclosure app's 事前公开 pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from jianguan.core.errors import DomainError

from .frequency import label as frequency_label  # noqa: F401 - 检查频次 read from the published text
from .frequency import parse_frequency, parse_ratio, period_start  # noqa: F401
from .models import CatalogVersion, Implementation, ImplementationVersion, SpotCheckItem
from .periods import Version as Version
from .periods import Window as Window
from .periods import ended
from .periods import in_force_windows as in_force_windows
from .selectors import implementation_list as implementation_list


class OutsideTheList(DomainError):
    """The record does not rest on an implementation row in force for the acting body on the act's date."""

    code = "outside_the_list"


@dataclass(frozen=True)
class ImplementationCard:
    code: str
    item_code: str
    item_name: str
    action_type: str
    body_id: int
    level: int
    version: int
    effective_from: dt.date
    cancel_on: dt.date | None
    check_category: str
    check_method: str
    in_random_checks: bool
    check_ratio: str
    check_frequency: str
    content_routine: str
    content_special: str


def require_in_force(*, body_id: int, implementation_code: str, on: dt.date,
                     field: str = "implementation") -> ImplementationCard:
    """The implementation row cited by a record, if the acting body may act under it on `on`; else refuse.

    Rules, each with its own code: the row exists (`implementation_unknown`), belongs to the acting body
    (`implementation_other_body`), has started (`implementation_not_yet_in_force`), is not cancelled or past its
    cancel date (`implementation_cancelled`) nor suspended (`implementation_suspended`), and its catalog 子项 is in
    force that day (`catalog_item_not_in_force`).
    """
    implementation = Implementation.objects.select_related("item").filter(code=implementation_code).first()
    if implementation is None:
        raise OutsideTheList(f"实施清单编码“{implementation_code}”不存在：监管行为必须依据检查实施清单",
                             code="implementation_unknown", field=field)
    if implementation.body_id != body_id:
        raise OutsideTheList("该实施清单不属于实施本次行为的部门", code="implementation_other_body", field=field)
    version = implementation.versions.current_on(on).order_by("-version").first()
    if version is None:
        first = implementation.versions.order_by("effective_from").values_list("effective_from", flat=True).first()
        raise OutsideTheList(f"该实施清单在 {on} 尚未生效" + (f"（{first} 起生效）" if first else ""),
                             code="implementation_not_yet_in_force", field=field)
    why = ended(version.status, version.cancel_on, on)
    if why:
        label = "已取消" if why == "cancelled" else "已停用"
        raise OutsideTheList(f"该实施清单在 {on} {label}", code=f"implementation_{why}", field=field)
    item_version = CatalogVersion.objects.current_on(on).filter(item=implementation.item).order_by("-version").first()
    if item_version is None or ended(item_version.status, item_version.cancel_on, on):
        raise OutsideTheList(f"该实施清单所属的监管事项（{implementation.item.code}）在 {on} 不在用",
                             code="catalog_item_not_in_force", field=field)
    return ImplementationCard(
        code=implementation.code, item_code=implementation.item.code, item_name=item_version.name,
        action_type=item_version.action_type, body_id=implementation.body_id, level=implementation.level,
        version=version.version, effective_from=version.effective_from, cancel_on=version.cancel_on,
        check_category=version.check_category, check_method=version.check_method,
        in_random_checks=version.in_random_checks, check_ratio=version.check_ratio,
        check_frequency=version.check_frequency, content_routine=version.content_routine,
        content_special=version.content_special)


@dataclass(frozen=True)
class ItemCard:
    code: str
    name: str
    action_type: str
    line: str
    version: int


def require_item_in_force(*, code: str, on: dt.date, action_types: tuple[str, ...] = (),
                          field: str = "catalog_code") -> ItemCard:
    """The catalog 子项 a record cites, if it is in force on `on` (and of one of `action_types` when given).

    For records that rest on the catalog without an implementation row of their own (penalties, coercive
    measures, other acts point back to an inspection, which carries the row).
    """
    version = CatalogVersion.objects.current_on(on).filter(code=code, is_sub_item=True).select_related(
        "item").order_by("-version").first()
    if version is None:
        raise OutsideTheList(f"监管事项目录编码“{code}”在 {on} 不存在或尚未生效", code="catalog_item_unknown",
                             field=field)
    if ended(version.status, version.cancel_on, on):
        raise OutsideTheList(f"监管事项“{version.name}”在 {on} 不在用", code="catalog_item_not_in_force", field=field)
    if action_types and version.action_type not in action_types:
        raise OutsideTheList(
            f"监管事项“{version.name}”的行政类型为“{version.get_action_type_display()}”，不能用于本行为",
            code="catalog_item_wrong_type", field=field)
    return ItemCard(code=code, name=version.name, action_type=version.action_type, line=version.item.line,
                    version=version.version)


def item_names(codes: Iterable[str]) -> dict[str, str]:
    """{catalog code: the name of its newest version} for the codes that exist (names shown beside records)."""
    rows = CatalogVersion.objects.filter(code__in=set(codes)).order_by("code", "version").values_list("code", "name")
    return dict(rows)


def implementation_bodies(codes: list[str]) -> dict[str, int]:
    """{implementation row code: its implementing body's id} for the codes that exist."""
    return dict(Implementation.objects.filter(code__in=codes).values_list("code", "body_id"))


def random_check_rows(*, body_id: int, start: dt.date, end: dt.date) -> list[str]:
    """The body's rows in the 随机抽查事项清单 (是否纳入双随机) that the guard accepts on both days, by code."""
    codes = sorted(ImplementationVersion.objects.in_force(start).filter(
        in_random_checks=True, implementation__body_id=body_id).values_list("implementation__code", flat=True))
    usable = []
    for code in codes:
        try:
            for day in {start, end}:
                require_in_force(body_id=body_id, implementation_code=code, on=day)
        except OutsideTheList:
            continue
        usable.append(code)
    return usable


def check_frequencies(*, on: dt.date) -> dict[str, tuple[str, int]]:
    """实施清单编码 → (period, least checks in it) of the rows in force on `on` whose 检查频次 states one."""
    rows = ImplementationVersion.objects.in_force(on).exclude(frequency_period="").filter(
        frequency_min_times__gte=1).values_list("implementation__code", "frequency_period", "frequency_min_times")
    return {code: (period, times) for code, period, times in rows}


@dataclass(frozen=True)
class DutyCard:
    """One duty of a body as the public sees it (事前公开): a row of its 检查实施清单 in force, the 子项 it carries
    out and that 子项's 设定依据."""

    code: str
    item_code: str
    item_name: str
    action_type: str
    level: str
    check_method: str
    bases: tuple[str, ...]


def duty_list(*, body_id: int, on: dt.date) -> list[DutyCard]:
    """The body's claimed rows in force on `on` whose 子项 is in force too, by code (three queries)."""
    rows = list(ImplementationVersion.objects.in_force(on).filter(implementation__body_id=body_id)
                .select_related("implementation").order_by("implementation__code"))
    items = {v.item_id: v for v in CatalogVersion.objects.in_force(on).filter(
        item_id__in={r.implementation.item_id for r in rows}).prefetch_related("basis__law")}
    return [DutyCard(code=r.implementation.code, item_code=items[r.implementation.item_id].code,
                     item_name=items[r.implementation.item_id].name,
                     action_type=items[r.implementation.item_id].get_action_type_display(),
                     level=r.implementation.get_level_display(), check_method=r.check_method,
                     bases=tuple(str(b) for b in items[r.implementation.item_id].basis.all()))
            for r in rows if r.implementation.item_id in items]


@dataclass(frozen=True)
class SpotCheckItemCard:
    """A row of the line's 随机抽查事项清单 with its standards (依据, 对象, 比例, 频次, 方式)."""

    category: str
    name: str
    basis: str
    supervised_object: str
    ratio: str
    frequency: str
    method: str


def spot_check_item_list(*, line: str) -> list[SpotCheckItemCard]:
    """The line's 随机抽查事项清单, 重点 before 一般, by name."""
    rows = SpotCheckItem.objects.filter(line=line).order_by("-category", "name")
    return [SpotCheckItemCard(r.get_category_display(), r.name, r.basis, r.supervised_object, r.ratio, r.frequency,
                              r.method) for r in rows]
