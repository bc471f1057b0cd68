"""The arithmetic of a score, pure: each measure's rate (done in time ÷ due), weighed by the scheme; a measure with
nothing due is left out and the others' weights scaled to the full marks, so a department is neither rewarded
nor punished for duties it had none of that month."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Input:
    code: str
    title: str
    weight: float
    done: int
    due: int

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None

    def as_json(self, total: float, counted_weight: float) -> dict[str, Any]:
        points = None if self.rate is None else round(total * self.weight * self.rate / counted_weight, 2)
        return {"measure": self.code, "title": self.title, "weight": self.weight, "done": self.done,
                "due": self.due, "rate": None if self.rate is None else round(self.rate, 4), "points": points}


def score(inputs: Sequence[Input], total: float) -> tuple[float | None, list[dict[str, Any]]]:
    """(score out of `total`, or None when nothing was due; each input with its points)."""
    counted = sum(i.weight for i in inputs if i.due)
    if not counted:
        return None, [i.as_json(total, 1.0) for i in inputs]
    shown = [i.as_json(total, counted) for i in inputs]
    return round(sum(row["points"] or 0.0 for row in shown), 1), shown


def inputs_of(weights: Iterable[Mapping[str, Any]], titles: Mapping[str, str],
              counts: Mapping[str, tuple[int, int]]) -> list[Input]:
    """The scheme's measures with one party's counts ((0, 0) where it had none)."""
    return [Input(w["measure"], titles[w["measure"]], float(w["weight"]), *counts.get(w["measure"], (0, 0)))
            for w in weights]


def ranks(scores: Mapping[Any, float | None]) -> dict[Any, int]:
    """Competition ranks (1, 2, 2, 4) by score, highest first; parties without a score have none."""
    ordered = sorted((value for value in scores.values() if value is not None), reverse=True)
    return {key: ordered.index(value) + 1 for key, value in scores.items() if value is not None}
