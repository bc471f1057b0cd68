"""“综合查一次” scenarios as versioned data (ADR 0054): for a kind of business, the items of each department that one
visit covers, each row citing the catalog 子项 by code (`scenarios/<name>-<version>.json`).

`load` reads and checks the newest file; a row that does not parse is refused naming the file, the scenario, the
row and the rule: every scenario has a key, a name and rows; every row names a line (条线) of the departments and
cites at least one catalog code of 14 digits; a line appears once per scenario. Which implementation row a
department uses is its own claim of the cited 子项 (`catalog.contracts.implementation_list`), read when a task is
made from the scenario — a department that has not claimed a cited 子项 cannot take part with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jianguan.accounts.models import DepartmentKind
from jianguan.core.errors import ValidationFailed

FOLDER = Path(__file__).with_name("scenarios")
NAME = "joint-scenarios"
CODE = re.compile(r"^\d{14}$")


class ScenarioInvalid(ValidationFailed):
    """A scenario file broke a rule; the message names the file, the scenario, the row and the rule."""


@dataclass(frozen=True)
class Row:
    line: str
    label: str
    catalog: tuple[str, ...]

    @property
    def line_label(self) -> str:
        return str(DepartmentKind(self.line).label)


@dataclass(frozen=True)
class Scenario:
    key: str
    name: str
    visit_hours: int
    rows: tuple[Row, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(row.line for row in self.rows)


@dataclass(frozen=True)
class Catalog:
    name: str
    version: str
    source: str
    scenarios: tuple[Scenario, ...]

    def get(self, key: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.key == key:
                return scenario
        raise ValidationFailed(f"“综合查一次”场景“{key}”不存在", code="scenario_unknown", field="scenario")


def _refuse(where: str, rule: str, code: str) -> ScenarioInvalid:
    return ScenarioInvalid(f"场景清单 {where}：{rule}", code=code, field="scenario")


def _row(where: str, raw: Any) -> Row:
    if not isinstance(raw, dict) or raw.get("line") not in DepartmentKind.values:
        raise _refuse(where, "条线（line）应为部门条线代码之一", "scenario_line_unknown")
    codes = raw.get("catalog")
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and CODE.match(c) for c in codes):
        raise _refuse(where, "每行应引用至少一个 14 位监管事项目录编码（catalog）", "scenario_catalog_missing")
    return Row(line=raw["line"], label=str(raw.get("label") or ""), catalog=tuple(codes))


def _scenario(file: str, raw: Any) -> Scenario:
    if not isinstance(raw, dict) or not raw.get("key") or not raw.get("name"):
        raise _refuse(file, "每个场景应有 key 和 name", "scenario_incomplete")
    rows = raw.get("rows")
    if not isinstance(rows, list) or not rows:
        raise _refuse(f"{file} {raw['key']}", "场景应列出各部门的检查事项（rows）", "scenario_incomplete")
    parsed = tuple(_row(f"{file} {raw['key']} 第 {n} 行", row) for n, row in enumerate(rows, start=1))
    if len({row.line for row in parsed}) != len(parsed):
        raise _refuse(f"{file} {raw['key']}", "同一条线在一个场景中只列一行", "scenario_line_repeated")
    hours = raw.get("visit_hours", 2)
    if not isinstance(hours, int) or not 1 <= hours <= 24:
        raise _refuse(f"{file} {raw['key']}", "现场检查时长（visit_hours）应为 1–24 小时", "scenario_hours_invalid")
    return Scenario(key=str(raw["key"]), name=str(raw["name"]), visit_hours=hours, rows=parsed)


def parse(file: str, data: Any) -> Catalog:
    """A scenario catalog already read, checked row by row."""
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
        raise _refuse(file, "文件应包含 scenarios 列表", "scenario_file_invalid")
    scenarios = tuple(_scenario(file, raw) for raw in data["scenarios"])
    if len({s.key for s in scenarios}) != len(scenarios):
        raise _refuse(file, "场景 key 不得重复", "scenario_key_repeated")
    return Catalog(name=str(data.get("name") or NAME), version=str(data.get("version") or ""),
                   source=str(data.get("source") or ""), scenarios=scenarios)


def load(path: Path) -> Catalog:
    return parse(path.name, json.loads(path.read_text(encoding="utf-8")))


@cache
def current() -> Catalog:
    """The newest scenario file of the folder (by its version in the name)."""
    newest = max(FOLDER.glob(f"{NAME}-*.json"), key=lambda p: [int(n) for n in re.findall(r"\d+", p.stem)])
    return load(newest)
