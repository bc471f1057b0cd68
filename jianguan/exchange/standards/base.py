"""Fields, standards and their configuration: the declarative form of an exchange table.

A `Standard` is a versioned table definition (name, Chinese title, fields, record rules, de-duplication keys). Its
fields carry their type, length, required flag, dictionary, pattern and check character; the field rules are
derived from them, in a fixed order, each bound to a stable id `<standard>.<field>.<kind>`. Dictionaries and the
quality settings are data ([config]): jianguan/exchange/data/dictionaries.json and quality.json.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jianguan.accounts
from jianguan.core.errors import DomainError

from . import rules as r
from . import values as v

DATA = Path(__file__).resolve().parent.parent / "data"
REGIONS = Path(jianguan.accounts.__file__).resolve().parent / "data"
TYPES = ("str", "int", "decimal", "date", "datetime", "bool", "list")


class UnknownStandard(DomainError):
    """No exchange standard has this name or title."""

    code = "standard_unknown"


@dataclass(frozen=True)
class Dictionary:
    name: str
    values: dict[str, str]  # code -> label
    aliases: dict[str, str]  # other accepted spelling (labels too, when accepted) -> code
    status: str
    note: str = ""

    @property
    def accepted(self) -> frozenset[str]:
        return frozenset(self.values) | frozenset(self.aliases)

    def code_of(self, value: str) -> str:
        return self.aliases.get(value, value)


def _region_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for path in sorted(REGIONS.glob("regions_*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        names = {row["code"]: row["name"] for row in rows}
        for row in rows:
            codes.setdefault(row["gb2260"], names.get(row["gb2260"], row["name"]))
    return codes


@cache
def dictionaries() -> dict[str, Dictionary]:
    """The dictionaries of data/dictionaries.json (read once; `reload()` reads them again)."""
    raw = json.loads((DATA / "dictionaries.json").read_text(encoding="utf-8"))["dictionaries"]
    found = {}
    for name, entry in raw.items():
        values = _region_codes() if entry.get("source") == "regions" else dict(entry.get("values", {}))
        aliases = dict(entry.get("aliases", {}))
        if entry.get("accept_labels"):
            for code, label in values.items():
                aliases.setdefault(label, code)
        aliases = {alias: code for alias, code in aliases.items() if alias not in values}
        found[name] = Dictionary(name, values, aliases, entry.get("status", "local"), entry.get("note", ""))
    return found


@cache
def settings() -> dict[str, Any]:
    """data/quality.json: timeliness limits and the codes each party category must carry."""
    return json.loads((DATA / "quality.json").read_text(encoding="utf-8"))


def category_prefixes() -> dict[str, tuple[str, ...]]:
    configured = settings()["party_category_prefixes"]
    return {category: ("ric",) if prefixes == "id_number" else tuple(prefixes)
            for category, prefixes in configured.items()}


def dictionary(name: str) -> Dictionary:
    try:
        return dictionaries()[name]
    except KeyError:
        raise KeyError(f"dictionary {name!r} is not in data/dictionaries.json") from None


@dataclass(frozen=True)
class Field:
    """One column of an exchange table. `type` is one of str, int, decimal, date, datetime, bool, list; for a list,
    `max_len`, `pattern`, `dictionary` and `check` apply to each item. `check`: uscc, ric, uscc_or_ric, impl_code.
    `multi` separates several dictionary values in one text (检查结果 joined by "；")."""

    id: str
    title: str
    type: str = "str"
    max_len: int | None = None
    fixed_len: int | None = None
    required: bool = False
    dictionary: str | None = None
    pattern: str | None = None
    pattern_note: str = ""
    check: str | None = None
    note: str = ""
    aliases: tuple[str, ...] = ()
    multi: str = ""
    places: int | None = None
    example: Any = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.id}: unknown type {self.type}")
        if self.check and self.check not in v.CHECKS:
            raise ValueError(f"{self.id}: unknown check {self.check}")

    @property
    def names(self) -> tuple[str, ...]:
        """Accepted keys, by priority: the ascii id, the Chinese title, the aliases."""
        return (self.id, self.title, *self.aliases)

    def describe(self) -> dict[str, Any]:
        """Type, length, required and dictionary in plain words (template notes, documentation)."""
        found = {"id": self.id, "title": self.title, "type": self.type, "type_label": v.TYPE_LABELS[self.type],
                 "required": self.required, "max_len": self.max_len, "fixed_len": self.fixed_len,
                 "pattern": self.pattern_note or (v.CHECK_SHAPES[self.check][1] if self.check else ""),
                 "check": self.check or "", "dictionary": self.dictionary or "", "note": self.note}
        if self.dictionary:
            entry = dictionary(self.dictionary)
            found["values"] = entry.values
            found["dictionary_status"] = entry.status
        return found


def _norm(key: str) -> str:
    text = unicodedata.normalize("NFKC", key)
    text = re.sub(r"\s+", "", text).replace("—", "-").replace("–", "-").replace("_", "")
    return text.lower()


@dataclass(eq=False)
class Standard:
    """A versioned exchange table. `rules` are the record rules (cross-field and references), `dedup` the keys
    that must not repeat in a batch. `action_date` / `report_date` feed the timeliness score under the
    `timeliness` settings entry."""

    name: str
    title: str
    version: str
    fields: tuple[Field, ...]
    rules: tuple[r.RecordRule, ...] = ()
    dedup: tuple[r.Dedup, ...] = ()
    key: str = "record_id"
    aliases: tuple[str, ...] = ()
    action_date: str | None = None
    report_date: str | None = None
    source: str = ""
    note: str = ""
    outbound: bool = False  # sent upward only: never accepted from a sender (standards/outbound.py)
    _by_id: dict[str, Field] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {f.id: f for f in self.fields}
        if len(self._by_id) != len(self.fields):
            raise ValueError(f"{self.name}: repeated field id")
        self._names: dict[str, tuple[str, int]] = {}
        for f in self.fields:
            for rank, name in enumerate(f.names):
                self._names.setdefault(_norm(name), (f.id, rank))
        self._lookups: dict[str, tuple[str, int] | None] = {}
        pos = 0
        self.field_rules: dict[str, dict[str, Any]] = {}
        for f in self.fields:
            plan = self._field_plan(f)
            for rule in (plan["required"], plan["type"], *plan["values"]):
                rule.bind(self, pos)
                pos += 1
            self.field_rules[f.id] = plan
        for rule in self.rules:
            for fid, _ in rule.inputs:
                self.field(fid)
            rule.bind(self, pos)
            pos += 1
        for rule in self.dedup:
            rule.bind(self, pos)
            pos += 1
        self.unknown_rule = r.UnknownField("")
        self.unknown_rule.bind(self, pos)

    def _field_plan(self, f: Field) -> dict[str, Any]:
        rules: list[r.ValueRule] = []
        if f.type == "list":
            rules.append(r.ItemBlank(f.id))
        if f.type in ("str", "list"):
            if f.fixed_len:
                rules.append(r.FixedLength(f.id, f.fixed_len))
            elif f.max_len:
                rules.append(r.MaxLength(f.id, f.max_len))
            if f.pattern:
                rules.append(r.Pattern(f.id, f.pattern, f.pattern_note))
            elif f.check:
                rules.append(r.Pattern(f.id, *v.CHECK_SHAPES[f.check]))
            if f.dictionary:
                entry = dictionary(f.dictionary)
                rule = r.InDictionary(f.id, f.dictionary, f.multi)
                rule.load(entry.accepted, entry.aliases)
                rules.append(rule)
            if f.check:
                rules.append(r.CheckChar(f.id, f.check))
        elif f.type in ("int", "decimal"):
            number = r"-?[0-9]+" if f.type == "int" else r"-?[0-9]+(?:\.[0-9]+)?"
            rules.append(r.Pattern(f.id, number, f"应为{v.TYPE_LABELS[f.type]}", code="number_invalid",
                                   kind="number", label="数值"))
            rules.append(r.Pattern(f.id, number[2:], "不能为负数", code="negative", kind="min_value",
                                   dimension="accuracy", label="非负"))
            if f.places is not None:
                rules.append(r.Pattern(f.id, rf"[0-9]+(?:\.[0-9]{{1,{f.places}}})?", f"最多 {f.places} 位小数",
                                       code="too_many_decimals", kind="decimals", label="小数位数"))
        elif f.type in ("date", "datetime"):
            rules.append(r.DateValue(f.id))
        plan: dict[str, Any] = {"required": r.Required(f.id), "type": r.TypeRule(f.id, f.type), "values": rules,
                                "to_code": {}}
        if f.dictionary:
            plan["to_code"] = dictionary(f.dictionary).aliases
        return plan

    # Lookups ---------------------------------------------------------------------------------------------------

    def field(self, field_id: str) -> Field:
        try:
            return self._by_id[field_id]
        except KeyError:
            raise KeyError(f"{self.name} has no field {field_id!r}") from None

    def has_field(self, field_id: str) -> bool:
        return field_id in self._by_id

    def lookup(self, key: str) -> tuple[str, int] | None:
        """(field id, priority) of a record key: ascii id, Chinese title or alias, tolerant of full-width
        brackets, spaces and dashes; None for a column the standard does not have."""
        try:
            return self._lookups[key]
        except KeyError:
            found = self._names.get(_norm(key)) if isinstance(key, str) else None
            self._lookups[key] = found
            return found

    def normalize(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record keyed by ascii field ids (when several keys name one field, the one of highest priority wins:
        ascii id, title, alias, and between spellings of equal priority the smallest); unknown columns are kept
        under their own key, so that a check reports them."""
        chosen: dict[str, tuple[tuple[int, str], Any]] = {}
        out: dict[str, Any] = {}
        for key, value in record.items():
            found = self.lookup(key)
            if found is None:
                out[key] = value
            elif found[0] not in chosen or (found[1], str(key)) < chosen[found[0]][0]:
                chosen[found[0]] = ((found[1], str(key)), value)
        out.update({fid: value for fid, (_, value) in chosen.items()})
        return out

    def unknown(self, record: dict[str, Any]) -> list[str]:
        return sorted(key for key in record if self.lookup(key) is None)

    def titled(self, record: dict[str, Any]) -> dict[str, Any]:
        """An ascii-keyed record keyed by Chinese titles, in field order."""
        return {f.title: record[f.id] for f in self.fields if f.id in record}

    def all_rules(self) -> list[r.Rule]:
        found: list[r.Rule] = []
        for plan in self.field_rules.values():
            found += [plan["required"], plan["type"], *plan["values"]]
        return [*found, *self.rules, *self.dedup, self.unknown_rule]

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "version": self.version, "key": self.key,
                "source": self.source, "note": self.note, "fields": [f.describe() for f in self.fields],
                "rules": [rule.describe() for rule in self.all_rules() if not isinstance(rule, r.Required)
                          or self.field(rule.field).required]}

    def timeliness(self) -> dict[str, Any] | None:
        """The timeliness limit of this standard ([config], data/quality.json), or None when not applicable."""
        if not (self.action_date and self.report_date):
            return None
        return settings()["timeliness"].get(self.name)

    def labels(self, field_id: str) -> dict[str, str]:
        """Code -> label of the field's dictionary ({} when it has none)."""
        name = self.field(field_id).dictionary
        return dictionary(name).values if name else {}

    def category_prefixes(self) -> dict[str, tuple[str, ...]]:
        return category_prefixes()

    def example(self) -> dict[str, Any]:
        """A synthetic record that passes every rule that needs no references (keyed by ascii ids)."""
        found = {}
        for f in self.fields:
            value = f.example() if callable(f.example) else f.example
            if value is not None:
                found[f.id] = list(value) if isinstance(value, list) else value
        return found


def names_of(name: str) -> str:
    return _norm(name)
