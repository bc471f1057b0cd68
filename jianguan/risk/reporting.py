"""The monthly risk report as a page's context, an A4 PDF and a workbook: one set of figures (`report.Report`), one
set of charts (inline SVG by `core.charts`, drawn the same in the page and the PDF; ADR 0039)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jianguan.core.charts import bar_chart
from jianguan.core.tabular import write_xlsx
from jianguan.documents.contracts import html_pdf

from .measures import Measure
from .report import Report

BAND_COLOURS = {"红": "#c0392b", "橙": "#e67e22", "黄": "#d4ac0d"}
TIMELINESS_COLOURS = {"按期处置": "#2e7d32", "逾期处置": "#c0392b", "核查中未逾期": "#3b6ea5", "逾期未处置": "#8e1b10"}


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def recall_text(measure: Measure) -> str:
    return _("样本不足") if measure.sample_short else percent(measure.recall)


def charts(report: Report) -> dict[str, SafeString]:
    """The report's bar charts: by model, by band, by region, timeliness, outcomes."""
    timeliness = [(_(label), value) for label, value in report.timeliness.rows()]
    colours = {_(label): colour for label, colour in TIMELINESS_COLOURS.items()}
    return {"by_model": bar_chart(report.by_model, title=_("按模型")),
            "by_band": bar_chart(report.by_band, title=_("按等级"), colours=BAND_COLOURS),
            "by_region": bar_chart(report.by_region, title=_("按区划")),
            "timeliness": bar_chart(timeliness, title=_("核查时效"), colours=colours),
            "outcomes": bar_chart(report.outcomes, title=_("处置结果"))}


def context(report: Report) -> dict[str, Any]:
    measures = [(m, percent(m.precision), recall_text(m)) for m in report.measures]
    timeliness = [(_(label), value) for label, value in report.timeliness.rows()]
    return {"report": report, "charts": charts(report), "measures": measures, "timeliness": timeliness}


def pdf(report: Report) -> bytes:
    """The report on A4 pages (WeasyPrint and Noto CJK, as documents are rendered)."""
    return html_pdf(render_to_string("risk/report_pdf.html", context(report)))


def file_name(report: Report, suffix: str) -> str:
    return f"风险预警月报-{report.month}-{report.scope_label}.{suffix}"


def xlsx(report: Report) -> bytes:
    """The report's tables in one sheet, a table after another: (table, item, figure, …)."""
    rows: list[list[Any]] = []
    for table, pairs in ((_("按模型"), report.by_model), (_("按等级"), report.by_band),
                         (_("按区划"), report.by_region), (_("处置结果"), report.outcomes),
                         (_("核查时效"), [(_(label), value) for label, value in report.timeliness.rows()])):
        rows += [[table, label, value] for label, value in pairs]
    for m in report.measures:
        rows.append([_("精确率与召回率"), f"{m.model_label} {m.version}", percent(m.precision), recall_text(m),
                     m.decided, m.confirmed, m.true_positives, m.control_decided, m.control_misses,
                     "" if m.estimated_misses is None else round(m.estimated_misses, 1)])
    rows += [[_("预警最多的对象"), s.name, s.alerts, s.uscc, s.score, "、".join(s.models)] for s in report.top]
    headers = [_("表"), _("名称"), _("数值"), _("召回率"), _("已处置"), _("属实"), _("真阳性（监测数据）"),
               _("对照已核查"), _("对照漏报"), _("估计漏报")]
    return write_xlsx(f"{report.month} {report.scope_label}", headers, rows)
