"""The classification arithmetic: points and reasons, overrides, cut-offs to the target shares, monotonicity."""

from __future__ import annotations

import random
from collections import Counter

from jianguan.credit import classing, features
from jianguan.credit import scorecard as cards

CARD = cards.load("credit-risk", "2026.1")


def values(**set_: float | None) -> features.Values:
    base: dict[str, float | None] = dict.fromkeys(features.FIELDS, 0.0)
    base.update(age_years=10.0, registered_capital=500.0)
    base.update(set_)
    return tuple(base[name] for name in features.FIELDS)


def test_a_clean_old_entity_scores_nothing_and_has_no_reasons():
    scored = classing.score(CARD, values())
    assert (scored.points, scored.floor, scored.reasons) == (0, 0, "")


def test_points_add_up_and_the_strongest_reasons_come_first():
    scored = classing.score(CARD, values(penalties_3y=1, complaints_1y=1, age_years=0.5))
    assert scored.points == 20 + 6 + 12
    assert scored.reasons == "S02 B01 P02"


def test_overrides_set_a_floor_and_lead_the_reasons():
    scored = classing.score(CARD, values(serious_listed=1))
    assert scored.floor == 3 and scored.forced == "O01" and scored.reasons.startswith("O01")
    assert classing.class_of(scored.points, scored.floor, (100, 200, 300)) == "D"
    abnormal = classing.score(CARD, values(abnormal_listed=1))
    assert classing.class_of(0, abnormal.floor, (100, 200, 300)) == "C"
    assert classing.class_of(400, abnormal.floor, (100, 200, 300)) == "D"  # at least C: more points go higher


def test_missing_capital_takes_the_missing_points():
    tally = classing.Tally(CARD)
    scored = classing.score(CARD, values(registered_capital=None), tally.counts, problem=True)
    assert scored.points == 2
    assert {"indicator": "capital", "bin": "缺失", "points": 2, "entities": 1, "problems": 1} in tally.table()


def test_cutoffs_meet_the_target_shares_when_points_spread():
    histogram = Counter({points: 1 for points in range(100)})  # 100 entities, 0 … 99 points
    cuts = classing.cutoffs(histogram, CARD)
    assert cuts == (19, 79, 94)
    shares = Counter(classing.class_of(p, 0, cuts) for p in range(100))
    assert shares == {"A": 20, "B": 60, "C": 15, "D": 5}


def test_cutoffs_with_ties_come_as_close_as_the_ties_allow():
    histogram = Counter({0: 70, 10: 20, 30: 6, 50: 4})
    cuts = classing.cutoffs(histogram, CARD)
    assert cuts[0] == -1  # A would take 70 % or nothing: nothing is nearer 20 %
    assert cuts[1:] == (0, 30)  # A+B: 70 % and 90 % are as near 80 %: the lower; A+B+C: 96 % nearest 95 %
    shares = Counter()
    for points, n in histogram.items():
        shares[classing.class_of(points, 0, cuts)] += n
    assert shares == {"B": 70, "C": 26, "D": 4}


def _table(rows: list[tuple[str, str, int, int, int]]) -> list[dict[str, object]]:
    return [{"indicator": i, "bin": b, "points": p, "entities": n, "problems": k} for i, b, p, n, k in rows]


def test_points_running_against_the_problem_rate_are_a_violation_naming_indicator_and_bins():
    table = _table([("penalties", "无", 0, 200, 100), ("penalties", "1次", 20, 200, 20)])
    found = classing.violations(CARD, table)
    assert [(v.indicator, v.lower, v.higher) for v in found] == [("penalties", "无", "1次")]
    assert "penalties" in found[0].message() and "无" in found[0].message()


def test_points_running_with_the_problem_rate_or_within_noise_pass():
    rising = _table([("penalties", "无", 0, 200, 20), ("penalties", "1次", 20, 200, 100)])
    noise = _table([("penalties", "无", 0, 200, 42), ("penalties", "1次", 20, 200, 38)])
    small = _table([("penalties", "无", 0, 200, 100), ("penalties", "1次", 20, 10, 0)])  # under min_count
    assert classing.violations(CARD, rising) == []
    assert classing.violations(CARD, noise) == []
    assert classing.violations(CARD, small) == []


def test_the_run_scorer_gives_each_entity_and_the_tally_what_score_gives_entity_by_entity():
    rng = random.Random(7)
    sample = [values(age_years=rng.random() * 6, registered_capital=rng.choice([None, 5.0, 50.0, 800.0]),
                     penalties_3y=rng.choice([0, 0, 1, 3]), abnormal_listed=rng.choice([0, 1]),
                     unperformed_penalties=rng.choice([0, 0, 2]), complaints_1y=rng.choice([0, 1, 4]))
              for _ in range(400)]
    problems = [rng.random() < 0.3 for _ in sample]
    one_by_one, grouped = classing.Tally(CARD), classing.Tally(CARD)
    scorer = classing.Scorer(CARD, grouped.counts)
    for entity, problem in zip(sample, problems, strict=True):
        assert scorer(entity, problem) == classing.score(CARD, entity, one_by_one.counts, problem)
    assert len(scorer.known) < len(sample)  # groups share one scoring
    scorer.fold()
    assert grouped.table() == one_by_one.table()
