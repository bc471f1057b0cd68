"""The merge rules over the tasks' shapes: the same entity planned by other departments within the window merges;
the lead is the more frequent task's; a rare check folds into a frequent one; different scenarios, the same
departments, windows too far apart or dissimilar durations do not merge; the inverted index finds what the
pairwise comparison finds."""

from __future__ import annotations

import datetime as dt
import random

from jianguan.joint import merging

DAY = dt.date(2027, 3, 1)


def shape(id: int, departments: set[int], entities: list[int], *, start: int = 0, length: int = 10, hours: int = 2,
          times: int = 1, scenario: str = "") -> merging.Shape:
    return merging.Shape(id=id, lead_id=min(departments), departments=frozenset(departments),
                         window_start=DAY + dt.timedelta(days=start),
                         window_end=DAY + dt.timedelta(days=start + length), visit_hours=hours, times_per_year=times,
                         scenario=scenario, entities=entities)


def test_the_same_entities_of_other_departments_within_the_window_merge():
    found = merging.candidates([shape(1, {10}, [1, 2, 3]), shape(2, {20}, [3, 4, 2], start=25)], 30)
    assert [(c.first, c.second, c.entities) for c in found] == [(1, 2, (2, 3))]
    assert {"same_target", "windows_within", "similar_duration"} <= set(found[0].rules)
    assert (found[0].window_start, found[0].window_end) == (DAY, DAY + dt.timedelta(days=10))


def test_what_does_not_merge():
    assert merging.candidates([shape(1, {10}, [1]), shape(2, {10}, [1])], 30) == []  # one department's own
    assert merging.candidates([shape(1, {10}, [1]), shape(2, {20}, [1], start=50)], 30) == []  # too far apart
    assert merging.candidates([shape(1, {10}, [1], scenario="restaurant"),
                               shape(2, {20}, [1], scenario="construction_site")], 30) == []
    assert merging.candidates([shape(1, {10}, [1], hours=1), shape(2, {20}, [1], hours=6)], 30) == []
    assert merging.candidates([shape(1, {10}, [1]), shape(2, {20}, [2])], 30) == []


def test_a_rare_check_folds_into_a_frequent_one_whose_lead_leads():
    frequent, rare = shape(1, {10}, [1], hours=6, times=4), shape(2, {20}, [1], hours=1, times=1)
    [found] = merging.candidates([frequent, rare], 30)
    assert "rare_folded" in found.rules and found.lead_task == 1
    [found] = merging.candidates([shape(1, {10}, [1], times=1), shape(2, {20}, [1], times=2)], 30)
    assert found.lead_task == 2


def test_the_inverted_index_finds_what_the_pairwise_comparison_finds():
    rng = random.Random(5)
    tasks = [shape(i, {rng.randrange(6)}, rng.sample(range(400), 30), start=rng.randrange(90),
                   hours=rng.choice([1, 2, 3, 5]), times=rng.choice([1, 2, 4]),
                   scenario=rng.choice(["", "", "restaurant", "pharmacy"])) for i in range(60)]
    found = merging.candidates(tasks, 30)
    assert found and found == merging.candidates_pairwise(tasks, 30)
