"""Survey polygons and located entities drawn as an inline SVG map, on the server (ADR 0065): no tile server, no
script, no outside resource — production intranets reach none. The view box is the shapes' bounding box, longitude
scaled by the cosine of the middle latitude so that a square on the ground stays square on the page.

    svg_map([Shape("巡查发现 1", geometry, "/remote/findings/1/")], [Marker("某公司", 114.32, 29.84, "/subjects/…")],
            title="巡查发现")
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jianguan.core.charts import FONT

WIDTH, HEIGHT, PAD = 720, 480, 24
FILL, STROKE, MARKER = "#3b6ea5", "#1f3f63", "#c0392b"
LABEL_CHARS = 14


@dataclass(frozen=True)
class Shape:
    """A polygon to draw (a GeoJSON Polygon or MultiPolygon), its label and the page it links to."""

    label: str
    geometry: dict[str, Any]
    url: str
    kind: str = "finding"


@dataclass(frozen=True)
class Marker:
    """A located entity: its name, WGS-84 longitude and latitude, and the page it links to."""

    label: str
    longitude: float
    latitude: float
    url: str


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """The polygons of a checked Polygon or MultiPolygon, each a list of rings of [lng, lat] positions."""
    coordinates = geometry.get("coordinates") or []
    return [coordinates] if geometry.get("type") == "Polygon" else list(coordinates)


def positions(geometry: dict[str, Any]) -> Iterator[tuple[float, float]]:
    for polygon in polygons(geometry):
        for ring in polygon:
            for position in ring:
                yield float(position[0]), float(position[1])


def _in_ring(ring: Sequence[Sequence[float]], x: float, y: float) -> bool:
    """Ray casting: whether (x, y) lies inside the closed ring."""
    inside = False
    for (x1, y1), (x2, y2) in zip(((p[0], p[1]) for p in ring), ((p[0], p[1]) for p in ring[1:]), strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: dict[str, Any], longitude: float, latitude: float) -> bool:
    """Whether the position lies inside the Polygon or MultiPolygon: inside an outer ring and outside its holes."""
    for outer, *holes in polygons(geometry):
        if _in_ring(outer, longitude, latitude) and not any(_in_ring(h, longitude, latitude) for h in holes):
            return True
    return False


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


class _Projection:
    """Longitude and latitude to the SVG's x and y within the bounding box of everything drawn."""

    def __init__(self, points: list[tuple[float, float]]) -> None:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        self.west, self.east, self.south, self.north = min(xs), max(xs), min(ys), max(ys)
        self.squeeze = math.cos(math.radians((self.south + self.north) / 2)) or 1.0
        span_x = max((self.east - self.west) * self.squeeze, 1e-6)
        span_y = max(self.north - self.south, 1e-6)
        self.scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
        self.left = (WIDTH - span_x * self.scale) / 2 if self.east > self.west else WIDTH / 2
        self.top = (HEIGHT - span_y * self.scale) / 2 if self.north > self.south else HEIGHT / 2

    def __call__(self, longitude: float, latitude: float) -> tuple[float, float]:
        return (round(self.left + (longitude - self.west) * self.squeeze * self.scale, 1),
                round(self.top + (self.north - latitude) * self.scale, 1))


def svg_map(shapes: Sequence[Shape], markers: Sequence[Marker], *, title: str) -> SafeString:
    """The shapes as linked polygons (holes cut out) and the markers as linked dots with their labels, scaled to
    their common bounding box; empty markup when there is nothing to draw. Every text is escaped."""
    located = [p for s in shapes for p in positions(s.geometry)] + [(m.longitude, m.latitude) for m in markers]
    if not located:
        return mark_safe("")
    project = _Projection(located)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart survey-map" role="img" width="{WIDTH}" '
             f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" font-size="12">'
             f'<title>{escape(title)}</title><rect width="{WIDTH}" height="{HEIGHT}" fill="#f7f7f2"/>']
    for shape in shapes:
        path = " ".join("M " + " L ".join("{} {}".format(*project(float(p[0]), float(p[1]))) for p in ring) + " Z"
                        for polygon in polygons(shape.geometry) for ring in polygon)
        colour = "#7a9a3a" if shape.kind == "point" else FILL
        parts.append(f'<a href="{escape(shape.url)}" data-shape="{escape(shape.kind)}"><path d="{path}" '
                     f'fill="{colour}" fill-opacity="0.3" fill-rule="evenodd" stroke="{STROKE}" stroke-width="1.5">'
                     f"<title>{escape(shape.label)}</title></path></a>")
    for marker in markers:
        x, y = project(marker.longitude, marker.latitude)
        parts.append(f'<a href="{escape(marker.url)}" data-marker="1"><circle cx="{x}" cy="{y}" r="5" '
                     f'fill="{MARKER}" stroke="#fff" stroke-width="1.5"><title>{escape(marker.label)}</title>'
                     f'</circle><text x="{x + 7}" y="{y + 4}" fill="#222">{escape(_label(marker.label))}</text></a>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text inside is escaped above)
