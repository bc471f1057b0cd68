"""Column proofs: each proves most values of a field's column valid in a few C-level passes and gives their clean
values — a set of values known to pass every rule of the field, or one regular expression over the
newline-joined column — and leaves the rows it cannot prove to the field's rules (`columns.py`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import accumulate, compress, count, repeat
from operator import getitem, is_, not_, or_

from ..standards import values as v
from ..standards.rules import NAIVE_BAD, NAIVE_DATES, TEN, USUAL_DATES, DateValue, FixedLength, MaxLength, Pattern

STR = frozenset({str})


def superset(accepted: Collection, col: Sequence) -> bool:
    try:
        return accepted.issuperset(col)
    except TypeError:  # an unhashable value (a list where text is expected)
        return False


Proof = tuple[Sequence, list[int]] | None  # (clean values, rows left unproven) or None: nothing proven


def set_proof(accepted: Collection, col: Sequence, clean: Callable[[Sequence], Sequence] | None = None) -> Proof:
    """Rows whose value is in `accepted` (values known to pass every rule of the field) are proven."""
    try:
        if accepted.issuperset(col):
            return (clean(col) if clean else col), []
        inside = list(map(accepted.__contains__, col))
    except TypeError:  # an unhashable value (a list where text is expected)
        return None
    return (clean(col) if clean else col), list(compress(range(len(col)), map(not_, inside)))


def _line_proof(whole: re.Pattern, bad: re.Pattern, col: Sequence, usual: Sequence[re.Pattern] = ()) -> Proof:
    """One expression over the newline-joined column proves the rows it matches (or one of `usual`, narrower
    expressions tried first); the other lines are found by a second expression, in one pass, when it fails."""
    try:
        joined = "\n".join(col)
    except TypeError:  # not all text
        return None
    if joined.count("\n") != len(col) - 1:
        return None  # a value holds a newline: lines and values do not match
    if any(pattern.fullmatch(joined) for pattern in usual) or whole.fullmatch(joined):
        return col, []
    starts = list(accumulate(map((1).__add__, map(len, col)), initial=0))
    return col, [bisect_right(starts, m.start()) - 1 for m in bad.finditer(joined)]


class LearnedProof:
    """A column proof that, while the field's distinct values are few, remembers the values of fully proven columns
    and proves later columns by set; `prove` is the proof proper."""

    LIMIT = 4096  # distinct values remembered per field; past it the field is taken as high-cardinality

    def __init__(self) -> None:
        self.learned: set[str] = set()
        self.learning = True

    def prove(self, col: Sequence) -> Proof:
        raise NotImplementedError

    def __call__(self, col: Sequence) -> Proof:
        if self.learning and self.learned:
            found = set_proof(self.learned, col)
            if found is None or 8 * len(found[1]) < len(col):
                return found
        proven = self.prove(col)
        if self.learning and proven is not None and not proven[1]:
            self.learned.update(col)
            if len(self.learned) > self.LIMIT:
                self.forget(learning=False)
        return proven

    def forget(self, *, learning: bool = True) -> None:
        self.learned.clear()
        self.learning = learning


class _LengthProof(LearnedProof):
    """A column of text whose only rule is a maximum length, proven by the lengths of its values."""

    def __init__(self, longest: int) -> None:
        super().__init__()
        self.longest = longest

    def prove(self, col: Sequence) -> Proof:
        if not STR.issuperset(map(type, col)):
            return None
        lengths = list(map(len, col))
        longest, shortest = max(lengths), min(lengths)
        if longest <= self.longest and shortest:
            return col, []
        if not shortest:  # empty values too
            return col, list(compress(count(), map(or_, map(self.longest.__lt__, lengths), map(not_, lengths))))
        return col, list(compress(count(), map(self.longest.__lt__, lengths)))


def line_rules(rules: list) -> _LineProof | _LengthProof | None:
    """The line expression of a field whose rules are lengths and (newline-safe) patterns: each rule but the
    last as a lookahead over the whole line, the last consuming it; None when another kind of rule takes part."""
    if len(rules) == 1 and isinstance(rules[0], MaxLength):
        return _LengthProof(rules[0].length)
    tests: list[str] = []
    for rule in rules:
        if isinstance(rule, FixedLength):
            tests.append(f"[^\\n]{{{rule.length}}}")
        elif isinstance(rule, MaxLength):
            tests.append(f"[^\\n]{{1,{rule.length}}}")
        elif isinstance(rule, Pattern) and rule.joinable:
            tests.append(f"(?:{rule.pattern})")
        else:
            return None
    if not tests:
        return None
    if len(rules) == 2 and isinstance(rules[0], FixedLength) and isinstance(rules[1], Pattern) \
            and re.fullmatch(rf"\[[^\]]+\]\{{{rules[0].length}\}}", rules[1].pattern):
        tests = tests[1:]  # a fixed length the pattern spells out itself ([0-9]{14})
    first = "" if isinstance(rules[0], (FixedLength, MaxLength)) or not re.fullmatch(rules[0].pattern, "") \
        else "(?=[^\\n])"  # not empty
    one = first + "".join(f"(?={t}(?:\\n|\\Z))" for t in tests[:-1]) + tests[-1]
    return _LineProof(re.compile(f"(?:{one}\\n)*+{one}", re.ASCII),
                      re.compile(f"^(?!{one}$)", re.ASCII | re.MULTILINE))


class SetProof:
    """Values in a set known to pass every rule of the field (its dictionary's codes and labels that pass the
    other rules, or the values its check-character rule passed) are proven; `clean` gives their clean values.
    Values the rules pass later are added while the set is small (`learn`)."""

    LIMIT = 4096

    def __init__(self, accepted: set, clean: Callable[[Sequence], Sequence] | None, *, learn: bool = True) -> None:
        self.accepted, self.clean, self.learn = accepted, clean, learn

    def __call__(self, col: Sequence) -> Proof:
        return set_proof(self.accepted, col, self.clean)

    def passed(self, values: Iterable[str]) -> None:
        if self.learn and len(self.accepted) < self.LIMIT:
            self.accepted.update(values)


class _LineProof(LearnedProof):
    """A column of text proven by one expression over its newline-joined values."""

    def __init__(self, whole: re.Pattern, bad: re.Pattern) -> None:
        super().__init__()
        self.whole, self.bad = whole, bad

    def prove(self, col: Sequence) -> Proof:
        return _line_proof(self.whole, self.bad, col)


class DateProof:
    """Days of a date column: texts the field has dated before are proven by set; otherwise dates and date-times
    without offset (one expression over the joined column) are dated by their first ten characters, and the
    other rows are left to the rules. A field with few distinct texts remembers the ones proven."""

    def __init__(self, rule: DateValue) -> None:
        self.rule = rule

    def __call__(self, col: Sequence) -> Proof:
        rule = self.rule
        if rule.valid:
            found = set_proof(rule.valid, col, lambda c: list(map(rule.parsed.get, c)))
            if found is None or len(found[1]) < len(col) // 8:
                return found
        lines = _line_proof(NAIVE_DATES, NAIVE_BAD, col, USUAL_DATES)
        if lines is None:
            return set_proof(rule.valid, col, lambda c: list(map(rule.parsed.get, c)))
        parts = list(map(getitem, col, repeat(TEN)))
        days = DateValue.days
        distinct = set(parts)
        for part in distinct.difference(days):
            days[part] = v.parse_date(part)
        clean = list(map(days.__getitem__, parts))
        suspects = set(lines[1])
        suspects.update(compress(range(len(col)), map(is_, clean, repeat(None))))
        if 10 * len(distinct) < 9 * len(col) and all(map(is_, parts, col)) and len(rule.valid) < rule.LIMIT:
            # dates without a time (their first ten characters are themselves) that repeat: remember them
            keep = [True] * len(col)
            for row in suspects:
                keep[row] = False
            rule.parsed.update(zip(compress(col, keep), compress(clean, keep), strict=True))
            rule.valid.update(compress(col, keep))
        return clean, sorted(suspects)
