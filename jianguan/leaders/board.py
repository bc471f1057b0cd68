"""What the dashboard shows, read from the stored figures (`models.Figure`) in the reader's scope: the rows of
their jurisdiction (a county's reader their county's; the city's all, or one county picked) and of the departments
they see (the object library's figures belong to no department and go by region alone), summed per chart, month and
key; the department ranking is the evaluation's stored scores (`evaluation.contracts`). Each chart carries, for each
key and month, the link to the app's own list behind it, which applies the reader's scope again."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from jianguan.accounts.models import Region, RegionLevel
from jianguan.core.months import previous_month
from jianguan.core.registry import evaluation_measures, leader_tallies
from jianguan.core.roles import Role
from jianguan.core.scoping import HasScope
from jianguan.evaluation.contracts import department_scores

from .models import Figure, Refresh
from .refresh import OVERDUE, months_shown

READERS = (Role.LEADER, Role.DATA_ADMIN, Role.SYSTEM_ADMIN, Role.DEPARTMENT_ADMIN, Role.HEAD)
RANKED = 15  # departments shown in the ranking

# The list behind each overdue measure (its app's list, overdue filter on); the evaluation otherwise.
OVERDUE_LISTS = {
    "cases_on_time": ("enforcement:cases", "scope=all&overdue=on"),
    "alerts_on_time": ("risk:list", "overdue=1"),
}


@dataclass
class Chart:
    code: str
    title: str
    kind: str  # "month" | "share" | "rank"
    categories: list[str] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)  # {name, data: [numbers], links: [urls]}
    total: int = 0

    @property
    def filled(self) -> bool:
        return any(any(v for v in s["data"]) for s in self.series)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "kind": self.kind, "categories": self.categories,
                "series": self.series}


def counties(reader: HasScope) -> list[Region]:
    """The county-level regions of the reader's jurisdiction."""
    return list(Region.objects.filter(reader.scope.region_q("code"), level=RegionLevel.COUNTY).order_by("code"))


def figures(reader: HasScope, county: str | None = None) -> QuerySet[Figure]:
    scope = reader.scope
    rows = Figure.objects.filter(scope.region_q("region_id"))
    if not scope.everything and scope.department_ids is not None:
        rows = rows.filter(Q(department__isnull=True) | Q(department_id__in=scope.department_ids))
    return rows.filter(region_id=county) if county else rows


def _overdue_link(code: str) -> str:
    name, query = OVERDUE_LISTS.get(code, ("evaluation:board", ""))
    return f"{reverse(name)}?{query}" if query else reverse(name)


def charts(reader: HasScope, county: str | None = None) -> list[Chart]:
    months = months_shown(timezone.localdate())
    summed: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    for chart, month, key, value in (figures(reader, county).values("chart", "month", "key").order_by()
                                     .annotate(v=Sum("value")).values_list("chart", "month", "key", "v")):
        summed[chart][(month, key)] = value
    measures = evaluation_measures()
    specs: list[tuple[str, str, str, dict[str, Any], Any]] = [
        (t.code, t.title, t.kind, dict(t.labels), t.link) for t in leader_tallies().values()]
    specs.append((OVERDUE, "逾期事项（按到期月份）", "month", {c: m.title for c, m in measures.items()},
                  lambda key, month: _overdue_link(key)))
    found = [_chart(code, title, kind, labels, link, summed.get(code, {}), months)
             for code, title, kind, labels, link in specs]
    return [*found, ranking(reader)]


def _chart(code: str, title: str, kind: str, labels: dict[str, Any], link: Any, values: dict[tuple[str, str], int],
           months: list[str]) -> Chart:
    keys = [k for k in labels if any(key == k for _, key in values)]
    keys += sorted({key for _, key in values} - set(keys))
    shown = set(months) | {""}
    chart = Chart(code, title, kind, total=sum(v for (m, _), v in values.items() if m in shown))
    if kind == "share":
        chart.categories = [str(labels.get(k, k)) for k in keys]
        chart.series = [{"name": title, "data": [sum(v for (m, key), v in values.items() if key == k and m in shown)
                                                 for k in keys],
                         "links": [link(k, "") for k in keys]}]
    else:
        chart.categories = months
        chart.series = [{"name": str(labels.get(k, k)), "data": [values.get((m, k), 0) for m in months],
                         "links": [link(k, m) for m in months]} for k in keys]
    return chart


def ranking(reader: HasScope) -> Chart:
    """The departments' scores of last month's evaluation, best first."""
    month = previous_month(timezone.localdate())
    scores = [s for s in department_scores(reader=reader, month=month) if s.score is not None][:RANKED]
    link = f"{reverse('evaluation:board')}?month={month}"
    return Chart("ranking", f"部门考核排名（{month}）", "rank",
                 categories=[s.department.short_name if s.department else s.region_id for s in scores],
                 series=[{"name": "得分", "data": [s.score for s in scores], "links": [link] * len(scores)}],
                 total=len(scores))


def latest_refresh() -> Refresh | None:
    return Refresh.objects.first()
