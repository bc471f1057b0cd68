"""Tasks of 双随机一公开: the items checked, the window, the departments, the scope and the strata drawn from
(by credit-risk class, spot-checks.md §6), then publication of the task.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from jianguan.accounts.models import Department, User
from jianguan.audit.contracts import record
from jianguan.catalog.contracts import OutsideTheList, implementation_bodies, parse_ratio, require_in_force
from jianguan.core.validation import require as _require
from jianguan.credit import contracts as credit

from . import workflow
from .models import Plan, Task, TaskKind
from .plans import require_own
from .policy import CONTROL, Policy, check_within, policy_in_force

STRATA = ("A", "B", "C", "D", CONTROL, "ALL")
# Defaults per credit-risk class [config], within the bounds of spot-checks.md §6 (林甸/大庆 2024).
DEFAULT_STRATA = {"A": {"ratio": "0.03"}, "B": {"ratio": "0.1"}, "C": {"ratio": "0.3"}, "D": {"ratio": "0.7"}}


def clean_strata(strata: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Ratios (decimal strings, 0–1) or counts per credit class, or one `ALL` stratum."""
    _require(bool(strata), "至少设置一个抽取层（按信用风险分类的比例或数量）", "strata_required", "strata")
    _require(set(strata) <= set(STRATA), f"抽取层只能是 {'、'.join(STRATA)}", "stratum_unknown", "strata")
    _require("ALL" not in strata or len(strata) == 1, "ALL 不能与信用风险分类同时使用", "strata_mixed", "strata")
    clean: dict[str, dict[str, Any]] = {}
    for name, rule in strata.items():
        if "ratio" in rule:
            try:
                ratio = Decimal(str(rule["ratio"]))
            except InvalidOperation:
                ratio = Decimal(-1)
            _require(ratio.is_finite() and 0 <= ratio <= 1, f"{name} 类的抽查比例应在 0 与 1 之间",
                     "ratio_out_of_range", f"strata.{name}.ratio")
            clean[name] = {"ratio": str(rule["ratio"]).strip()}
        else:
            count = rule.get("count")
            _require(isinstance(count, int) and count >= 0, f"{name} 类的抽查数量应为不小于 0 的整数",
                     "count_invalid", f"strata.{name}.count")
            clean[name] = {"count": count}
    return clean


def row_strata(ratios: list[Decimal | None]) -> dict:
    """The strata a task starts from when none are given and no classification is in force: the 检查比例 its rows
    publish (the largest when the items differ), for every object; the credit-class defaults only when no row
    states a ratio."""
    stated = [ratio for ratio in ratios if ratio is not None]
    return {"ALL": {"ratio": format(max(stated), "f")}} if stated else DEFAULT_STRATA


def task_strata(given: dict | None, ratios: list[Decimal | None], policy: Policy) -> dict[str, dict[str, Any]]:
    """差异化监管: with a classification in force a task takes the policy's ratio per class and its A-class control
    sample; the task's own class ratios must keep the policy's bounds, and the control sample is added to them.
    Without a classification, the rows' ratio as before."""
    if not given:
        return policy.strata() if credit.in_force() else clean_strata(row_strata(ratios))
    strata = clean_strata(given)
    if "ALL" in strata:
        return strata
    check_within(strata, policy)
    return {**strata, CONTROL: {"ratio": policy.control_share}}


@transaction.atomic
def task_create(*, actor: User, plan_id: int, name: str, items: list[str], window_start: dt.date,
                window_end: dt.date, departments: list[int] | None = None, kind: str = TaskKind.DIRECTED,
                scope: dict | None = None, strata: dict | None = None, inspectors_per_department: int = 2,
                max_objects_per_inspector: int = 50, required_qualifications: list[str] | None = None,
                rotation_months: int = 12) -> Task:
    """An 抽查任务 under a plan of the actor's department; a joint task lists the other departments, each of which
    must contribute at least one item of its own (a row of its implementation list in the spot-check list)."""
    plan = Plan.objects.select_related("department").get(pk=plan_id)
    require_own(actor, plan.department_id)
    _require(bool(name.strip()), "缺少必填字段“抽查任务名称”", "required", "name")
    _require(window_start <= window_end, "检查开始日期不能晚于结束日期", "window_invalid", "window_end")
    _require(kind in TaskKind.values, "抽查类型应为定向或不定向", "choice_invalid", "kind")
    taking_part = sorted({plan.department_id, *(departments or [])})
    bodies = {d.pk: d for d in Department.objects.filter(pk__in=taking_part)}
    _require(len(bodies) == len(taking_part), "检查部门不存在", "department_unknown", "departments")
    _require(inspectors_per_department >= 1, "每部门每户至少 1 名检查人员", "inspectors_invalid",
             "inspectors_per_department")
    _require(inspectors_per_department * len(taking_part) >= 2,
             "每户检查人员合计不得少于两名（行政处罚法第四十二条）", "inspectors_too_few", "inspectors_per_department")
    _require(max_objects_per_inspector >= 1, "每名检查人员最多检查户数应大于 0", "quota_invalid",
             "max_objects_per_inspector")
    _require(bool(items), "至少选择一个抽查事项", "items_required", "items")
    contributed = set()
    ratios = []
    bodies_of = implementation_bodies(items)
    for code in items:
        if bodies_of.get(code) not in bodies:
            raise OutsideTheList(f"实施清单“{code}”不属于任何检查部门", code="implementation_other_body",
                                 field="items")
        card = require_in_force(body_id=bodies_of[code], implementation_code=code, on=window_start, field="items")
        _require(card.in_random_checks, f"实施清单“{code}”未纳入双随机抽查", "item_not_in_random_checks", "items")
        contributed.add(card.body_id)
        ratios.append(parse_ratio(card.check_ratio))
    missing = [bodies[d].name for d in taking_part if d not in contributed]
    _require(not missing, f"联合抽查的每个部门都应有本部门的抽查事项：{'、'.join(missing)}", "department_without_item",
             "items")
    task = Task.objects.create(
        plan=plan, name=name.strip(), kind=kind, lead=plan.department, items=list(items), scope=scope or {},
        strata=task_strata(strata, ratios, policy_in_force(window_start)), window_start=window_start,
        window_end=window_end,
        inspectors_per_department=inspectors_per_department, max_objects_per_inspector=max_objects_per_inspector,
        required_qualifications=sorted(required_qualifications or []), rotation_months=rotation_months)
    task.departments.set(taking_part)
    record(actor=actor, verb="spotchecks.task_created", target=task,
           data={"departments": taking_part, "items": list(items), "strata": task.strata})
    return task


@transaction.atomic
def task_publish(*, actor: User, task_id: int) -> Task:
    """公布: the task is public before the inspections (一公开)."""
    task = Task.objects.select_for_update().get(pk=task_id)
    require_own(actor, task.lead_id)
    edge = workflow.TASKS.check("publish", workflow.Facts(task.status, actor, task.lead_id))
    task.status, task.published_at = edge.target, timezone.now()
    task.save()
    record(actor=actor, verb="spotchecks.task_published", target=task)
    return task
