"""Reads of the stored benchmarks: the list (published documents, the same for every signed-in reader), the
version a line follows on a day, and its checked form (parsed once per content digest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from . import benchmark as bm
from .models import Benchmark


def benchmark_list() -> QuerySet[Benchmark]:
    return Benchmark.objects.defer("definition").order_by("line", "-effective_from", "-pk")


def benchmark_get(*, pk: int) -> Benchmark | None:
    return Benchmark.objects.filter(pk=pk).first()


def in_force(*, line: str, on: dt.date) -> bm.Benchmark | None:
    """The version of `line` in force on `on`: the latest 施行日期 not after the day, the latest loaded among equals."""
    stored = (Benchmark.objects.filter(line=line, effective_from__lte=on).order_by("-effective_from", "-pk")
              .values("sha256", "definition", "name", "version").first())
    return checked(stored) if stored else None


def checked(stored: Mapping[str, Any] | Benchmark) -> bm.Benchmark:
    """The checked form of a stored version, parsed once per content digest (the same digest is the same
    content, whatever row holds it)."""
    row = stored if not isinstance(stored, Benchmark) else {
        "sha256": stored.sha256, "definition": stored.definition, "name": stored.name, "version": stored.version}
    if row["sha256"] not in _PARSED:
        if len(_PARSED) >= 64:
            _PARSED.clear()
        _PARSED[row["sha256"]] = bm.parse(row["definition"], f"{row['name']}-{row['version']}")
    return _PARSED[row["sha256"]]


_PARSED: dict[str, bm.Benchmark] = {}
