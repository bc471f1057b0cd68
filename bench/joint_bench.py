"""Joint supervision benchmark (issue 19): merge proposals for a city plan of 200 tasks over 300 k entities,
goal ≤ 5 s. The tasks are drawn like a city's plan: 15 departments, each task's objects (300 to 5,000 entities)
taken from one county's block of the 300 k entities with a share from the whole city, windows over the year,
visit hours 1–6, 1–4 checks a year, a quarter of them with a “综合查一次” scenario. The figure is the rule engine
(`jianguan.joint.merging.candidates`: an inverted index entity → tasks, then the rules on each pair sharing an
entity), CPU seconds of this process, median of `--rounds`.

Baseline in the same run, on the same tasks: every pair of tasks' object lists intersected
(`merging.candidates_pairwise`); both must return the same proposals (checked after each round, outside the clock).
The database read of the object lists (one query over `joint_plannedobject`) is not in the figure.

Run from the repository root: `python -m bench.joint_bench`; prints one JSON row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import time
from typing import Any

ENTITIES = 300_000
COUNTIES = 8


def tasks(count: int, seed: int) -> list[Any]:
    from jianguan.joint.merging import Shape

    rng = random.Random(seed)
    block = ENTITIES // COUNTIES
    made = []
    for n in range(count):
        county = rng.randrange(COUNTIES)
        size = rng.randint(300, 5000)
        local = rng.sample(range(county * block, (county + 1) * block), int(size * 0.9))
        wide = rng.sample(range(ENTITIES), size - len(local))
        start = dt.date(2027, 1, 1) + dt.timedelta(days=rng.randrange(330))
        department = rng.randrange(15)
        made.append(Shape(id=n + 1, lead_id=department, departments=frozenset({department}), window_start=start,
                          window_end=start + dt.timedelta(days=rng.randint(10, 60)),
                          visit_hours=rng.randint(1, 6), times_per_year=rng.randint(1, 4),
                          scenario=rng.choice(["", "", "", "restaurant", "pharmacy"]),
                          entities=sorted(set(local) | set(wide))))
    return made


def _timed(function: Any, shapes: list[Any], days: int) -> tuple[float, list[Any]]:
    started = time.process_time()
    found = function(shapes, days)
    return time.process_time() - started, found


def measure(count: int, rounds: int, seed: int, days: int = 30) -> dict[str, Any]:
    from jianguan.joint import merging

    shapes = tasks(count, seed)
    ours_s, base_s = [], []
    found: list[Any] = []
    for _ in range(rounds):
        mine, found = _timed(merging.candidates, shapes, days)
        theirs, baseline = _timed(merging.candidates_pairwise, shapes, days)
        if found != baseline:
            raise SystemExit("the inverted index and the pairwise comparison differ")
        ours_s.append(mine)
        base_s.append(theirs)
    ours, base = statistics.median(ours_s), statistics.median(base_s)
    postings = sum(len(s.entities) for s in shapes)
    return {
        "name": "joint plan merge proposals (200 tasks, 300 k entities)", "figure": round(ours, 2), "unit": "s",
        "baseline": "pairwise comparison of the tasks' object lists", "baseline_figure": round(base, 2),
        "ratio": round(base / ours, 1), "goal": "<= 5 s", "met": ours <= 5,
        "detail": f"median of {rounds} rounds, CPU time of one process; {count} tasks, {postings:,} planned objects "
                  f"over {ENTITIES:,} entities, {len(found):,} proposals ({sum(len(c.entities) for c in found):,} "
                  f"visits to merge), the same from both; the database read of the object lists is not counted; "
                  f"load average at the end {os.getloadavg()[0]:.1f} on a machine shared with other work",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    print(json.dumps(measure(options.tasks, options.rounds, options.seed), ensure_ascii=False))


if __name__ == "__main__":
    main()
