"""One field's column checked at once: its proof first (`proofs.py`), then its rules, each over the whole
remaining column, for the values the proof left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from itertools import chain, compress, count, repeat
from operator import is_not, not_, truth
from typing import Any, NamedTuple

from .. import standards
from ..standards import values as v
from ..standards.rules import CheckChar, DateValue, InDictionary
from .proofs import STR, DateProof, Proof, SetProof, line_rules, set_proof, superset

_STR_NONE = frozenset({str, type(None)})
_LIST_NONE = frozenset({list, type(None)})
_BOOL_OK = frozenset(v.BOOL_VALUES) | {None, ""}
_BLANKS = frozenset({None, ""})
_EMPTY_NONE = {"": None}


class Column(NamedTuple):
    raw: list[Any]
    clean: list[Any]  # the value record rules see: None where blank or failed
    text: list[Any]  # the normalized text (text fields), falsy where blank or not text


def _drop(values: list, idx: list[int] | None, positions: list[int]) -> tuple[list, list[int]]:
    keep = [True] * len(values)
    for j in positions:
        keep[j] = False
    return list(compress(values, keep)), list(compress(idx if idx is not None else range(len(keep)), keep))


class FieldChecks:
    """The checks of one field's column, mixed into the engine's plan (`engine._Plan`), which sets `proofs` (each
    field's proof) and `items` (the items each list field passed)."""

    @staticmethod
    def _proof(field, plan, needed: set[str]) -> Callable[[Sequence], Proof] | None:
        """A test that proves a column's values valid in a few C-level passes and gives their clean values, with
        the rows it could not prove (which then go through the rules one by one). What it proves passes every
        rule of the field, by construction: a set of values known to pass, or one expression over the
        newline-joined column that holds only where each rule's expression holds."""
        rules = plan["values"]
        if field.type == "bool":
            accepted = frozenset(v.BOOL_VALUES)
            return partial(set_proof, accepted, clean=lambda col: list(map(v.BOOL_VALUES.get, col)))
        if field.type in ("date", "datetime"):
            return DateProof(next(r for r in rules if isinstance(r, DateValue)))
        dictionary = next((r for r in rules if isinstance(r, InDictionary)), None)
        if dictionary is not None:
            entry = standards.dictionary(dictionary.dictionary)
            accepted = {value for value in (*entry.values, *entry.aliases)
                        if value and not any(r.fails(value) for r in rules)}
            to_code = plan["to_code"] if field.id in needed else None
            return SetProof(accepted, lambda col: list(map(to_code.get, col, col)) if to_code and not
                             to_code.keys().isdisjoint(col) else col)
        check = next((r for r in rules if isinstance(r, CheckChar)), None)
        if check is not None:
            return SetProof(check.seen, None, learn=False)  # values that passed its last rule, hence all
        return line_rules(rules)

    # one field -------------------------------------------------------------------------------------------------

    def _text(self, field, plan, col: Sequence, m: int, base: int, hits: list) -> Column:
        if not field.required and superset(_BLANKS, col):
            return Column(col, [None] * m, col)
        proof = self.proofs[field.id]
        proven = proof(col) if proof is not None else None
        if proven is None:
            return self._text_rules(field, plan, col, m, base, hits, None)
        clean, suspects = proven
        if not suspects:
            return Column(col, clean, col)
        rest = self._text_rules(field, plan, list(map(col.__getitem__, suspects)), len(suspects), base, hits,
                                suspects)
        sub = rest.raw
        clean = list(clean)
        for j in compress(count(), map(is_not, rest.clean, sub)):  # failed, mapped or dated values
            clean[suspects[j]] = rest.clean[j]
        text = col
        if not STR.issuperset(map(type, sub)):
            text = list(col)
            for j, row in enumerate(suspects):
                text[row] = rest.text[j]
        if isinstance(proof, SetProof):
            proof.passed(raw for raw, value in zip(rest.raw, rest.clean, strict=True)
                         if value is not None and type(raw) is str)
        return Column(col, clean, text)

    def _text_rules(self, field, plan, col: Sequence, m: int, base: int, hits: list,
                    rows: list[int] | None) -> Column:
        """The field's rules value by value (each rule on the whole column at once): hits at chunk row
        `rows[i]` for the i-th value (or i itself)."""
        at = rows.__getitem__ if rows is not None else int
        required, type_rule = plan["required"], plan["type"]
        failed: list[int] = []
        types = set(map(type, col))
        if types <= _STR_NONE:
            vals = col
            present = types == STR and "" not in col
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
        return Column(col, clean, vals)

    def _bool(self, field, plan, col: Sequence, m: int, base: int, hits: list) -> Column:
        proven = self.proofs[field.id](col)
        if proven is not None and not proven[1]:
            return Column(col, proven[0], [None] * m)
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
            return Column(col, list(map(v.BOOL_VALUES.get, col)), [None] * m)
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
        return Column(col, clean, [None] * m)

    def _list(self, field, plan, col: list, m: int, base: int, hits: list) -> Column:
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
                return Column(col, col, [None] * m)  # (a blank list is falsy like None: no rule reads it)
            fast = set(map(type, items)) <= STR
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
            return Column(col, lists, [None] * m)  # every item is one the field's rules passed before
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
        if passed and len(learned) < SetProof.LIMIT:
            learned.update(items)
        clean = lists
        if failed:
            clean = list(lists)
            for row in failed:
                clean[row] = None
        return Column(col, clean, [None] * m)
