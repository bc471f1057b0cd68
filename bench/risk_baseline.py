"""The baseline of the risk benchmark: the models' own lexicons found by a loop of `str.find` per word over the raw
text, as keyword filters do, and the comparison of what it finds with what the engine finds.

The words are every entry of a model's automaton: each pattern as normalised, each evasive spelling the lexicon
side generates for it (pinyin, homophones) and each allowed name. The loop lowers the text (the patterns are lower
case) and finds every occurrence of every word. What it found then passes the same three rules the engine's matcher
applies after its automaton (a spelling with pinyin at an edge counts only where no other Latin letter touches it;
nothing inside an allowed name; per rule nothing inside a longer match), so both sides are compared on what they
find, not on those rules.

The comparison: per line, model and text field, the set of (rule, pattern, spelling or not, start, end) with start
and end offsets into the text as sent. On text written as listed (no spaces, zero-width characters, emoji,
traditional characters inside a word) both must find the same set; on evaded text the loop misses what only
normalisation finds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from jianguan.risk import engine
from jianguan.risk.lexicon import Match, Matcher, _at_edges, _outermost, _outside
from jianguan.risk.normalise import normalise

TEXT_FIELDS = ("text", "product_name", "name", "business_scope")
Found = frozenset[tuple[str, str, bool, int, int]]


def words(matcher: Matcher) -> list[tuple[str, int, tuple[Any, ...]]]:
    """Every word of the matcher's automaton with its length and payloads (the terms it stands for)."""
    return [(word, length, payloads) for word, (length, payloads) in matcher.automaton.items()]


def keyword_loop(table: Sequence[tuple[str, int, tuple[Any, ...]]], value: str) -> list[Match]:
    """The matches of `table`'s words in `value`, found by `str.find` word by word (offsets into `value`)."""
    text = value.lower()
    allowed: list[tuple[int, int]] = []
    inner: set[int] = set()  # the positions inside a real word, where no homophone spelling may start or end
    found: list[Match] = []
    for word, length, payloads in table:
        start = text.find(word)
        while start != -1:
            end = start + length
            for term, variant in payloads:
                if term is None and variant:
                    inner.update(range(start + 1, end))
                elif term is None:
                    allowed.append((start, end))
                elif not variant or _at_edges(text, start, end):
                    found.append(Match(term, start, end, variant))
            start = text.find(word, start + 1)
    found = [match for match in found if not (match.variant and {match.start, match.end} & inner)]
    return _outermost(_outside(found, allowed))


def _as_set(matches: Iterable[Match], span: Any = None) -> Found:
    return frozenset((m.term.rule, m.term.pattern, m.variant, *(span(m.start, m.end) if span else (m.start, m.end)))
                     for m in matches)


def engine_found(matcher: Matcher, value: str) -> Found:
    text = normalise(value)
    return _as_set(matcher.find(text), text.span)


def loop_found(table: Sequence[tuple[str, int, tuple[Any, ...]]], value: str) -> Found:
    return _as_set(keyword_loop(table, value))


def compared(lines: Sequence[tuple[Sequence[str], dict[str, Any]]]) -> dict[str, int]:
    """Both sides over `lines` ((model names, fields)): the fields compared, those where both found anything, those
    where they differ, and the matches each found."""
    tables = {name: words(engine.model(name).matcher) for name in engine.MODEL_NAMES}
    counts = {"fields": 0, "with_hits": 0, "different": 0, "engine_matches": 0, "loop_matches": 0}
    for names, line in lines:
        for name in names:
            for field in TEXT_FIELDS:
                value = line.get(field)
                if not isinstance(value, str):
                    continue
                ours, theirs = engine_found(engine.model(name).matcher, value), loop_found(tables[name], value)
                counts["fields"] += 1
                counts["with_hits"] += bool(ours or theirs)
                counts["different"] += ours != theirs
                counts["engine_matches"] += len(ours)
                counts["loop_matches"] += len(theirs)
    return counts


def loop_all(lines: Sequence[tuple[Sequence[str], dict[str, Any]]]) -> int:
    """The baseline's whole work over `lines`: every text field of each line searched for every word of each of
    its models; the number of matches."""
    tables = {name: words(engine.model(name).matcher) for name in engine.MODEL_NAMES}
    total = 0
    for names, line in lines:
        for name in names:
            for field in TEXT_FIELDS:
                value = line.get(field)
                if isinstance(value, str):
                    total += len(keyword_loop(tables[name], value))
    return total
