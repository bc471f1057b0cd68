"""Scorecards as versioned data: the demo scorecard loads; a bad file is refused naming the file and the indicator."""

from __future__ import annotations

import pytest

from jianguan.credit import features
from jianguan.credit import scorecard as cards
from tests.credit.world import write_card


def test_the_demo_scorecard_loads_with_every_family_and_the_overrides():
    card = cards.load("credit-risk", "2026.1")
    assert {i.family for i in card.indicators} == set(features.FAMILIES)
    assert {o.code: o.at_least for o in card.overrides} == {"O01": "D", "O02": "C", "O03": "C"}
    assert sum(card.targets.values()) == 1
    age = next(i for i in card.indicators if i.id == "age")
    assert [age.points_of(age.bin_of(v)) for v in (0.5, 1.0, 2.9, 3.0, 40.0)] == [12, 6, 6, 0, 0]


@pytest.mark.parametrize(("change", "code", "named"), [
    ({"indicator": ("age", {"weight": "一点五"})}, "weight_invalid", "指标 age"),
    ({"indicator": ("age", {"weight": None})}, "weight_invalid", "指标 age"),
    ({"indicator": ("capital", {"bins": [{"below": 100, "points": 2}, {"below": 10, "points": 4},
                                         {"below": None, "points": 0}]})}, "bins_not_ordered", "指标 capital"),
    ({"indicator": ("capital", {"bins": [{"below": 10, "points": 2}, {"below": 100, "points": 1}]})},
     "bins_open_end", "指标 capital"),
    ({"indicator": ("changes", {"source": "shareholders"})}, "source_unknown", "指标 changes"),
    ({"indicator": ("changes", {"bins": [{"below": None, "points": "五"}]})}, "bin_points_invalid", "指标 changes"),
    ({"indicator": ("penalties", {"reason": "S01"})}, "reason_duplicate", "指标 penalties"),
    ({"targets": {"A": "0.2", "B": "0.6", "C": "0.15", "D": "0.1"}}, "targets_sum", "目标占比"),
    ({"overrides": [{"code": "O09", "title": "x", "source": "serious_listed", "at_least": "E"}]},
     "override_class_invalid", "强制规则 O09"),
])
def test_a_bad_scorecard_is_refused_naming_the_file_and_the_indicator(card_folder, change, code, named):
    name, version = write_card(card_folder, **change)
    with pytest.raises(cards.ScorecardInvalid) as refused:
        cards.load(name, version)
    assert refused.value.code == code
    assert f"{name}-{version}.json" in refused.value.message and named in refused.value.message


def test_a_scorecard_file_that_is_not_json_or_absent_is_refused(card_folder):
    (card_folder / "credit-risk-3.0.json").write_text("{not json")
    with pytest.raises(cards.ScorecardInvalid) as refused:
        cards.load("credit-risk", "3.0")
    assert refused.value.code == "scorecard_json_invalid" and "credit-risk-3.0.json" in refused.value.message
    with pytest.raises(cards.ScorecardInvalid) as absent:
        cards.load("credit-risk", "../../etc")
    assert absent.value.code == "scorecard_unknown"


def test_weights_scale_the_points():
    card = cards.parse({**cards.load("credit-risk", "2026.1").data, "version": "x"}, "x.json")
    doubled = cards.parse({**card.data, "families": [{"id": "basic", "indicators": [
        {"id": "age", "title": "成立年限", "reason": "B01", "source": "age_years", "weight": "1.5",
         "bins": [{"below": 1, "points": 12}, {"below": None, "points": 0}]}]}]}, "y.json")
    assert doubled.indicators[0].points == (18, 0)
