"""What a seed step receives: the scale, a deterministic random source per step, a progress bar, the actor."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from io import TextIOBase
from typing import Any, TextIO, TypeVar

from tqdm import tqdm

from .actors import SystemActor

T = TypeVar("T")

# Entities per scale; later issues scale their own data from these.
SCALES: dict[str, dict[str, int]] = {
    "test": {"entities": 400},
    "demo": {"entities": 5_000},
    "city": {"entities": 300_000},
    "bench": {"entities": 1_000_000},
}


@dataclass
class SeedContext:
    scale: str
    seed: int
    stdout: TextIOBase | TextIO
    progress_enabled: bool = True
    actor: SystemActor = field(default_factory=lambda: SystemActor("seed"))
    shared: dict[str, Any] = field(default_factory=dict)
    entities: int | None = None  # fewer (or more) entities than the scale's, every other choice of the scale kept

    @property
    def sizes(self) -> dict[str, int]:
        sizes = SCALES[self.scale]
        return sizes if self.entities is None else {**sizes, "entities": self.entities}

    def rng(self, name: str) -> random.Random:
        """A random source that depends only on the seed and `name`: steps do not disturb each other."""
        return random.Random(f"{self.seed}:{name}")

    def progress(self, iterable: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterator[T]:
        yield from tqdm(iterable, total=total, desc=desc, unit="条", file=self.stdout, leave=True,
                        disable=not self.progress_enabled, dynamic_ncols=True, mininterval=0.5)

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")
