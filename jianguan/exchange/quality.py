"""Quality inspection (质检) of exchange records against a standard, and the SAMR seven-dimension score.

    verdicts = check("行政检查行为", records, refs=LibraryRefs())   # one Verdict per record, in input order
    score("inspection", verdicts)                                  # {"completeness": 99.5, …}
    check_record(standard, record)  /  check_file(standard, path)  /  check_table(standard, queryset)

Records are dicts keyed by ascii field ids or Chinese titles (or both). `check_reference` applies the rules
record by record in plain code: it is the definition. `check` gives the same answer column by column: records
are taken in chunks (transposed at once when they share their keys), and each field's column is first offered to
a proof — a set of values known to pass every rule of the field (dictionary codes, values the field passed
before, check characters computed before), or one regular expression over the newline-joined column — which
settles most values in a pass or two at C speed; only the values it cannot prove go through the field's rules,
each rule again over the whole remaining column. Record rules judge distinct combinations, references are looked
up once per batch, and an Issue is built only for a value that breaks a rule. tests/test_quality.py holds the
engine to the reference on random records.

Rule order inside a record: field rules in field order (the first rule a value breaks is its only issue), then
record rules (cross-field, references), then duplicates, then unknown columns (sorted by name).
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial
from itertools import accumulate, chain, compress, count, groupby, repeat
from operator import and_, getitem, gt, is_, is_not, itemgetter, not_, or_, truth
from typing import Any, NamedTuple, Protocol

from . import standards
from .standards import Standard
from .standards import values as v
from .standards.rules import (
    DIMENSIONS,
    NAIVE_BAD,
    NAIVE_DATES,
    NONE_HIGHEST,
    NONE_LOWEST,
    TEN,
    USUAL_DATES,
    CheckChar,
    DateValue,
    Dedup,
    FixedLength,
    InDictionary,
    Issue,
    MaxLength,
    Pattern,
    RefRule,
    Window,
)

CHUNK = 1024  # records per column pass: small enough for a chunk's records to stay in the processor cache
_STR = frozenset({str})
_STR_NONE = frozenset({str, type(None)})
_LIST_NONE = frozenset({list, type(None)})
_BOOL_OK = frozenset(v.BOOL_VALUES) | {None, ""}
_BLANKS = frozenset({None, ""})
_EMPTY_NONE = {"": None}
_NONE_EMPTY = {None: ""}
_LOCK = threading.Lock()

__all__ = ["DIMENSIONS", "Issue", "MemoryRefs", "Refs", "Verdict", "Verdicts", "check", "check_file", "check_record",
           "check_reference", "check_table", "forget", "records_from_library", "score"]


class Verdict(NamedTuple):
    """The check of one record: its position in the input, its 记录唯一标识, whether it passed, its issues."""

    index: int
    record_id: str
    ok: bool
    errors: tuple[Issue, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "record_id": self.record_id, "ok": self.ok,
                "errors": [issue.as_dict() for issue in self.errors]}


_verdict = partial(tuple.__new__, Verdict)


class Verdicts(list):
    """`check`'s answer: a list of Verdict in input order, plus what `score` needs: whether references were
    checked, and (counted when first asked for, from the action and report dates `check` kept) how many records
    could be timed and how many were reported in time."""

    standard: Standard
    refs_checked: bool = False
    _timeliness: tuple[int, int] | None = None
    _dates: tuple[Any, Sequence, Sequence] | None = None  # (plan, action dates, report dates)

    def _count(self) -> tuple[int, int]:
        if self._timeliness is None:
            plan, action, report = self._dates if self._dates else (None, (), ())
            self._timeliness = plan.timely(action, report) if plan else (0, 0)
            self._dates = None
        return self._timeliness

    @property
    def timed(self) -> int:
        return self._count()[0]

    @timed.setter
    def timed(self, value: int) -> None:
        self._timeliness = (value, self._count()[1])

    @property
    def on_time(self) -> int:
        return self._count()[1]

    @on_time.setter
    def on_time(self, value: int) -> None:
        self._timeliness = (self._count()[0], value)


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


# The engine: column by column ------------------------------------------------------------------------------------


def _superset(accepted: Collection, col: Sequence) -> bool:
    try:
        return accepted.issuperset(col)
    except TypeError:  # an unhashable value (a list where text is expected)
        return False


Proof = tuple[Sequence, list[int]] | None  # (clean values, rows left unproven) or None: nothing proven


def _set_proof(accepted: Collection, col: Sequence, clean: Callable[[Sequence], Sequence] | None = None) -> Proof:
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


class _LearnedProof:
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
            found = _set_proof(self.learned, col)
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


class _LengthProof(_LearnedProof):
    """A column of text whose only rule is a maximum length, proven by the lengths of its values."""

    def __init__(self, longest: int) -> None:
        super().__init__()
        self.longest = longest

    def prove(self, col: Sequence) -> Proof:
        if not _STR.issuperset(map(type, col)):
            return None
        lengths = list(map(len, col))
        longest, shortest = max(lengths), min(lengths)
        if longest <= self.longest and shortest:
            return col, []
        if not shortest:  # empty values too
            return col, list(compress(count(), map(or_, map(self.longest.__lt__, lengths), map(not_, lengths))))
        return col, list(compress(count(), map(self.longest.__lt__, lengths)))


def _line_rules(rules: list) -> _LineProof | _LengthProof | None:
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


class _SetProof:
    """Values in a set known to pass every rule of the field (its dictionary's codes and labels that pass the
    other rules, or the values its check-character rule passed) are proven; `clean` gives their clean values.
    Values the rules pass later are added while the set is small (`learn`)."""

    LIMIT = 4096

    def __init__(self, accepted: set, clean: Callable[[Sequence], Sequence] | None, *, learn: bool = True) -> None:
        self.accepted, self.clean, self.learn = accepted, clean, learn

    def __call__(self, col: Sequence) -> Proof:
        return _set_proof(self.accepted, col, self.clean)

    def passed(self, values: Iterable[str]) -> None:
        if self.learn and len(self.accepted) < self.LIMIT:
            self.accepted.update(values)


class _LineProof(_LearnedProof):
    """A column of text proven by one expression over its newline-joined values."""

    def __init__(self, whole: re.Pattern, bad: re.Pattern) -> None:
        super().__init__()
        self.whole, self.bad = whole, bad

    def prove(self, col: Sequence) -> Proof:
        return _line_proof(self.whole, self.bad, col)


class _DateProof:
    """Days of a date column: texts the field has dated before are proven by set; otherwise dates and date-times
    without offset (one expression over the joined column) are dated by their first ten characters, and the
    other rows are left to the rules. A field with few distinct texts remembers the ones proven."""

    def __init__(self, rule: DateValue) -> None:
        self.rule = rule

    def __call__(self, col: Sequence) -> Proof:
        rule = self.rule
        if rule.valid:
            found = _set_proof(rule.valid, col, lambda c: list(map(rule.parsed.get, c)))
            if found is None or len(found[1]) < len(col) // 8:
                return found
        lines = _line_proof(NAIVE_DATES, NAIVE_BAD, col, USUAL_DATES)
        if lines is None:
            return _set_proof(rule.valid, col, lambda c: list(map(rule.parsed.get, c)))
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


class _Column(NamedTuple):
    raw: list[Any]
    clean: list[Any]  # the value record rules see: None where blank or failed
    text: list[Any]  # the normalized text (text fields), falsy where blank or not text


def _drop(values: list, idx: list[int] | None, positions: list[int]) -> tuple[list, list[int]]:
    keep = [True] * len(values)
    for j in positions:
        keep[j] = False
    return list(compress(values, keep)), list(compress(idx if idx is not None else range(len(keep)), keep))


class _Plan:
    """A standard compiled for column-wise checking."""

    def __init__(self, standard: Standard) -> None:
        self.standard = standard
        self.fields = [(f, standard.field_rules[f.id]) for f in standard.fields]
        self.limit = standard.timeliness()
        self._deadlines: dict[dt.date, dt.date] = {}
        self._layouts: dict[tuple, tuple[dict[str, list[Any]], list[Any]]] = {}  # record keys -> _layout
        # the fields whose clean values a record rule or the timeliness score reads
        needed = {fid for rule in standard.rules for fid, mode in rule.inputs if mode == "clean"}
        needed.update(f for f in (standard.action_date, standard.report_date) if f)
        self.proofs = {f.id: self._proof(f, plan, needed) for f, plan in self.fields if f.type not in ("list",)}
        # items of list fields that passed every item rule, while they are few (see _list)
        self.items: dict[str, set[str]] = {f.id: set() for f, _ in self.fields if f.type == "list"}

    @staticmethod
    def _proof(field, plan, needed: set[str]) -> Callable[[Sequence], Proof] | None:
        """A test that proves a column's values valid in a few C-level passes and gives their clean values, with
        the rows it could not prove (which then go through the rules one by one). What it proves passes every
        rule of the field, by construction: a set of values known to pass, or one expression over the
        newline-joined column that holds only where each rule's expression holds."""
        rules = plan["values"]
        if field.type == "bool":
            accepted = frozenset(v.BOOL_VALUES)
            return partial(_set_proof, accepted, clean=lambda col: list(map(v.BOOL_VALUES.get, col)))
        if field.type in ("date", "datetime"):
            return _DateProof(next(r for r in rules if isinstance(r, DateValue)))
        dictionary = next((r for r in rules if isinstance(r, InDictionary)), None)
        if dictionary is not None:
            entry = standards.dictionary(dictionary.dictionary)
            accepted = {value for value in (*entry.values, *entry.aliases)
                        if value and not any(r.fails(value) for r in rules)}
            to_code = plan["to_code"] if field.id in needed else None
            return _SetProof(accepted, lambda col: list(map(to_code.get, col, col)) if to_code and not
                             to_code.keys().isdisjoint(col) else col)
        check = next((r for r in rules if isinstance(r, CheckChar)), None)
        if check is not None:
            return _SetProof(check.seen, None, learn=False)  # values that passed its last rule, hence all
        return _line_rules(rules)

    # one field -------------------------------------------------------------------------------------------------

    def _text(self, field, plan, col: Sequence, m: int, base: int, hits: list) -> _Column:
        if not field.required and _superset(_BLANKS, col):
            return _Column(col, [None] * m, col)
        proof = self.proofs[field.id]
        proven = proof(col) if proof is not None else None
        if proven is None:
            return self._text_rules(field, plan, col, m, base, hits, None)
        clean, suspects = proven
        if not suspects:
            return _Column(col, clean, col)
        rest = self._text_rules(field, plan, list(map(col.__getitem__, suspects)), len(suspects), base, hits,
                                suspects)
        sub = rest.raw
        clean = list(clean)
        for j in compress(count(), map(is_not, rest.clean, sub)):  # failed, mapped or dated values
            clean[suspects[j]] = rest.clean[j]
        text = col
        if not _STR.issuperset(map(type, sub)):
            text = list(col)
            for j, row in enumerate(suspects):
                text[row] = rest.text[j]
        if isinstance(proof, _SetProof):
            proof.passed(raw for raw, value in zip(rest.raw, rest.clean, strict=True)
                         if value is not None and type(raw) is str)
        return _Column(col, clean, text)

    def _text_rules(self, field, plan, col: Sequence, m: int, base: int, hits: list,
                    rows: list[int] | None) -> _Column:
        """The field's rules value by value (each rule on the whole column at once): hits at chunk row
        `rows[i]` for the i-th value (or i itself)."""
        at = rows.__getitem__ if rows is not None else int
        required, type_rule = plan["required"], plan["type"]
        failed: list[int] = []
        types = set(map(type, col))
        if types <= _STR_NONE:
            vals = col
            present = types == _STR and "" not in col
            if not present:
                mask = list(map(truth, col))
                if field.required:
                    message = required.message()
                    hits += [(base + at(i), required.pos, required.issue(required.code, message))
                             for i in compress(range(m), map(not_, mask))]
        else:
            vals, mask = [None] * m, [False] * m
            for i, raw in enumerate(col):
                if v.blank(raw):
                    if field.required:
                        hits.append((base + at(i), required.pos, required.issue(required.code,
                                                                                  required.message())))
                    continue
                text = v.as_text(raw)
                if text is None:
                    hits.append((base + at(i), type_rule.pos, type_rule.issue(type_rule.code,
                                                                                type_rule.message(raw))))
                    failed.append(i)
                    continue
                vals[i], mask[i] = text, True
            present = all(mask)
        if present:
            idx, values = None, vals
        else:
            idx = list(compress(range(m), mask))
            values = list(compress(vals, mask))
        for rule in plan["values"]:
            if not values:
                break
            bad = rule.find(values)
            if bad:
                for j in bad:
                    row = idx[j] if idx is not None else j
                    hits.append((base + at(row), rule.pos, rule.issue(rule.code, rule.message(values[j]))))
                    failed.append(row)
                values, idx = _drop(values, idx, bad)
        clean = vals
        if failed:
            clean = list(vals)
            for row in failed:
                clean[row] = None
        if not present:
            clean = list(map(_EMPTY_NONE.get, clean, clean))
        if field.type in ("date", "datetime"):
            clean = list(map(next(r for r in plan["values"] if isinstance(r, DateValue)).parsed.get, clean))
        elif plan["to_code"] and not plan["to_code"].keys().isdisjoint(values):
            clean = list(map(plan["to_code"].get, clean, clean))
        return _Column(col, clean, vals)

    def _bool(self, field, plan, col: Sequence, m: int, base: int, hits: list) -> _Column:
        proven = self.proofs[field.id](col)
        if proven is not None and not proven[1]:
            return _Column(col, proven[0], [None] * m)
        required, type_rule = plan["required"], plan["type"]
        try:
            fast = _BOOL_OK.issuperset(col)
        except TypeError:
            fast = False
        if fast:
            if field.required and not _BLANKS.isdisjoint(col):
                message = required.message()
                hits += [(base + i, required.pos, required.issue(required.code, message))
                         for i in compress(range(m), map(_BLANKS.__contains__, col))]
            return _Column(col, list(map(v.BOOL_VALUES.get, col)), [None] * m)
        clean: list[Any] = [None] * m
        for i, raw in enumerate(col):
            if v.blank(raw):
                if field.required:
                    hits.append((base + i, required.pos, required.issue(required.code, required.message())))
                continue
            flag = v.as_bool(raw)
            if flag is None:
                hits.append((base + i, type_rule.pos, type_rule.issue(type_rule.code, type_rule.message(raw))))
            clean[i] = flag
        return _Column(col, clean, [None] * m)

    def _list(self, field, plan, col: list, m: int, base: int, hits: list) -> _Column:
        required, type_rule = plan["required"], plan["type"]
        failed: set[int] = set()
        lists: list[Any] = col
        rows: list[int] | None = None
        learned = self.items[field.id]
        fast = set(map(type, col)) <= _LIST_NONE
        if fast:
            if all(col):
                mask, present = None, col
            else:
                mask = list(map(truth, col))
                present = list(compress(col, mask))
            items = list(chain.from_iterable(present))
            if learned and learned.issuperset(items):  # every item is one the field's rules passed before
                if mask is not None and field.required:
                    message = required.message()
                    hits += [(base + i, required.pos, required.issue(required.code, message))
                             for i in compress(range(m), map(not_, mask))]
                return _Column(col, col, [None] * m)  # (a blank list is falsy like None: no rule reads it)
            fast = set(map(type, items)) <= _STR
        if fast:
            if mask is not None:
                rows = list(compress(range(m), mask))
                if field.required:
                    message = required.message()
                    hits += [(base + i, required.pos, required.issue(required.code, message))
                             for i in compress(range(m), map(not_, mask))]
        else:
            lists, rows, present = [None] * m, [], []
            for i, raw in enumerate(col):
                parsed = None if v.blank(raw) else v.as_items(raw)
                if parsed is None and not v.blank(raw):
                    hits.append((base + i, type_rule.pos, type_rule.issue(type_rule.code, type_rule.message(raw))))
                    failed.add(i)
                    continue
                if not parsed:
                    if field.required:
                        hits.append((base + i, required.pos, required.issue(required.code, required.message())))
                    continue
                lists[i] = parsed
                rows.append(i)
                present.append(parsed)
            items = list(chain.from_iterable(present))
        if learned and learned.issuperset(items):
            return _Column(col, lists, [None] * m)  # every item is one the field's rules passed before
        owners: list[int] | None = None
        passed = True
        for rule in plan["values"]:
            bad = rule.find(items)
            passed = passed and not bad
            if not bad:
                continue
            if owners is None:
                owners = list(chain.from_iterable(map(repeat, rows if rows is not None else range(m),
                                                      map(len, present))))
            for j in bad:
                row = owners[j]
                if row not in failed:
                    failed.add(row)
                    hits.append((base + row, rule.pos, rule.issue(rule.code, rule.message(items[j]))))
        if passed and len(learned) < _SetProof.LIMIT:
            learned.update(items)
        clean = lists
        if failed:
            clean = list(lists)
            for row in failed:
                clean[row] = None
        return _Column(col, clean, [None] * m)

    # one chunk -------------------------------------------------------------------------------------------------

    def _columns(self, part: list[dict]) -> tuple[dict[str, Sequence], list[Any]]:
        """Each field's column (by the highest-priority key present) and the unknown keys. Records that share
        their keys in one order (the usual case) are transposed at once."""
        m = len(part)
        keys = tuple(part[0]) if m else ()
        uniform = all(map(keys.__eq__, map(tuple, part)))  # the same keys in the same order
        if uniform:
            by_key = dict(zip(keys, zip(*map(dict.values, part), strict=True), strict=True)) if m else {}
        else:
            keys = set().union(*part)
        layout = self._layouts.get(keys) if uniform else None
        if layout is None:
            layout = self._layout(keys)
            if uniform and len(self._layouts) < 64:
                self._layouts[keys] = layout
        names_of, unknown = layout
        cols: dict[str, Sequence] = {}
        for field, _ in self.fields:
            names = names_of[field.id]
            if not names:
                cols[field.id] = (None,) * m
            elif uniform:
                cols[field.id] = by_key[names[0]]
            elif len(names) == 1:
                cols[field.id] = list(map(dict.get, part, repeat(names[0])))
            else:
                cols[field.id] = [next((r[k] for k in names if k in r), None) for r in part]
        return cols, unknown

    def _layout(self, keys: Collection[Any]) -> tuple[dict[str, list[Any]], list[Any]]:
        """For a set of record keys: each field's keys by priority, and the unknown keys (sorted)."""
        by_field: dict[str, list[tuple[int, Any]]] = {}
        unknown = []
        for key in keys:
            found = self.standard.lookup(key)
            if found is None:
                unknown.append(key)
            else:
                by_field.setdefault(found[0], []).append((found[1], key))
        names = {field.id: [key for _, key in sorted(by_field.get(field.id, ()), key=lambda p: (p[0], str(p[1])))]
                 for field, _ in self.fields}
        return names, sorted(unknown, key=str)

    def chunk(self, part: list[dict], base: int, hits: list, gathered: dict[str, list],
              firsts: dict[Dedup, dict]) -> None:
        """Field rules, record rules (not references) and the de-duplication that can go chunk by chunk, over
        one chunk; the columns the references, the other de-duplication and the verdicts need are appended to
        `gathered`; `firsts` carries the first row of each key value from chunk to chunk."""
        m = len(part)
        raw, unknown = self._columns(part)
        columns: dict[str, _Column] = {}
        for field, plan in self.fields:
            col = raw[field.id]
            if field.type == "bool":
                columns[field.id] = self._bool(field, plan, col, m, base, hits)
            elif field.type == "list":
                columns[field.id] = self._list(field, plan, col, m, base, hits)
            else:
                columns[field.id] = self._text(field, plan, col, m, base, hits)
        for rule in self.standard.rules:
            if isinstance(rule, RefRule):
                continue
            cols = [columns[f].clean if mode == "clean" else columns[f].raw for f, mode in rule.inputs]
            hits += [(base + i, rule.pos, rule.issue(*result)) for i, result in rule.find(cols)]
        unknown_rule = self.standard.unknown_rule
        for key in unknown:
            issue = unknown_rule.for_key(key)
            hits += [(base + i, unknown_rule.pos, issue)
                     for i in compress(range(m), map(dict.__contains__, part, repeat(key)))]
        for rule, first in firsts.items():
            hits += [(row, rule.pos, rule.issue(rule.code, rule.message(other)))
                     for row, other in rule.flag_chunk(columns[rule.field].text, base, first)]
        for name, column in gathered.items():
            kind, fid = name.split(":", 1)
            column += columns[fid].clean if kind == "clean" else columns[fid].text

    def finish(self, gathered: dict[str, list], refs: Refs | None, n: int, hits: list) -> None:
        """References (one look-up per rule for the whole batch) and duplicates."""
        if refs is not None:
            for rule in self.standard.rules:
                if isinstance(rule, RefRule):
                    cols = [gathered[f"clean:{f}"] for f, _ in rule.inputs]
                    hits += [(i, rule.pos, rule.issue(*result)) for i, result in rule.find_refs(cols, refs)]
        texts = {name.split(":", 1)[1]: column for name, column in gathered.items() if name.startswith("text:")}
        for rule in self.standard.dedup:
            if not rule.streams:
                hits += [(row, rule.pos, rule.issue(rule.code, rule.message(other)))
                         for row, other in _duplicates(rule, texts, n)]

    def gathered(self, refs: Refs | None) -> dict[str, list]:
        names = {f"text:{self.standard.key}"}
        if self.limit is not None:  # for the timeliness score, counted when asked for
            names.update((f"clean:{self.standard.action_date}", f"clean:{self.standard.report_date}"))
        for rule in self.standard.dedup:
            if not rule.streams:
                names.update(f"text:{f}" for part in rule.parts for f in part)
        if refs is not None:
            for rule in self.standard.rules:
                if isinstance(rule, RefRule):
                    names.update(f"clean:{f}" for f, _ in rule.inputs)
        return {name: [] for name in sorted(names)}

    # timeliness ------------------------------------------------------------------------------------------------

    def _deadline(self, day: dt.date) -> dt.date:
        found = self._deadlines.get(day)
        if found is None:
            days = int(self.limit["days"])
            try:
                if self.limit.get("unit") == "working_days":
                    working = _working_day_test()
                    found = day
                    while days > 0:
                        found += dt.timedelta(days=1)
                        days -= working(found)
                else:
                    found = day + dt.timedelta(days=days)
            except OverflowError:  # an action dated at the end of the calendar
                found = dt.date.max
            self._deadlines[day] = found
        return found

    def timely(self, action: Sequence, report: Sequence) -> tuple[int, int]:
        """(records with both dates, of which reported by the deadline)."""
        if self.limit is None:
            return 0, 0
        for day in set(action).difference(self._deadlines):
            if day is not None:
                self._deadline(day)
        deadlines = list(map(self._deadlines.get, action))
        if not (all(deadlines) and all(report)):  # a missing date (dates are always true)
            timed = sum(map(and_, map(truth, deadlines), map(truth, report)))
            late = sum(map(gt, map(NONE_LOWEST.get, report, report), map(NONE_HIGHEST.get, deadlines, deadlines)))
        else:
            timed, late = len(report), sum(map(gt, report, deadlines))
        return timed, timed - late


def _working_day_test() -> Callable[[dt.date], bool]:
    """jianguan.core.calendar's test with the administrator's days when Django and a database are there; the
    packaged calendar alone for an offline check."""
    from django.apps import apps

    if apps.ready:
        from jianguan.core.calendar import is_working_day
        from jianguan.core.models import CalendarDay

        try:
            overrides = dict(CalendarDay.objects.values_list("date", "is_working_day"))
        except Exception:  # no database (an offline check): the packaged calendar decides
            overrides = {}
        return partial(is_working_day, overrides=overrides)
    import chinese_calendar

    known = {day.year for day in chinese_calendar.holidays}
    return lambda day: chinese_calendar.is_workday(day) if day.year in known else day.weekday() < 5


_plans: dict[int, _Plan] = {}


def _plan(standard: Standard) -> _Plan:
    plan = _plans.get(id(standard))
    if plan is None or plan.standard is not standard:
        plan = _plans[id(standard)] = _Plan(standard)
    return plan


def _duplicates(rule: Dedup, texts: dict[str, list], n: int) -> list[tuple[int, int]]:
    """(row, the row it repeats) for the rule over the whole batch."""
    if len(rule.parts) == 1 and len(rule.parts[0]) == 1:
        return rule.flag_column(texts[rule.parts[0][0]])
    columns = [[texts[f] for f in part] for part in rule.parts]
    keys: list[tuple | None] = []
    for i in range(n):
        key = []
        for part in columns:
            found = next((col[i] for col in part if col[i]), None)
            if found is None:
                break
            key.append(found)
        keys.append(tuple(key) if len(key) == len(columns) else None)
    return rule.flag(keys)


def check(standard: Standard | str, records: Iterable[Mapping[str, Any]], *, refs: Refs | None = None,
          progress: Callable[[int], Any] | None = None, chunk: int = CHUNK) -> Verdicts:
    """Check a batch of records; one Verdict per record, in input order (see the module docstring). With `refs`
    the references (关联性) are looked up, one call per rule for the whole batch; without, they are skipped.
    `progress` is called with the number of records each chunk checked."""
    standard = standards.get(standard)
    if type(records) is not list:
        records = list(records)
    if not set(map(type, records)) <= {dict}:
        records = [dict(r) if isinstance(r, Mapping) else _not_a_record(i, r) for i, r in enumerate(records)]
    with _LOCK:  # the remembered values are shared; checks are CPU-bound, so threads lose nothing by taking turns
        # The check makes no reference cycles but many objects that live until it ends (a verdict per record):
        # the cyclic collector is paused meanwhile, or it would walk all the caller's records again and again.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return _check(standard, records, refs, progress, chunk)
        finally:
            if collecting:
                gc.enable()


def _check(standard: Standard, records: list[dict], refs: Refs | None, progress: Callable[[int], Any] | None,
           chunk: int) -> Verdicts:
    n = len(records)
    plan = _plan(standard)
    hits: list[tuple[int, int, Issue]] = []
    gathered = plan.gathered(refs)
    firsts: dict[Dedup, dict] = {rule: {} for rule in standard.dedup if rule.streams}
    for start in range(0, n, chunk):
        part = records[start:start + chunk]
        plan.chunk(part, start, hits, gathered, firsts)
        if progress:
            progress(len(part))
    plan.finish(gathered, refs, n, hits)
    errors: list[tuple[Issue, ...]] = [()] * n
    oks = [True] * n
    if hits:
        hits.sort(key=itemgetter(0, 1))
        for row, group in groupby(hits, key=itemgetter(0)):
            errors[row] = tuple(map(itemgetter(2), group))
            oks[row] = False
    ids = gathered[f"text:{standard.key}"]
    ids = list(map(_NONE_EMPTY.get, ids, ids))
    verdicts = Verdicts(map(_verdict, zip(range(n), ids, oks, errors, strict=True)))
    verdicts.standard, verdicts.refs_checked = standard, refs is not None
    if plan.limit is not None:
        verdicts._dates = (plan, gathered[f"clean:{standard.action_date}"], gathered[f"clean:{standard.report_date}"])
    return verdicts


def forget() -> None:
    """Forget the values remembered between checks (check characters, parsed dates): the next check starts cold."""
    with _LOCK:
        _forget()


def _forget() -> None:
    for seen in CheckChar.instances:
        seen.clear()
    for rule in DateValue.instances:
        rule.forget()
    DateValue.days.clear()
    for plan in _plans.values():
        for learned in plan.items.values():
            learned.clear()
        for proof in plan.proofs.values():
            if isinstance(proof, _LearnedProof):
                proof.forget()
    v.CODES.clear()
    v.CODES[None] = 0


def _not_a_record(index: int, value: Any) -> dict:
    raise TypeError(f"record {index} is a {type(value).__name__}, not a mapping")


def check_file(standard: Standard | str, path: Any, *, refs: Refs | None = None,
               progress: Callable[[int], Any] | None = None) -> tuple[Any, Verdicts]:
    """Check a CSV (UTF-8 or GBK), Excel or JSON file: (what was read, with each record's row; the verdicts).
    Raises jianguan.core.tabular.ImportRefused for a file that cannot be read as records."""
    from .readers import read_records

    loaded = read_records(path)
    return loaded, check(standard, loaded.records, refs=refs, progress=progress)


def check_table(standard: Standard | str, queryset: Any, *, refs: Refs | None = None) -> Verdicts:
    """Check behaviour-library rows (a queryset, scoped by the caller) as the exchange would send them."""
    return check(standard, records_from_library(standard, queryset), refs=refs)


# Score -----------------------------------------------------------------------------------------------------------


def score(standard: Standard | str, verdicts: Sequence[Verdict], *, expected: int | None = None
          ) -> dict[str, float | None]:
    """The SAMR seven dimensions, 0–100 (None where not measurable):

    - 完整性 / 规范性 / 冗余性 / 准确性 / 关联性: the share of records with no issue of that dimension (关联性 only
      when the check had references);
    - 及时性: the share of records, among those with both an action and a report date, reported within the
      standard's limit ([config], data/quality.json), None when the standard has no such dates or no record has
      both;
    - 全面性: records received against `expected` (a count from the source system), capped at 100; a single file
      cannot tell how many records should exist, so without `expected` it is None.
    """
    standard = standards.get(standard)
    n = len(verdicts)
    found: dict[str, float | None] = dict.fromkeys(DIMENSIONS)
    if n == 0:
        return found
    hit: dict[str, int] = dict.fromkeys(DIMENSIONS, 0)
    for verdict in verdicts:
        if not verdict.ok:
            for dimension in {issue.dimension for issue in verdict.errors}:
                hit[dimension] += 1
    for dimension in ("completeness", "conformity", "redundancy", "accuracy", "relevance"):
        found[dimension] = round(100 * (n - hit[dimension]) / n, 2)
    if not getattr(verdicts, "refs_checked", False):
        found["relevance"] = None
    timed = getattr(verdicts, "timed", 0)
    if standard.timeliness() is not None and timed:
        found["timeliness"] = round(100 * verdicts.on_time / timed, 2)
    if expected:
        found["comprehensiveness"] = round(100 * min(n, expected) / expected, 2)
    return found


# The behaviour library as exchange records -----------------------------------------------------------------------


def _local(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(v.LOCAL)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


_LIBRARY_FIELDS: dict[str, Callable[[Any], Any]] = {
    "record_id": lambda o: str(o.record_id),
    "department_name": lambda o: o.department.name,
    "department_code": lambda o: o.department.uscc,
    "delegated_by_name": lambda o: o.delegated_by.name if o.delegated_by_id else "",
    "delegated_by_code": lambda o: o.delegated_by.uscc if o.delegated_by_id else "",
    "region_code": lambda o: o.region.gb2260,
    "reported_at": lambda o: _local(o.reported_at),
}
LIBRARY_STANDARDS = {"Inspection": "inspection", "Penalty": "penalty", "Coercion": "coercion",
                     "OtherAction": "other_action"}


def _as_exchange(field, value: Any) -> Any:
    if value is None:
        return None
    if field.type in ("date", "datetime"):
        return _local(value) if isinstance(value, dt.datetime) else value.isoformat()
    if field.type == "decimal":
        return str(value)
    if field.type == "list":
        return list(value)
    return value


def records_from_library(standard: Standard | str, queryset) -> list[dict[str, Any]]:
    """Behaviour-library rows (a queryset of Inspection, Penalty, Coercion or OtherAction, already scoped by the
    caller) as exchange records keyed by ascii field ids. A natural person's ID number is stored masked (sealed
    at rest), so such a record fails the check-character rule until the caller supplies the number."""
    standard = standards.get(standard)
    expected = LIBRARY_STANDARDS.get(queryset.model.__name__)
    if expected != standard.name:
        raise ValueError(f"{queryset.model.__name__} rows are not {standard.name} records")
    getters = [(f.id, _LIBRARY_FIELDS.get(f.id), f) for f in standard.fields]
    rows = queryset.select_related("department", "delegated_by", "region")
    out = []
    for row in rows.iterator(chunk_size=2000):
        out.append({fid: getter(row) if getter else _as_exchange(f, getattr(row, fid)) for fid, getter, f in getters})
    return out
