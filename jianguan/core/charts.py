"""Bar charts as inline SVG, drawn on the server: the same markup in a page and in a PDF (WeasyPrint draws inline
SVG), no script and no outside resource, printable on A4 (ADR 0039).

    bar_chart([("红", 3), ("橙", 5)], title="按等级", colours={"红": "#c0392b"})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
COLOUR = "#3b6ea5"
LABEL_WIDTH = 150
VALUE_WIDTH = 48
ROW = 22
LABEL_CHARS = 11


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def bar_chart(rows: Sequence[tuple[str, int | float]], *, title: str, width: int = 520,
              colours: Mapping[str, str] | None = None) -> SafeString:
    """One horizontal bar per (label, value), longest for the largest value, the value written after its bar;
    empty markup when there are no rows. Labels are escaped; a label longer than 11 characters is cut (the whole
    label stays in the bar's tooltip)."""
    if not rows:
        return mark_safe("")
    top = max(float(value) for _, value in rows) or 1.0
    span = width - LABEL_WIDTH - VALUE_WIDTH
    height = ROW * len(rows) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12">'
             f"<title>{escape(title)}</title>"]
    for index, (label, value) in enumerate(rows):
        y = index * ROW + 2
        length = round(span * float(value) / top, 1)
        colour = escape((colours or {}).get(label, COLOUR))
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" fill="#222">{escape(_label(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW - 6}" fill="{colour}">'
            f"<title>{escape(label)}：{escape(value)}</title></rect>"
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 15}" fill="#222">{escape(value)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text inside is escaped above)
