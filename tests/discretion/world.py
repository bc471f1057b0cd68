"""A small benchmark definition the discretion tests vary: one violation with all five bands."""

from __future__ import annotations

import copy
from typing import Any

from tests.library_fixtures import PENALTY

ARTICLE = "《食品安全法》第一百二十四条第一款"


def band(name: str, low: str | None = None, high: str | None = None, *codes: str) -> dict[str, Any]:
    raw: dict[str, Any] = {"band": name, "circumstances": [{"code": c, "label": f"情节 {c}"} for c in codes]}
    if low is not None:
        raw.update({"min": low, "max": high})
    return raw


DEFINITION: dict[str, Any] = {
    "name": "scjg-test", "version": "1", "title": "测试裁量基准", "line": "scjg", "issued_by": "市市场监督管理局",
    "effective_from": "2024-01-01",
    "violations": [{"catalog_code": PENALTY, "article": ARTICLE, "title": "生产经营不符合食品安全标准的食品",
                    "bands": [band("none", None, None, "first_minor"), band("reduced", "0", "50000", "reduce_harm"),
                              band("lighter", "50000", "65000", "cooperated"), band("general", "65000", "85000"),
                              band("heavier", "85000", "100000", "repeat")]}]}


def definition(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEFINITION)
    data.update(changes)
    return data


def with_bands(*bands: dict[str, Any]) -> dict[str, Any]:
    data = definition()
    data["violations"][0]["bands"] = list(bands)
    return data
