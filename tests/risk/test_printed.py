"""The scan's fast paths give what the plain ones give: a verdict printed by `batch.printed` (nothing found, or a
listing outside a model's scope, from the model's fixed parts) is byte for byte `batch.shown` of `Model.judge`'s
verdict; `inputs.Checker` checks a line as `inputs.record` field by field; a judge given no registers finds what
the rules that need registers would say without them: nothing."""

from __future__ import annotations

import pytest

from bench import risk_lines
from jianguan.risk import batch, engine, inputs
from jianguan.risk.evidence import REGISTER_RULES, RULES, Context

ROUTES = {"ad": risk_lines.AD_MODELS, "listing": risk_lines.LISTING_MODELS}


@pytest.mark.parametrize("form", ["json", "text"])
def test_printed_verdicts_are_those_shown_from_the_whole_verdict(form):
    kinds = {"quiet": 0, "outside": 0, "alert": 0}
    for kind, line in risk_lines.generate(600, seed=11, claims=0.3):
        for (name, alert, printed), verdict in zip(batch.lines_printed(ROUTES[kind], line, form),
                                                   engine.verdicts(ROUTES[kind], line), strict=True):
            assert (name, alert, printed) == (verdict.model, verdict.alert, batch.shown(verdict, form))
            chosen = engine.model(name)
            seen = ("quiet" if not verdict.hits else "outside" if batch._outside_only(chosen, verdict)
                    else "alert" if verdict.alert else "other")
            kinds[seen] = kinds.get(seen, 0) + 1
    assert kinds["quiet"] and kinds["outside"] and kinds["alert"]  # every path taken


def _field_by_field(fields, data):
    """The check as it was written before it was prepared: every field of the model in order, each by its type."""
    if not isinstance(data, dict):
        raise inputs.InputInvalid("每行应为一个 JSON 对象", code="not_object")
    for name in data:
        if name not in fields:
            raise inputs.InputInvalid(f"不是本模型的输入字段（可用：{'、'.join(fields)}）", code="unknown_field",
                                      field=name)
    checked = {}
    for name, spec in fields.items():
        value = data.get(name)
        if value is None:
            if spec.required:
                raise inputs.InputInvalid(f"缺少必填字段{spec.label}", code="required", field=name)
            continue
        checked[name] = inputs._CHECKS[spec.type](spec, value)
    return checked


def test_the_prepared_check_refuses_as_the_field_by_field_one():
    chosen = engine.model("drug_sales")
    fields = dict(chosen.fields)
    lines = [
        {"id": "a", "text": "维生素C片 正品", "quantity": 2},
        {"id": " ", "text": "x"},  # the id is only a space
        {"id": "a", "text": "   "},
        {"id": "a", "text": "x" * (inputs.MAX_TEXT + 1)},
        {"id": "a", "text": "x", "platform": "y" * (inputs.MAX_SHORT + 1)},
        {"id": "a", "text": "x", "quantity": -1, "platform": 3},  # two errors: the first field's is named
        {"text": "x", "platform": 3},  # the required id missing before the platform's error
        {"id": "a", "text": "x", "unknown": 1},
        {"id": 7, "text": "x", "platform": None, "prescription_step": True},
        ["not", "an", "object"],
    ]
    for line in lines:
        try:
            expected = ("ok", _field_by_field(fields, line))
        except inputs.InputInvalid as error:
            expected = ("refused", error.message, error.code, error.field)
        try:
            got = ("ok", chosen.check(line))
        except inputs.InputInvalid as error:
            got = ("refused", error.message, error.code, error.field)
        assert got == expected
        assert got[0] == "refused" or list(got[1]) == list(expected[1])  # the fields in the model's order


def test_the_register_rules_find_nothing_without_registers():
    assert REGISTER_RULES and REGISTER_RULES.issubset(RULES)
    for name in engine.MODEL_NAMES:
        chosen = engine.model(name)
        for kind, line in risk_lines.generate(200, seed=3, claims=0.5):
            if name not in ROUTES[kind]:
                continue
            record = chosen.check(line)
            context = Context(record, chosen.matcher, None)
            for function, indicator, _ in chosen.plan:
                if indicator.rule in REGISTER_RULES:
                    assert function(context, indicator) == []
