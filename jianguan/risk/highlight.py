"""An observation's text cut into pieces for the alert page: plain text, and the quoted evidence of each hit marked
with its rule and article (offsets into the text as sent, `evidence.Hit`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Piece:
    text: str
    rule: str = ""
    article: str = ""


def pieces(text: str, hits: Iterable[Mapping[str, Any]], *, field: str = "text") -> list[Piece]:
    """`text` as pieces, each hit of `field` with offsets inside the text marked; a hit overlapping one already
    marked is left out (the first, by start, is shown)."""
    spans = sorted((h for h in hits if h.get("field") == field and isinstance(h.get("start"), int)
                    and isinstance(h.get("end"), int) and 0 <= h["start"] < h["end"] <= len(text)),
                   key=lambda h: (h["start"], -h["end"]))
    out: list[Piece] = []
    at = 0
    for hit in spans:
        if hit["start"] < at:
            continue
        if hit["start"] > at:
            out.append(Piece(text[at:hit["start"]]))
        out.append(Piece(text[hit["start"]:hit["end"]], hit["rule"], hit["article"]))
        at = hit["end"]
    if at < len(text):
        out.append(Piece(text[at:]))
    return out
