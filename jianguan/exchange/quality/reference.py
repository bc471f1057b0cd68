"""The rules applied record by record, in plain code: the definition the column engine (`engine.py`) is held to,
and what both answer with (`Verdict`) and consult for 关联性 (`Refs`, `MemoryRefs`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple, Protocol

from .. import standards
from ..standards import Standard
from ..standards import values as v
from ..standards.rules import Issue, RefRule, Window


class Verdict(NamedTuple):
    """The check of one record: its position in the input, its 记录唯一标识, whether it passed, its issues."""

    index: int
    record_id: str
    ok: bool
    errors: tuple[Issue, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "record_id": self.record_id, "ok": self.ok,
                "errors": [issue.as_dict() for issue in self.errors]}


class Refs(Protocol):
    """Look-ups a check needs for 关联性; each answers a whole batch of distinct codes at once. A period is
    (first day, end day or None): in force from the first day until the day before the end."""

    def catalog_windows(self, codes: Collection[str]) -> Mapping[str, Sequence[Window]]:
        """For each 目录编码 (子项) among `codes` that exists: the periods it was in force (maybe none)."""
        ...

    def implementation_windows(self, codes: Collection[str]) -> Mapping[str, tuple[str, str, Sequence[Window]]]:
        """For each 检查实施清单编码 among `codes` that exists: (its 子项 code, its body's USCC, the periods it was
        in force, its 子项 in force too)."""
        ...

    def known_inspections(self, numbers: Collection[str]) -> Collection[str]:
        """The 检查行为编号 among `numbers` that exist."""
        ...


class MemoryRefs:
    """Refs from plain data (offline checks, tests, benchmarks): catalog code -> periods in force;
    implementation code -> (子项 code, body USCC, periods); the known inspection numbers. `calls` counts look-ups."""

    def __init__(self, *, catalog: Mapping[str, Sequence[Window]] | None = None,
                 implementations: Mapping[str, tuple[str, str, Sequence[Window]]] | None = None,
                 inspections: Iterable[str] = ()) -> None:
        self.catalog = dict(catalog or {})
        self.implementations = dict(implementations or {})
        self.inspections = frozenset(inspections)
        self.calls = 0

    def catalog_windows(self, codes):
        self.calls += 1
        return {code: self.catalog[code] for code in codes if code in self.catalog}

    def implementation_windows(self, codes):
        self.calls += 1
        return {code: self.implementations[code] for code in codes if code in self.implementations}

    def known_inspections(self, numbers):
        self.calls += 1
        return self.inspections.intersection(numbers)


# The reference: record by record ---------------------------------------------------------------------------------


def _field_value(field, plan: dict[str, Any], raw: Any) -> tuple[Any, str | None, tuple[int, Issue] | None]:
    """(clean value, text, first issue) of one field of one record."""
    required, type_rule = plan["required"], plan["type"]
    missing = (required.pos, required.issue(required.code, required.message())) if field.required else None
    if v.blank(raw):
        return None, None, missing
    if field.type == "bool":
        flag = v.as_bool(raw)
        if flag is None:
            return None, None, (type_rule.pos, type_rule.issue(type_rule.code, type_rule.message(raw)))
        return flag, None, None
    if field.type == "list":
        items = v.as_items(raw)
        if items is None:
            return None, None, (type_rule.pos, type_rule.issue(type_rule.code, type_rule.message(raw)))
        if not items:
            return None, None, missing
        for rule in plan["values"]:
            for item in items:
                if rule.fails(item):
                    return None, None, (rule.pos, rule.issue(rule.code, rule.message(item)))
        return items, None, None
    text = v.as_text(raw)
    if text is None:
        return None, None, (type_rule.pos, type_rule.issue(type_rule.code, type_rule.message(raw)))
    for rule in plan["values"]:
        if rule.fails(text):
            return None, text, (rule.pos, rule.issue(rule.code, rule.message(text)))
    if field.type in ("date", "datetime"):
        return v.parse_date(text), text, None
    return plan["to_code"].get(text, text), text, None


def _fields_of(standard: Standard, record: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """The record's value of each field (by the key of highest priority: ascii id, title, alias; between keys of
    equal priority — spellings of one title — the smallest) and its unknown keys."""
    values: dict[str, Any] = {}
    ranks: dict[str, tuple[int, str]] = {}
    unknown = []
    for key, value in record.items():
        found = standard.lookup(key)
        if found is None:
            unknown.append(key)
        elif found[0] not in ranks or (found[1], str(key)) < ranks[found[0]]:
            values[found[0]], ranks[found[0]] = value, (found[1], str(key))
    return values, sorted(unknown, key=str)


def check_reference(standard: Standard | str, records: Sequence[Mapping[str, Any]], *,
                    refs: Refs | None = None) -> list[Verdict]:
    """The rules applied record by record, in plain code: the definition the engine is held to."""
    standard = standards.get(standard)
    found: list[list[tuple[int, Issue]]] = []
    all_texts: list[dict[str, Any]] = []
    for record in records:
        values, unknown = _fields_of(standard, record)
        issues: list[tuple[int, Issue]] = []
        clean: dict[str, Any] = {}
        texts: dict[str, Any] = {}
        for field in standard.fields:
            clean[field.id], texts[field.id], issue = _field_value(field, standard.field_rules[field.id],
                                                                   values.get(field.id))
            if issue:
                issues.append(issue)
        for rule in standard.rules:
            inputs = tuple(clean[f] if mode == "clean" else values.get(f) for f, mode in rule.inputs)
            if isinstance(rule, RefRule):
                if refs is None or None in inputs[:rule.needed]:
                    continue
                result = rule.lookup(refs, {inputs}).get(inputs)
            else:
                result = rule.test(*inputs)
            if result:
                issues.append((rule.pos, rule.issue(*result)))
        issues += [(standard.unknown_rule.pos, standard.unknown_rule.for_key(key)) for key in unknown]
        found.append(issues)
        all_texts.append(texts)
    for rule in standard.dedup:
        for row, other in rule.flag([rule.key(texts) for texts in all_texts]):
            found[row].append((rule.pos, rule.issue(rule.code, rule.message(other))))
    verdicts = []
    for index, (issues, texts) in enumerate(zip(found, all_texts, strict=True)):
        issues.sort(key=itemgetter(0))
        errors = tuple(issue for _, issue in issues)
        verdicts.append(Verdict(index, texts.get(standard.key) or "", not errors, errors))
    return verdicts


def check_record(standard: Standard | str, record: Mapping[str, Any], *, refs: Refs | None = None) -> Verdict:
    """Check one record (no batch to find duplicates in)."""
    return check_reference(standard, [record], refs=refs)[0]
