"""The risk benchmark's baseline (`bench/risk_baseline.py`): a `str.find` loop over the raw text with the models' own
lexicons finds exactly what the engine finds on text written as listed, and only part of it on evaded text."""

from __future__ import annotations

from bench import risk_baseline, risk_lines
from jianguan.risk import engine

ROUTES = {"ad": risk_lines.AD_MODELS, "listing": risk_lines.LISTING_MODELS}


def _fields(evaded: bool) -> list[tuple[str, str, frozenset, frozenset]]:
    tables = {name: risk_baseline.words(engine.model(name).matcher) for name in engine.MODEL_NAMES}
    found = []
    for kind, line in risk_lines.generate(400, seed=5, claims=0.5, evaded=evaded):
        for name in ROUTES[kind]:
            for field in ("text", "product_name"):
                if field in line:
                    found.append((name, line[field], risk_baseline.engine_found(engine.model(name).matcher,
                                                                                line[field]),
                                  risk_baseline.loop_found(tables[name], line[field])))
    return found


def test_on_text_written_as_listed_the_keyword_loop_finds_what_the_engine_finds():
    fields = _fields(evaded=False)
    assert sum(bool(ours) for _, _, ours, _ in fields) >= 100  # claims of every kind, not a vacuous comparison
    assert {rule for _, _, ours, _ in fields for rule, *_ in ours} >= {
        "medical_ad.cure_promise", "fundraising.return_promise", "drug_sales.ban_list",
        "rx_sales.no_prescription_wording"}
    assert [(name, text) for name, text, ours, theirs in fields if ours != theirs] == []


def test_on_evaded_text_the_keyword_loop_finds_only_part_of_it():
    different = [(ours, theirs) for _, _, ours, theirs in _fields(evaded=True) if ours != theirs]
    assert len(different) >= 10
    assert all(theirs < ours for ours, theirs in different)
