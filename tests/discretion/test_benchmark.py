"""The benchmark file checked whole (ADR 0060): the bands meet end to end, each refusal names its rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jianguan.discretion import benchmark as bm
from tests.discretion.world import ARTICLE, DEFINITION, band, definition, with_bands
from tests.library_fixtures import PENALTY


def refused(data, code: str) -> bm.BenchmarkInvalid:
    with pytest.raises(bm.BenchmarkInvalid) as error:
        bm.parse(data, "test.json")
    assert error.value.code == code
    return error.value


def test_shipped_files_parse():
    files = bm.shipped()
    assert files
    for path in files:
        checked, _ = bm.read(path)
        assert checked.violations


def test_a_gap_between_bands_is_refused_naming_the_bounds():
    error = refused(with_bands(band("lighter", "0", "1000"), band("general", "1200", "3000")), "band_gap")
    assert "1000 元至 1200 元" in error.message and "从轻处罚" in error.message and "一般处罚" in error.message


def test_an_overlap_between_bands_is_refused_naming_the_bounds():
    error = refused(with_bands(band("general", "0", "3000"), band("heavier", "2500", "5000")), "band_overlap")
    assert "2500 元至 3000 元" in error.message


def test_bands_out_of_the_written_order_are_checked_in_the_band_order():
    checked = bm.parse(with_bands(band("heavier", "3000", "5000"), band("general", "1000", "3000")), "t.json")
    assert [b.band for b in checked.violations[0].bands] == ["heavier", "general"]
    refused(with_bands(band("heavier", "2000", "5000"), band("general", "1000", "3000")), "band_overlap")


@pytest.mark.parametrize(("bands", "code"), [
    ((band("general", "3000", "1000"),), "band_order"),
    ((band("general", "-1", "1000"),), "amount_invalid"),
    ((band("general", "abc", "1000"),), "amount_invalid"),
    ((band("general", "0.001", "1000"),), "amount_invalid"),
    ((band("lighter", "0", "1000"),), "bands_invalid"),
    ((band("general", "0", "10"), band("general", "10", "20")), "bands_invalid"),
    ((band("none", "0", "10"), band("general", "0", "10")), "band_invalid"),
    ((band("severe", "0", "10"),), "band_invalid"),
    ((band("general", "0", "10", "x"), band("heavier", "10", "20", "x")), "circumstance_duplicate"),
    (({"band": "general", "min": "0", "max": "10", "circumstances": [{"code": "有", "label": "x"}]},),
     "circumstance_invalid"),
])
def test_bad_bands_are_refused(bands, code):
    refused(with_bands(*bands), code)


@pytest.mark.parametrize(("data", "code"), [
    ([], "benchmark_invalid"),
    (definition(name=""), "name_required"),
    (definition(effective_from="2024-13-01"), "effective_from_invalid"),
    (definition(violations=[]), "violations_required"),
    (definition(violations=[*DEFINITION["violations"], *DEFINITION["violations"]]), "violation_duplicate"),
    (definition(violations=["x"]), "violation_invalid"),
])
def test_bad_files_are_refused(data, code):
    refused(data, code)


def test_the_violation_is_found_by_item_and_article_the_row_specific_one_first():
    data = definition()
    specific = {**data["violations"][0], "implementation_code": "ROW-1", "title": "本实施清单"}
    data["violations"].append(specific)
    checked = bm.parse(data, "t.json")
    basis = ARTICLE + "第五项"
    row = checked.violation_for(catalog_code=PENALTY, implementation_codes=["ROW-1"], basis=basis)
    assert row.title == "本实施清单"
    assert checked.violation_for(catalog_code=PENALTY, implementation_codes=[], basis=basis).title != "本实施清单"
    assert checked.violation_for(catalog_code=PENALTY, implementation_codes=[], basis="《广告法》第五十五条") is None
    assert checked.violation_for(catalog_code="11000000000999", implementation_codes=[], basis=basis) is None


@pytest.mark.parametrize(("ticked", "expected"), [
    ((), "general"), (("reduce_harm",), "reduced"), (("cooperated", "reduce_harm"), "reduced"),
    (("first_minor", "cooperated"), "none"), (("repeat",), "heavier"), (("repeat", "cooperated"), "general"),
])
def test_the_ticked_circumstances_choose_the_band(ticked, expected):
    violation = bm.parse(definition(), "t.json").violations[0]
    assert violation.applicable(ticked)[0].band == expected


def test_a_band_admits_its_bounds_and_none_admits_no_fine():
    violation = bm.parse(definition(), "t.json").violations[0]
    general = violation.band("general")
    assert general.admits(Decimal("65000")) and general.admits(Decimal("85000"))
    assert not general.admits(Decimal("64999.99")) and not general.admits(None)
    none = violation.band("none")
    assert none.admits(None) and not none.admits(Decimal("1"))
