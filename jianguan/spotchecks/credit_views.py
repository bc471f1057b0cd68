"""Pages of supervision by credit-risk class (ADR 0042): the differentiated-supervision policy and its versions,
the key-supervision list (重点监管名单, class D) and the validation report of the classes by spot-check outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jianguan.accounts.contracts import SignedInRequest
from jianguan.core.charts import bar_chart
from jianguan.core.http import attempt, holds_role, page_of, post_roles, role_required
from jianguan.core.roles import Role
from jianguan.core.tabular import write_xlsx
from jianguan.core.validation import parse_date

from . import policy, selectors, validation

REPORT_ROLES = (Role.HEAD, Role.DATA_ADMIN, Role.LEADER, Role.SYSTEM_ADMIN)
COLOURS = {"A": "#2e7d32", "B": "#3b6ea5", "C": "#e67e22", "D": "#c0392b", policy.CONTROL: "#7f8c8d"}


def _number(value: str) -> int | str:
    return int(value) if value.strip().isdigit() else value


@post_roles(Role.DATA_ADMIN, Role.SYSTEM_ADMIN)
def policy_page(request: SignedInRequest) -> HttpResponse:
    """The policy in force and its versions; a data or system administrator adds a version."""
    post = request.POST
    if request.method == "POST":
        rules = {name: {key: post.get(f"{name}_{key}", "") for key in policy.RULE_FIELDS} for name in policy.CLASSES}
        attempt(request, lambda: policy.policy_create(
            actor=request.user, effective_from=parse_date(post.get("effective_from", ""), "effective_from", "生效日期"),
            rules=rules, control_share=post.get("control_share", ""),
            lookback_days=_number(post.get("lookback_days", "")), note=post.get("note", "")), _("新版策略已保存。"))
        return redirect("spotchecks:policy")
    today = timezone.localdate()
    return render(request, "spotchecks/policy.html", {
        "in_force": policy.policy_in_force(today), "versions": selectors.policy_list(reader=request.user)[:50],
        "today": today, "may_edit": holds_role(request, Role.DATA_ADMIN, Role.SYSTEM_ADMIN)})


def _due(last: dt.date | None, per_year: Decimal, today: dt.date) -> dt.date:
    """The next check of a key-supervision entity: its last check plus a year divided by the checks per year."""
    if last is None or per_year <= 0:
        return today
    return last + dt.timedelta(days=int(Decimal(365) / per_year))


@role_required(Role.OFFICER, Role.DEPARTMENT_ADMIN, *REPORT_ROLES)
def key_supervision(request: SignedInRequest) -> HttpResponse:
    """重点监管名单: class-D entities of the reader's jurisdiction, their latest spot check and the next one due by
    the policy's frequency for class D."""
    today = timezone.localdate()
    in_force = policy.policy_in_force(today)
    entities = page_of(request, selectors.key_supervision_list(reader=request.user), per_page=50)
    last = selectors.last_checked(reader=request.user, entity_ids=[e.pk for e in entities])
    rows = [{"entity": e, "last": last.get(e.pk), "due": _due(last.get(e.pk), in_force.per_year("D"), today)}
            for e in entities]
    return render(request, "spotchecks/key_supervision.html", {
        "entities": entities, "rows": rows, "today": today, "per_year": in_force.rules["D"]["per_year"]})


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _department(request: SignedInRequest) -> int | None:
    value = request.GET.get("department", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@role_required(*REPORT_ROLES)
def validation_page(request: SignedInRequest) -> HttpResponse:
    """分类有效性验证: problem-discovery rate by class with Wilson 95 % intervals, the control sample, per month and
    department, and where the rates do not rise."""
    found = validation.report(reader=request.user, department=_department(request))
    chart = bar_chart([(name, round((found.overall.rates[name].rate or 0) * 100, 1)) for name in validation.ROWS],
                      title=_("各类问题发现率（%）"), colours=COLOURS)
    return render(request, "spotchecks/validation.html", {
        "report": found, "chart": chart, "names": validation.ROWS, "percent": _percent,
        "rows": [_cells(row) for row in (found.overall, *found.months, *found.departments)],
        "months": len(found.months)})


def _cells(row: validation.Row) -> dict[str, Any]:
    cells = []
    for name in validation.ROWS:
        rate = row.rates[name]
        low, high = rate.interval
        cells.append({"name": name, "checked": rate.checked, "problems": rate.problems, "rate": _percent(rate.rate),
                      "interval": f"{_percent(low)}–{_percent(high)}" if rate.checked else "—"})
    return {"label": row.label, "cells": cells, "flags": row.flags}


@role_required(*REPORT_ROLES)
def validation_xlsx(request: SignedInRequest) -> HttpResponse:
    """The report as a workbook: one line per group and class."""
    found = validation.report(reader=request.user, department=_department(request))
    headers = ["分组", "类别", "检查户数", "发现问题户数", "问题发现率", "95% 区间下限", "95% 区间上限", "未逐级上升"]
    lines = []
    for kind, rows in (("全部", (found.overall,)), ("月份", found.months), ("部门", found.departments)):
        for row in rows:
            flagged = {flag.higher for flag in row.flags}
            for name in validation.ROWS:
                rate = row.rates[name]
                low, high = rate.interval
                lines.append([f"{kind} {row.label}".strip(), name, rate.checked, rate.problems,
                              None if rate.rate is None else round(rate.rate, 4), round(low, 4), round(high, 4),
                              "是" if name in flagged else ""])
    response = HttpResponse(write_xlsx("分类有效性验证", headers, lines),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="class-validation.xlsx"'
    return response
