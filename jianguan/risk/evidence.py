"""What a rule sees and what it returns: the input line (`Context`), the indicator it serves, and its `Hit`s.

A hit quotes the original text of one input field, `[start, end)` in that field's characters (not the normalised
ones), so a reader finds the words where they were written. A hit about a field's absence has no quote and no
offsets. A hit with weight 0 says what the model could not judge (a register it does not see), never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from jianguan.risk.lexicon import Match, Matcher
from jianguan.risk.normalise import Normalised

if TYPE_CHECKING:
    from jianguan.risk.registers import Registers


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of a model: its rule id, the article it rests on, its weight (severity, 0–1) and the named rule
    function that judges it, with that function's parameters (`options`, data of the definition)."""

    id: str
    title: str
    article: str
    weight: float
    rule: str
    fields: tuple[str, ...] = ("text",)
    options: Mapping[str, Any] = field(default_factory=dict)
    registers: tuple[str, ...] = ()  # a register check: the register kinds whose absence it stands for


@dataclass(frozen=True, slots=True)
class Hit:
    rule: str
    article: str
    quote: str
    start: int | None
    end: int | None
    field: str
    note: str = ""
    weight: float = 0.0
    confidence: float = 1.0

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "article": self.article, "quote": self.quote, "start": self.start,
                "end": self.end, "field": self.field, "note": self.note}


def any_form(forms: Iterable[str]) -> re.Pattern[str]:
    """The forms (regular expressions of a definition) as one pattern: `fullmatch` finds a value of any of them
    whole, in one call."""
    return _alternation(tuple(forms))


@cache
def _alternation(forms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{form})" for form in forms))


class Context:
    """One input line as the rules read it: its checked fields, each text normalised once and matched once, and the
    registers the judge was given (None: none).

    `texts` may be shared by the contexts of one line judged by several models (the same fields, normalised the same
    way), so each text is normalised once for all of them."""

    def __init__(self, record: Mapping[str, Any], matcher: Matcher, registers: Registers | None = None,
                 texts: dict[str, Normalised] | None = None) -> None:
        self.record = record
        self.matcher = matcher
        self.registers = registers
        self._texts: dict[str, Normalised] = {} if texts is None else texts
        self._matches: dict[str, list[Match]] = {}
        self._rules: dict[tuple[str, ...], set[str]] = {}

    def value(self, name: str) -> Any:
        return self.record.get(name)

    def text(self, name: str) -> Normalised:
        found = self._texts.get(name)
        if found is None:
            value = self.record.get(name)
            found = self._texts[name] = Normalised(value if isinstance(value, str) else "")  # as `normalise`
        return found

    def matches(self, name: str, rule: str | None = None) -> list[Match]:
        found = self._matches.get(name)
        if found is None:
            text = self._texts.get(name)
            found = self._matches[name] = self.matcher.find(text if text is not None else self.text(name))
        if not rule or not found:
            return found
        return [match for match in found if match.term.rule == rule]

    def rules_in(self, names: tuple[str, ...]) -> set[str]:
        """The rule ids matched in the fields `names`."""
        found = self._rules.get(names)
        if found is None:
            found = self._rules[names] = {match.term.rule for name in names for match in self.matches(name)}
        return found

    def register(self, kind: str) -> Registers | None:
        """The registers, where the register `kind` is loaded at all (else the model says what to check)."""
        return self.registers if self.registers is not None and self.registers.loaded(kind) else None

    @cached_property
    def all_rules(self) -> set[str]:
        """The rule ids matched in any text field of the line."""
        return {match.term.rule for name, value in self.record.items() if isinstance(value, str)
                for match in self.matches(name)}

    def hit(self, indicator: Indicator, name: str, match: Match, note: str = "") -> Hit:
        """The hit quoting `match` in field `name` by its original offsets."""
        start, end = self.text(name).span(match.start, match.end)
        return Hit(indicator.id, indicator.article, self.record[name][start:end], start, end, name,
                   note or f"词库 {match.term.lexicon} {match.term.version}：{match.term.pattern}"
                   + ("（规避写法）" if match.variant else ""), indicator.weight, match.confidence)

    def field_hit(self, indicator: Indicator, name: str, note: str) -> Hit:
        """A hit about field `name` as a whole: its value quoted whole, or no quote when it is absent."""
        value = self.record.get(name)
        if value is None:
            return Hit(indicator.id, indicator.article, "", None, None, name, note, indicator.weight)
        if not isinstance(value, str):
            return Hit(indicator.id, indicator.article, str(value), None, None, name, note, indicator.weight)
        return Hit(indicator.id, indicator.article, value, 0, len(value), name, note, indicator.weight)


Rule = Callable[[Context, Indicator], list[Hit]]
RULES: dict[str, Rule] = {}
REGISTER_RULES: set[str] = set()  # the rules that find nothing where the judge was given no registers


def rule(name: str, *, registers: bool = False) -> Callable[[Rule], Rule]:
    """Register a named rule function (a definition's indicator names it in `rule`); `registers`: it judges the line
    against the registers only, so it finds nothing without them and a judge given none need not call it."""

    def register(function: Rule) -> Rule:
        RULES[name] = function
        if registers:
            REGISTER_RULES.add(name)
        return function

    return register
