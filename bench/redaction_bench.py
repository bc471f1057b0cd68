"""Redaction benchmark (issue 18, item 2): the texts of 100 k decisions (bench/redaction_texts.py: 违法事实,
处罚依据, 处罚内容 … with ID numbers, phones, bank cards and accounts, home addresses and names) redacted on one
core by the engine (`Engine.redact`: masks merged and the redacted copy built), goal ≥ 2,000 decisions/s.

Baseline in the same run, on the same decisions: the plain way (`jianguan.redaction.reference.find`): every rule
over the whole of every field by `re.finditer` on the pattern's text, each other person's name as a pattern of
its own, then the same merge and the same copy. Engine and baseline alternate `--rounds` times; each figure is
the median of its rounds in CPU seconds of this process (the machine is shared, so wall-clock time would count
the neighbours' work). After each round, outside the clock, both must have made the same masks and the same copy
of every decision.

Run from the repository root: `python -m bench.redaction_bench --decisions 100000`; prints one JSON row.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any

from bench.common import setup


def _engine_pass(engine: Any, items: list[dict[str, Any]], out: list[Any]) -> float:
    started = time.process_time()
    for item in items:
        out.append(engine.redact(item["fields"], persons=item["persons"], party=item["party"]))
    return time.process_time() - started


def _baseline_pass(engine: Any, items: list[dict[str, Any]], out: list[Any]) -> float:
    from jianguan.redaction import masks, reference

    started = time.process_time()
    for item in items:
        found = reference.find(item["fields"], persons=item["persons"], party=item["party"])
        out.append((found, masks.applied(item["fields"], found, engine.masking)))
    return time.process_time() - started


def measure(count: int, rounds: int, seed: int) -> dict[str, Any]:
    from bench.redaction_texts import decisions
    from jianguan.redaction.engine import Engine

    items = decisions(count, seed)
    engine = Engine()
    ours_s, base_s = [], []
    masked = 0
    for _ in range(rounds):
        ours: list[Any] = []
        theirs: list[Any] = []
        ours_s.append(_engine_pass(engine, items, ours))
        base_s.append(_baseline_pass(engine, items, theirs))
        for item, mine, (found, copy) in zip(items, ours, theirs, strict=True):  # the same masks and copy
            if list(mine.masks) != found or mine.fields != copy:
                raise SystemExit(f"engine and reference differ on {item['fields']['当事人名称']}")
        masked = sum(len(mine.masks) for mine in ours)
    engine_rate, base_rate = count / statistics.median(ours_s), count / statistics.median(base_s)
    chars = sum(len(text) for item in items for text in item["fields"].values())
    return {
        "name": "redaction of decisions' texts, one core", "figure": round(engine_rate), "unit": "decisions/s",
        "baseline": "every rule by re.finditer over each field, names as patterns (reference.find)",
        "baseline_figure": round(base_rate), "ratio": round(engine_rate / base_rate, 2),
        "goal": ">= 2,000 decisions/s", "met": engine_rate >= 2000,
        "detail": f"median of {rounds} rounds over {count:,} decisions ({chars / count:.0f} characters and "
                  f"{masked / count:.1f} masks each), CPU time of one process; engine and baseline make the same "
                  f"masks and copy on every decision (compared after each round, outside the clock); rounds: "
                  + ", ".join(f"{count / a:,.0f}/{count / b:,.0f}" for a, b in zip(ours_s, base_s, strict=True))
                  + f"; load average at the end {os.getloadavg()[0]:.1f} on a machine shared with other work",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    setup()
    print(json.dumps(measure(options.decisions, options.rounds, options.seed), ensure_ascii=False))


if __name__ == "__main__":
    main()
