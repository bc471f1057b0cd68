"""The engine makes exactly the masks of the plain reference (every rule over the whole text), on generated
decisions and on texts built to sit on the edges of the number runs the engine scans."""

from __future__ import annotations

import re

import pytest

from bench.redaction_texts import decisions
from jianguan.redaction import reference
from jianguan.redaction.engine import Engine, Rule

PLATE = Rule("plate", "other", re.compile(r"鄂[A-Z]\d{5}"))


def test_the_engine_agrees_with_the_reference_on_generated_decisions():
    engine = Engine([PLATE])
    items = decisions(300, seed=7)
    total = 0
    for item in items:
        ours = list(engine.redact(item["fields"], persons=item["persons"], party=item["party"]).masks)
        assert ours == reference.find(item["fields"], persons=item["persons"], party=item["party"], custom=[PLATE])
        total += len(ours)
    assert total > 300 * 8  # the texts do carry what the rules hide


@pytest.mark.parametrize("text", [
    "（0715）8123456转808，+86 138 0013 8000", "号码13800138000X", "x13800138000", "账号 1234-5678-9012-3456 7",
    "62220212345678901281", "0715-81234567-", "电话：１３８-００１３-８０００；车牌鄂L12345"])
def test_the_engine_agrees_with_the_reference_on_edges(text):
    fields = {"f": text}
    assert list(Engine([PLATE]).redact(fields).masks) == reference.find(fields, custom=[PLATE])
