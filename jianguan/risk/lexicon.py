"""Lexicons: versioned data files of patterns, checked on load and compiled into one Aho–Corasick automaton.

A lexicon file (`lexicons/<name>.json`) holds `lexicon`, `version`, `source` and `entries`, each entry a rule id
(`model.rule`), the article of law it rests on and its patterns; `allow` lists names (institutions, places) inside
which no pattern counts, so 第一人民医院 or 最高人民法院 never make an absolute claim while 全国第一 beside them still
does. Patterns are normalised like the texts (`normalise.key`). Each pattern of two or more characters also matches
the usual evasions of it: a character written in pinyin (gen治) or as a listed homophone (跟治, `homophones.json`),
at most two characters so replaced and at least one kept, so a variant never becomes a pure Latin word; a variant
starting or ending in pinyin counts only where no other Latin letter touches it, and a variant counts only where no
real word listed in `homophones.json` (`words`: 治疗, 细胞 …) crosses its edge — in 跟治疗师 the 治 belongs to 治疗,
so 跟治 is no evasion of 根治 there, while 跟治 糖尿病 still is.

A file that breaks a rule is refused whole (`LexiconInvalid`), naming the file, the entry and its rule.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick
from pypinyin import Style, pinyin

from jianguan.core.errors import ValidationFailed
from jianguan.risk.normalise import Normalised, key

LEXICON_DIR = Path(__file__).with_name("lexicons")
RULE_ID = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
MAX_PATTERN = 40
MAX_REPLACED = 2
VARIANT_CONFIDENCE = 0.9


class LexiconInvalid(ValidationFailed):
    """A lexicon file broke a rule; the message names the file, the entry and its rule."""


@dataclass(frozen=True, slots=True)
class Term:
    """One pattern of a lexicon: the rule it serves, the article behind it and where it comes from."""

    rule: str
    article: str
    pattern: str
    lexicon: str
    version: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    name: str
    version: str
    source: str
    terms: tuple[Term, ...]
    allow: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in a normalised text, `[start, end)` in normalised offsets; `variant` when found as an evasion."""

    term: Term
    start: int
    end: int
    variant: bool

    @property
    def confidence(self) -> float:
        return VARIANT_CONFIDENCE if self.variant else 1.0


def _refuse(file: str, message: str, code: str, where: str = "") -> LexiconInvalid:
    return LexiconInvalid(f"词库文件 {file}{where}：{message}", code=code, field=file)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _entry_terms(file: str, head: dict[str, str], number: int, entry: Any) -> list[Term]:
    """The terms of entry `number` (1-based) of a file, or `LexiconInvalid` naming it."""
    if not isinstance(entry, dict):
        raise _refuse(file, "条目应为对象", "lexicon_entry_invalid", f" 第 {number} 条")
    rule = entry.get("rule")
    where = f" 第 {number} 条（规则 {rule}）"
    if not isinstance(rule, str) or not RULE_ID.match(rule):
        raise _refuse(file, "规则编号应形如“模型.规则”（小写英文）", "lexicon_rule_invalid", where)
    if not _text(entry.get("article")):
        raise _refuse(file, "须写明所依据的法律条款（article）", "lexicon_article_missing", where)
    patterns = entry.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise _refuse(file, "patterns 应为非空列表", "lexicon_patterns_missing", where)
    terms = []
    for pattern in patterns:
        if not isinstance(pattern, str) or not key(pattern):
            raise _refuse(file, f"模式 {json.dumps(pattern, ensure_ascii=False)} 规范化后为空（只有空格、标点或符号）",
                          "lexicon_pattern_empty", where)
        if len(pattern) > MAX_PATTERN:
            raise _refuse(file, f"模式“{pattern}”超过 {MAX_PATTERN} 个字符", "lexicon_pattern_too_long", where)
        terms.append(Term(rule, entry["article"].strip(), pattern, head["lexicon"], head["version"]))
    return terms


def parse(file: str, raw: bytes) -> Lexicon:
    """Check and read one lexicon file's bytes; `file` names it in errors."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise _refuse(file, "不是 UTF-8 编码", "lexicon_encoding") from error
    except json.JSONDecodeError as error:
        raise _refuse(file, f"不是有效的 JSON（第 {error.lineno} 行）", "lexicon_not_json") from error
    if not isinstance(data, dict):
        raise _refuse(file, "应为 JSON 对象", "lexicon_not_object")
    for name in ("lexicon", "version", "source"):
        if not _text(data.get(name)):
            raise _refuse(file, f"缺少 {name}", "lexicon_head_missing")
    entries, allow = data.get("entries", []), data.get("allow", [])
    if not isinstance(entries, list) or not isinstance(allow, list) or not (entries or allow):
        raise _refuse(file, "entries 与 allow 应为列表，且至少一个非空", "lexicon_empty")
    terms = [term for number, entry in enumerate(entries, 1) for term in _entry_terms(file, data, number, entry)]
    seen: dict[tuple[str, str], int] = {}
    for term in terms:
        pair = (term.rule, key(term.pattern))
        if pair in seen:
            raise _refuse(file, f"模式“{term.pattern}”重复", "lexicon_pattern_duplicate", f"（规则 {term.rule}）")
        seen[pair] = 1
    for number, name in enumerate(allow, 1):
        if not isinstance(name, str) or not key(name):
            raise _refuse(file, "排除名称规范化后为空", "lexicon_allow_empty", f" allow 第 {number} 项")
    return Lexicon(data["lexicon"], data["version"], data["source"], tuple(terms), tuple(allow), data)


@cache
def load(name: str) -> Lexicon:
    """The lexicon `lexicons/<name>.json`, checked."""
    path = LEXICON_DIR / f"{name}.json"
    if not path.is_file():
        raise LexiconInvalid(f"词库 {name} 不存在", code="lexicon_unknown", field=name)
    return parse(path.name, path.read_bytes())


@cache
def _spelling_data() -> dict[str, Any]:
    data = json.loads((LEXICON_DIR / "homophones.json").read_text("utf-8"))
    if not isinstance(data, dict) or not _text(data.get("version")):
        raise _refuse("homophones.json", "应为带 version 的 JSON 对象", "lexicon_head_missing")
    return data


@cache
def homophones() -> dict[str, tuple[str, ...]]:
    """Character → the homophones written for it to slip past filters (data, `lexicons/homophones.json`)."""
    table = _spelling_data().get("characters")
    if not isinstance(table, dict):
        raise _refuse("homophones.json", "缺少 characters（字 → 同音字列表）", "lexicon_head_missing")
    for char, others in table.items():
        if len(key(char)) != 1 or not isinstance(others, list) or not all(len(key(o)) == 1 for o in others):
            raise _refuse("homophones.json", "每个字应对应单字组成的列表", "lexicon_homophone_invalid", f"（{char}）")
    return {key(char): tuple(key(other) for other in others) for char, others in table.items()}


@cache
def real_words() -> tuple[str, ...]:
    """Real words that a variant's characters may belong to (`homophones.json`, `words`): a variant crossing the
    edge of one is read as that word, not as an evasion (跟治疗师 is 跟 + 治疗师, not 根治)."""
    words = _spelling_data().get("words", [])
    if not isinstance(words, list) or not all(isinstance(word, str) and len(key(word)) >= 2 for word in words):
        raise _refuse("homophones.json", "words 应为至少两个字的词语列表", "lexicon_words_invalid")
    return tuple(key(word) for word in words)


def _spellings(char: str) -> list[str]:
    """The other ways `char` is written to evade a filter: its pinyin (every reading) and its listed homophones."""
    if not ("\u3400" <= char <= "\u9fff"):
        return []
    readings = [reading for group in pinyin(char, style=Style.NORMAL, heteronym=True) for reading in group]
    return [reading for reading in dict.fromkeys(readings) if reading.isascii()] + list(homophones().get(char, ()))


def variants(pattern: str) -> set[str]:
    """The evasive spellings of a normalised pattern (see the module's docstring); the pattern itself excluded."""
    found: set[str] = set()
    options = [_spellings(char) for char in pattern]
    chinese = [place for place, spellings in enumerate(options) if spellings]
    most = min(MAX_REPLACED, len(chinese) - 1)
    for count in range(1, most + 1):
        for places in itertools.combinations(chinese, count):
            for choice in itertools.product(*(options[place] for place in places)):
                chars = list(pattern)
                for place, spelling in zip(places, choice, strict=True):
                    chars[place] = spelling
                found.add("".join(chars))
    found.discard(pattern)
    return found


ALLOWED = (None, False)  # the payload of an allowed name: no term counts inside it
WORD = (None, True)  # the payload of a real word (`real_words`): no variant counts across its edge


class Matcher:
    """All terms of some lexicons in one automaton; `find` returns the matches that no allowed name covers."""

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        self.lexicons = tuple(lexicons)
        table: dict[str, list[tuple[Term | None, bool]]] = {}
        for lexicon in lexicons:
            for term in lexicon.terms:
                pattern = key(term.pattern)
                table.setdefault(pattern, []).append((term, False))
                for variant in variants(pattern):
                    table.setdefault(variant, []).append((term, True))
            for name in lexicon.allow:
                table.setdefault(key(name), []).append(ALLOWED)
        for word in real_words():
            table.setdefault(word, []).append(WORD)
        self.automaton = ahocorasick.Automaton()
        for word, payloads in table.items():
            self.automaton.add_word(word, (len(word), tuple(payloads)))
        self.automaton.make_automaton()
        self.size = len(self.automaton)

    def find(self, text: Normalised) -> list[Match]:
        """The matches in `text`, variants only at Latin word edges and where no real word crosses their edge,
        without those inside an allowed name or inside a longer match of the same rule."""
        source = text.text
        if not source or not self.size:
            return []
        allowed: list[tuple[int, int]] = []
        inner: set[int] = set()  # the positions inside a real word (between two of its characters)
        found: list[Match] = []
        for last, (length, payloads) in self.automaton.iter(source):
            start, end = last - length + 1, last + 1
            for term, variant in payloads:
                if term is None and variant:
                    inner.update(range(start + 1, end))
                elif term is None:
                    allowed.append((start, end))
                elif not variant or _at_edges(source, start, end):
                    found.append(Match(term, start, end, variant))
        if not found:
            return found
        found = [match for match in found if not (match.variant and {match.start, match.end} & inner)]
        return _outermost(_outside(found, allowed))

    def versions(self) -> dict[str, str]:
        """The version of each lexicon, and of the spellings (homophones and real words) matched with them."""
        return {**{lexicon.name: lexicon.version for lexicon in self.lexicons},
                "homophones": str(_spelling_data()["version"])}


def _at_edges(text: str, start: int, end: int) -> bool:
    """A pinyin spelling at an edge of the match is no part of a longer Latin word."""
    before = start > 0 and text[start].isascii() and text[start - 1].isascii() and text[start - 1].isalpha()
    after = end < len(text) and text[end - 1].isascii() and text[end].isascii() and text[end].isalpha()
    return not (before or after)


def _outside(matches: list[Match], spans: list[tuple[int, int]]) -> list[Match]:
    """The matches not inside any of `spans` (allowed names), in O((n + m) log m)."""
    if not spans:
        return matches
    spans.sort()
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))
    kept = []
    for match in matches:
        place = bisect.bisect_right(starts, match.start) - 1
        if place < 0 or reach[place] < match.end:
            kept.append(match)
    return kept


def _outermost(matches: list[Match]) -> list[Match]:
    """Per rule, the matches not inside a longer one (nor repeating the same span), in text order; O(n log n)."""
    ordered = sorted(matches, key=lambda match: (match.term.rule, match.start, -match.end))
    kept: list[Match] = []
    rule, reach = "", -1
    for match in ordered:
        if match.term.rule != rule:
            rule, reach = match.term.rule, -1
        if match.end > reach:
            kept.append(match)
            reach = match.end
    return sorted(kept, key=lambda match: (match.start, match.end))
