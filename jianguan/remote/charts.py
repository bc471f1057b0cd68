"""A factor's readings as an inline SVG line chart with its limits as dashed lines and the alarm spans shaded,
drawn on the server like `core.charts` (no script, no outside resource)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jianguan.core.charts import COLOUR, FONT

WIDTH, HEIGHT, PAD = 640, 200, 36
LIMIT = "#c0392b"
SPAN = "#f5d5d0"


def line_chart(points: Sequence[tuple[dt.datetime, Decimal]], *, title: str,
               limits: Sequence[Decimal | None] = (), spans: Sequence[tuple[dt.datetime, dt.datetime]] = ()
               ) -> SafeString:
    """The readings as a polyline over time, each limit a dashed line, each alarm span a shaded band."""
    if not points:
        return mark_safe("")
    first, last = points[0][0], points[-1][0]
    width = max((last - first).total_seconds(), 1.0)
    values = [float(v) for _, v in points] + [float(v) for v in limits if v is not None]
    low, high = min(values), max(values)
    high = high if high > low else low + 1

    def x(at: dt.datetime) -> float:
        return round(PAD + (WIDTH - 2 * PAD) * (at - first).total_seconds() / width, 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value - low) / (high - low), 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" font-size="11"><title>{escape(title)}</title>']
    for start, end in spans:
        left, right = x(max(start, first)), x(min(end, last))
        parts.append(f'<rect x="{left}" y="{PAD}" width="{max(right - left, 1)}" height="{HEIGHT - 2 * PAD}" '
                     f'fill="{SPAN}"/>')
    for limit in limits:
        if limit is not None:
            parts.append(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(float(limit))}" y2="{y(float(limit))}" '
                         f'stroke="{LIMIT}" stroke-dasharray="4 3"/><text x="{WIDTH - PAD + 2}" '
                         f'y="{y(float(limit)) + 4}" fill="{LIMIT}">{escape(limit)}</text>')
    line = " ".join(f"{x(at)},{y(float(v))}" for at, v in points)
    parts.append(f'<polyline fill="none" stroke="{COLOUR}" stroke-width="1.5" points="{line}"/>')
    for label, at in ((timezone.localtime(first), first), (timezone.localtime(last), last)):
        parts.append(f'<text x="{x(at)}" y="{HEIGHT - PAD + 14}" text-anchor="middle" fill="#222">'
                     f'{escape(label.strftime("%m-%d %H:%M"))}</text>')
    parts.append(f'<text x="2" y="{y(high) + 4}" fill="#222">{escape(round(high, 2))}</text>'
                 f'<text x="2" y="{y(low) + 4}" fill="#222">{escape(round(low, 2))}</text></svg>')
    return mark_safe("".join(parts))  # noqa: S308 (every text inside is escaped above)
