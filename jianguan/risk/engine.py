"""The model engine: a model is versioned data (`definitions/<name>.json`) run by small named rule functions.

A definition names its input fields, the lexicons it matches with, its indicators (rule id, the article of law it
rests on, weight, the rule function and that function's options), the alert threshold, the bands (红/橙/黄) and the
register checks it cannot do itself. `Model.judge` runs every indicator over one checked line and scores it:

    score = 100 × (1 − Π (1 − weight × confidence)) × exposure × entity_risk

over each indicator's strongest hit (risk-models.md §6: severity is the weight, confidence 1.0 for a rule hit and
less for an evasive spelling; exposure and entity risk are 1.0 until the observations bring them). The band is the
first whose floor the score reaches; a line alerts from the threshold on. An alert also lists, as hits of weight 0,
what must be checked against a register the model does not see: a register check naming register kinds
(`registers`) is said only where the judge was given no registers or one of those kinds is not loaded, since the
rules of `rules_registers.py` judge the line against the registers that are (ADR 0037).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from jianguan.core.errors import ValidationFailed
from jianguan.risk import evidence, inputs, lexicon, rules, rules_listings, rules_registers
from jianguan.risk.evidence import REGISTER_RULES, RULES, Context, Hit, Indicator, Rule
from jianguan.risk.inputs import Field
from jianguan.risk.normalise import Normalised
from jianguan.risk.registers import KINDS, Registers

DEFINITIONS = Path(__file__).with_name("definitions")
MAX_HITS = 50
MODEL_NAMES = ("medical_ad", "fundraising", "drug_sales", "rx_sales", "device_sales")
RULE_MODULES = (rules, rules_listings, rules_registers)  # importing them registers their named rule functions


class ModelUnknown(ValidationFailed):
    """No model of that name."""


class DefinitionInvalid(ValidationFailed):
    """A model's definition file broke a rule; the message names the file and the indicator."""


@dataclass(frozen=True, slots=True)
class Verdict:
    id: str | int
    alert: bool
    score: float
    band: str | None
    hits: tuple[Hit, ...]
    model: str
    version: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "alert": self.alert, "score": self.score, "band": self.band,
                "hits": [hit.as_json() for hit in self.hits], "model": self.model, "version": self.version}


@dataclass(frozen=True)
class Scope:
    """The lines a model judges: a listing whose `field` has the form of another product's number (a drug's
    批准文号 read by the device model, a device's 注册证/备案编号 by the drug models) is not judged by it — an
    unjudged line says why (a weight-0 note), instead of an alert that the number is of the wrong form."""

    rule: str
    field: str
    forms: re.Pattern[str]  # the forms as one alternation: a value of any of them matches it whole
    note: str

    def outside(self, record: Mapping[str, Any]) -> Hit | None:
        value = record.get(self.field)
        if not isinstance(value, str) or not self.forms.fullmatch(value.strip()):
            return None
        return Hit(self.rule, "", value.strip(), None, None, self.field, self.note)


@dataclass(frozen=True)
class Model:
    name: str
    title: str
    version: str
    fields: Mapping[str, Field]
    one_of: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    threshold: float
    bands: tuple[tuple[str, float], ...]
    register_checks: tuple[Indicator, ...]
    matcher: lexicon.Matcher
    scope: Scope | None = None

    def check(self, data: Any, *, extra: Mapping[str, Field] | None = None) -> dict[str, Any]:
        """One input line's object checked against the model's fields (`inputs.InputInvalid` naming the field)."""
        record = self._checker(extra)(data)
        if self.one_of and not any(name in record for name in self.one_of):
            raise inputs.InputInvalid(f"{'、'.join(self.one_of)} 至少填写一项", code="required", field=self.one_of[0])
        return record

    @cached_property
    def _checkers(self) -> dict[int, tuple[Mapping[str, Field] | None, inputs.Checker]]:
        return {}

    def _checker(self, extra: Mapping[str, Field] | None) -> inputs.Checker:
        """The check of the model's fields and `extra`, prepared once per `extra` (the back-test's label or none)."""
        found = self._checkers.get(id(extra))
        if found is None or found[0] is not extra:
            found = self._checkers[id(extra)] = (extra, inputs.Checker({**self.fields, **extra} if extra
                                                                       else self.fields))
        return found[1]

    @cached_property
    def input_key(self) -> tuple[Any, ...]:
        """What `check` depends on: models with equal keys accept and check a line alike."""
        return (*((f.name, f.type, f.required, f.label) for f in self.fields.values()), *self.one_of)

    @cached_property
    def plan(self) -> tuple[tuple[Rule, Indicator, bool], ...]:
        """Each indicator with its rule function, looked up once, and whether it is a plain lexicon rule (which finds
        nothing where no term of its rule was found in its fields, so it need not be called there)."""
        return tuple((RULES[indicator.rule], indicator, indicator.rule == "lexicon") for indicator in self.indicators)

    @cached_property
    def unlexical_plan(self) -> tuple[tuple[Rule, Indicator, bool], ...]:
        """The plan's rules that are not plain lexicon rules: all a line with no lexicon match needs calling."""
        return tuple(entry for entry in self.plan if not entry[2])

    @cached_property
    def unregistered_plans(self) -> tuple[tuple[tuple[Rule, Indicator, bool], ...], ...]:
        """The plan and its unlexical part without the rules that judge against the registers only
        (`evidence.REGISTER_RULES`): what a judge given no registers calls (those rules would find nothing)."""
        return tuple(tuple(entry for entry in plan if entry[1].rule not in REGISTER_RULES)
                     for plan in (self.plan, self.unlexical_plan))

    @cached_property
    def lexical_fields(self) -> tuple[str, ...]:
        """Every field some plain lexicon rule reads: the rules matched in them, found once a line, tell which of
        those rules need calling (a rule matched only in another field of theirs finds nothing when called)."""
        return tuple(dict.fromkeys(name for _, indicator, lexical in self.plan if lexical
                                   for name in indicator.fields))

    @cached_property
    def register_hits(self) -> tuple[Hit, ...]:
        return tuple(Hit(check.id, check.article, "", None, None, "", check.title) for check in self.register_checks)

    def _register_hits(self, registers: Registers | None) -> Sequence[Hit]:
        """The register checks an alert lists: a check naming register kinds only where one of them is not loaded."""
        if registers is None:
            return self.register_hits
        return [hit for check, hit in zip(self.register_checks, self.register_hits, strict=True)
                if not check.registers or not all(map(registers.loaded, check.registers))]

    def judge(self, record: Mapping[str, Any], *, registers: Registers | None = None, exposure: float = 1.0,
              entity_risk: float = 1.0, texts: dict[str, Normalised] | None = None,
              more: Sequence[Hit] = ()) -> Verdict:
        """The verdict on one checked line, against `registers` where given (`texts`: the line's normalised texts,
        shared with other models; `more`: hits found beside it among the stored data, `crossline`)."""
        verdict = self.judged(record, registers=registers, exposure=exposure, entity_risk=entity_risk, texts=texts,
                              more=more)
        return verdict if verdict is not None else self.quiet(record["id"])

    def quiet(self, id: str | int) -> Verdict:
        """The verdict on a line in which nothing was found: no hit, score 0, no band, no alert."""
        return Verdict(id, False, 0.0, None, (), self.name, self.version)

    def judged(self, record: Mapping[str, Any], *, registers: Registers | None = None, exposure: float = 1.0,
               entity_risk: float = 1.0, texts: dict[str, Normalised] | None = None,
               more: Sequence[Hit] = ()) -> Verdict | None:
        """As `judge`, but None for a line in which nothing was found (`quiet`), most lines of a scan: a caller
        printing verdicts prints that one without building it (`batch.printed`)."""
        if self.scope is not None and (outside := self.scope.outside(record)) is not None:
            return Verdict(record["id"], False, 0.0, None, (outside,), self.name, self.version)
        context = Context(record, self.matcher, registers, texts)
        hits: list[Hit] = []
        present = context.rules_in(self.lexical_fields)
        plans = (self.plan, self.unlexical_plan) if registers is not None else self.unregistered_plans
        for function, indicator, lexical in plans[0] if present else plans[1]:
            if lexical and indicator.id not in present:
                continue
            found = function(context, indicator)
            if found:
                hits += found
        hits += more
        if not hits and self.threshold > 0:  # nothing found: the score rescore gives no hits, 0 and no band
            return None
        best: dict[str, float] = {}
        for hit in hits:
            best[hit.rule] = max(best.get(hit.rule, 0.0), hit.weight * hit.confidence)
        score, band = self.rescore(best.values(), exposure=exposure, entity_risk=entity_risk)
        if len(hits) >= MAX_HITS:
            hits = _listed(hits)
        alert = score >= self.threshold
        if alert:
            hits += self._register_hits(registers)
        return Verdict(record["id"], alert, score, band, tuple(hits), self.name, self.version)

    def rescore(self, strengths: Iterable[float], *, exposure: float = 1.0,
                entity_risk: float = 1.0) -> tuple[float, str | None]:
        """(score, band) from each indicator's strongest hit (weight × confidence), the exposure and the entity
        risk; band None below the alert threshold (and between it and the lowest band's floor). `judge` scores a
        line by it, and a stored alert is scored again by it when its entity risk or exposure changes
        (`alerts.rescored`), without reading its texts again."""
        remaining = 1.0
        for strength in strengths:
            remaining *= 1.0 - strength
        score = round(100 * (1.0 - remaining) * exposure * entity_risk, 1)
        if score < self.threshold:
            return score, None
        for name, floor in self.bands:
            if score >= floor:
                return score, name
        return score, None


def _listed(hits: list[Hit]) -> list[Hit]:
    """At most `MAX_HITS` hits per rule, the last listed saying how many more there are (a text repeating a claim
    ten thousand times needs no ten thousand quotes)."""
    listed: list[Hit] = []
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.rule] = counts.get(hit.rule, 0) + 1
    seen: dict[str, int] = {}
    for hit in hits:
        seen[hit.rule] = seen.get(hit.rule, 0) + 1
        if seen[hit.rule] < MAX_HITS or (seen[hit.rule] == MAX_HITS and counts[hit.rule] == MAX_HITS):
            listed.append(hit)
        elif seen[hit.rule] == MAX_HITS:
            listed.append(replace(hit, note=f"{hit.note}（另有 {counts[hit.rule] - MAX_HITS} 处未列出）"))
    return listed


def _refuse(file: str, message: str, where: str = "") -> DefinitionInvalid:
    return DefinitionInvalid(f"模型定义 {file}{where}：{message}", code="definition_invalid", field=file)


def _indicator(file: str, item: Any) -> Indicator:
    where = f"（指标 {item.get('id') if isinstance(item, dict) else item}）"
    if not isinstance(item, dict) or not all(isinstance(item.get(name), str) for name in ("id", "title", "article")):
        raise _refuse(file, "指标须有 id、title、article", where)
    if item.get("rule", "lexicon") not in RULES:
        raise _refuse(file, f"没有名为 {item.get('rule')} 的规则函数", where)
    if not isinstance(item.get("registers", []), list) or not set(item.get("registers", [])) <= set(KINDS):
        raise _refuse(file, f"registers 应为登记种类（{'、'.join(KINDS)}）的列表", where)
    weight = item.get("weight", 0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1:
        raise _refuse(file, "权重应在 0 与 1 之间", where)
    return Indicator(item["id"], item["title"], item["article"], float(weight), item.get("rule", "lexicon"),
                     tuple(item.get("fields", ["text"])), item.get("options", {}), tuple(item.get("registers", [])))


def parse(file: str, data: Mapping[str, Any]) -> Model:
    """A model from its definition's data, checked (`DefinitionInvalid` naming the file and indicator)."""
    for name in ("model", "title", "version", "fields", "lexicons", "indicators", "threshold", "bands"):
        if name not in data:
            raise _refuse(file, f"缺少 {name}")
    if isinstance(data["fields"], str):
        data = {**data, "fields": json.loads((DEFINITIONS / data["fields"]).read_text("utf-8"))}
    for name, spec in data["fields"].items():
        if not isinstance(spec, dict) or spec.get("type") not in inputs.TYPES or not spec.get("label"):
            raise _refuse(file, f"字段 {name} 的类型应为 {'、'.join(inputs.TYPES)} 之一，并有 label")
    bands = tuple((str(name), float(floor)) for name, floor in data["bands"])
    if [floor for _, floor in bands] != sorted((floor for _, floor in bands), reverse=True):
        raise _refuse(file, "分级（bands）应按下限从高到低排列")
    if bands[-1][1] < data["threshold"]:
        raise _refuse(file, "最低一级的下限不得低于预警阈值")
    matcher = lexicon.Matcher([lexicon.load(name) for name in data["lexicons"]])
    scope = _scope(file, data["model"], data.get("scope"), data["fields"])
    return Model(data["model"], data["title"], data["version"], inputs.fields_of(data["fields"]),
                 tuple(data.get("one_of", [])), tuple(_indicator(file, item) for item in data["indicators"]),
                 float(data["threshold"]), bands,
                 tuple(_indicator(file, {**item, "weight": 0}) for item in data.get("register_checks", [])), matcher,
                 scope)


def _scope(file: str, name: str, item: Any, fields: Mapping[str, Any]) -> Scope | None:
    """The definition's `scope` ({field, outside: [forms], note}) checked, its forms compiled; None without one."""
    if item is None:
        return None
    if not isinstance(item, dict) or item.get("field") not in fields or not isinstance(item.get("note"), str):
        raise _refuse(file, "scope 须有本模型的字段 field、说明 note 和编号格式 outside")
    outside = item.get("outside")
    if not isinstance(outside, list) or not outside or not all(isinstance(form, str) for form in outside):
        raise _refuse(file, "scope.outside 应为非空的编号格式（正则表达式）列表")
    try:
        forms = evidence.any_form(outside)
    except re.error as error:
        raise _refuse(file, f"scope.outside 的格式不是有效的正则表达式（{error}）") from error
    return Scope(f"{name}.out_of_scope", item["field"], forms, item["note"])


@cache
def model(name: str) -> Model:
    """The model `name` (one of `MODEL_NAMES`), loaded once."""
    if name not in MODEL_NAMES:
        raise ModelUnknown(f"没有名为 {name} 的模型；可用：{'、'.join(MODEL_NAMES)}", code="model_unknown",
                           field="model")
    path = DEFINITIONS / f"{name}.json"
    return parse(path.name, json.loads(path.read_text("utf-8")))


def judge_all(name: str, records: Sequence[Mapping[str, Any]], registers: Registers | None = None) -> list[Verdict]:
    """The verdicts on checked lines, in their order."""
    chosen = model(name)
    return [chosen.judge(record, registers=registers) for record in records]


def verdicts(names: Sequence[str], data: Any) -> list[Verdict]:
    """One line checked and judged by each model of `names`, in that order; its texts are normalised once for all
    of them (an ad read by `medical_ad` and `fundraising`, a listing by the three listing models), and it is checked
    once for models with the same fields (the listing models share theirs)."""
    return [verdict if verdict is not None else chosen.quiet(record["id"])
            for chosen, record, verdict in findings(names, data)]


def findings(names: Sequence[str], data: Any) -> list[tuple[Model, dict[str, Any], Verdict | None]]:
    """As `verdicts`, each model with the line as it checked it and its verdict, None where nothing was found
    (`Model.judged`)."""
    texts: dict[str, Normalised] = {}
    found = []
    record: dict[str, Any] = {}
    for chosen, checks in _route(tuple(names)):
        if checks:
            record = chosen.check(data)
        found.append((chosen, record, chosen.judged(record, texts=texts)))
    return found


@cache
def _route(names: tuple[str, ...]) -> tuple[tuple[Model, bool], ...]:
    """Each model of `names` and whether it checks the line itself: not where the model before it checks it alike
    (`Model.input_key`), worked out once per list of models rather than per line."""
    found = []
    checked: tuple[Any, ...] | None = None
    for name in names:
        chosen = model(name)
        found.append((chosen, checked != chosen.input_key))
        checked = chosen.input_key
    return tuple(found)
