"""The discretion benchmark at the end of the investigation (ADR 0060): a fine outside the band the ticked
circumstances call for is refused without a written reason, with nothing written; the reason is kept on the case
and shown to the legal reviewer; the proposal form shows the bands and the circumstances."""

from __future__ import annotations

import pytest

from jianguan.core.actors import SystemActor
from jianguan.core.errors import ValidationFailed
from jianguan.discretion.services import benchmark_store
from tests.discretion.world import definition
from tests.enforcement_fixtures import ENDING, act, filed, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
REASON = "当事人系初次经营且货值仅二百余元，按减轻幅度处罚明显过重"


@pytest.fixture(name="benchmark")
def benchmark_fixture():
    return benchmark_store(actor=SystemActor("test"), file_name="t.json", definition=definition())


def test_a_fine_outside_the_band_without_a_reason_is_refused_and_nothing_written(world, benchmark):
    case = filed(world)
    events = case.event_count
    with pytest.raises(ValidationFailed) as error:
        act(world, case, "end_investigation", world.officer, ENDING)
    assert error.value.code == "amount_outside_band" and "65,000 元至 85,000 元" in error.value.message
    case.refresh_from_db()
    assert case.status == "investigating" and case.event_count == events and case.fine is None
    assert case.discretion == {}


def test_the_ticked_circumstances_choose_the_band_and_it_is_kept(world, benchmark):
    case = act(world, filed(world), "end_investigation", world.officer, {**ENDING, "circumstances": ["reduce_harm"]})
    assert case.status == "investigated"
    assert case.discretion["band"] == "reduced" and case.discretion["outside"] is False
    assert case.discretion["circumstances"] == ["情节 reduce_harm"] and case.discretion["reason"] == ""
    assert case.events.get(verb="end_investigation").data["discretion"]["band"] == "reduced"


def test_a_written_reason_lets_the_proposal_through_and_the_reviewer_reads_it(world, benchmark, signed_in):
    case = act(world, filed(world), "end_investigation", world.officer, {**ENDING, "band_reason": REASON})
    assert case.discretion["outside"] is True and case.discretion["reason"] == REASON
    act(world, case, "submit_review", world.officer)
    page = signed_in(world.reviewer).get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="do-pass_review"' in page
    assert REASON in page and 'data-testid="band-outside"' in page


def test_the_proposal_form_shows_the_bands_and_the_circumstances(world, benchmark, signed_in):
    case = filed(world)
    page = signed_in(world.officer).get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="band-rows"' in page and 'value="reduce_harm"' in page and "65,000 元至 85,000 元" in page


def test_an_unknown_circumstance_or_one_without_a_benchmark_is_refused(world, benchmark):
    case = filed(world)
    with pytest.raises(ValidationFailed) as error:
        act(world, case, "end_investigation", world.officer, {**ENDING, "circumstances": ["made_up"]})
    assert error.value.code == "circumstance_unknown"
    with pytest.raises(ValidationFailed) as error:
        act(world, case, "end_investigation", world.officer, {**ENDING, "circumstances": "x" * 3 + "," * 0,
                                                              "basis": "《广告法》第五十五条"})
    assert error.value.code == "circumstance_unknown"
    with pytest.raises(ValidationFailed) as error:
        act(world, case, "end_investigation", world.officer, {**ENDING, "circumstances": {"a": 1}})
    assert error.value.code == "circumstances_invalid"
