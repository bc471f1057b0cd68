"""The evaluation of a month as the page, the A4 PDF and the workbook show it: the ranking of the departments
and of the regions, each with its measures' rates, the score's chart and each party's trend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from jianguan.core.charts import bar_chart
from jianguan.core.months import months_before
from jianguan.core.registry import evaluation_measures
from jianguan.core.scoping import HasScope
from jianguan.core.tabular import write_xlsx
from jianguan.documents.contracts import html_pdf

from . import selectors
from .models import Evaluation, Level, Score


@dataclass
class Board:
    month: str
    evaluation: Evaluation | None
    departments: list[Score] = field(default_factory=list)
    regions: list[Score] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    trends: dict[Any, list[float | None]] = field(default_factory=dict)

    @property
    def measures(self) -> list[tuple[str, float]]:
        """(title, weight) of each measure of the scheme, in its order."""
        if self.evaluation is None:
            return []
        titles = {code: measure.title for code, measure in evaluation_measures().items()}
        return [(titles.get(w["measure"], w["measure"]), w["weight"]) for w in self.evaluation.scheme.weights]


def board(*, reader: HasScope, month: str) -> Board:
    found = selectors.evaluation_latest(month)
    if found is None:
        return Board(month, None)
    return Board(month, found, list(selectors.score_list(reader=reader, evaluation=found)),
                 list(selectors.score_list(reader=reader, evaluation=found, level=Level.REGION)),
                 months_before(month, selectors.TREND_MONTHS),
                 {**selectors.trend(reader=reader, month=month),
                  **selectors.trend(reader=reader, month=month, level=Level.REGION)})


def name_of(score: Score) -> str:
    if score.department is not None:
        return score.department.name
    return f"{score.region.name}（{_('本级部门合计')}）"


def rate(row: dict[str, Any]) -> str:
    return "—" if row["rate"] is None else f"{row['rate'] * 100:.1f}%（{row['done']}/{row['due']}）"


def _rows(scores: list[Score], trends: dict[Any, list[float | None]], key: str) -> list[dict[str, Any]]:
    return [{"score": s, "name": name_of(s), "rates": [rate(row) for row in s.inputs],
             "trend": trends.get(getattr(s, key), [])} for s in scores]


def context(found: Board) -> dict[str, Any]:
    ranked = [(name_of(s), s.score) for s in found.departments if s.score is not None][:30]
    tables = [(_("部门排名"), _rows(found.departments, found.trends, "department_id"))]
    if found.regions:
        tables.append((_("区划排名（各区划本级部门合计）"), _rows(found.regions, found.trends, "region_id")))
    return {"board": found, "tables": tables, "chart": bar_chart(ranked, title=_("部门得分")) if ranked else ""}


def pdf(found: Board) -> bytes:
    return html_pdf(render_to_string("evaluation/pdf.html", context(found)))


def xlsx(found: Board) -> bytes:
    headers = [_("层级"), _("名称"), _("得分"), _("排名"), *(title for title, _weight in found.measures)]
    rows = [[s.get_level_display(), name_of(s), "" if s.score is None else s.score, s.rank or "",
             *(rate(row) for row in s.inputs)] for s in (*found.departments, *found.regions)]
    return write_xlsx(f"{found.month} {_('部门考核')}", headers, rows)


def file_name(found: Board, suffix: str) -> str:
    return f"部门考核-{found.month}.{suffix}"
