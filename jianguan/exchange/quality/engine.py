"""The engine: a batch of records checked column by column, with the same answer as the reference
(`reference.check_reference`; see the package's docstring).
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial
from itertools import compress, groupby, repeat
from operator import and_, gt, itemgetter, truth
from typing import Any

from .. import standards
from ..standards import Standard
from ..standards import values as v
from ..standards.rules import NONE_HIGHEST, NONE_LOWEST, CheckChar, DateValue, Dedup, Issue, RefRule
from .columns import Column, FieldChecks
from .proofs import LearnedProof
from .reference import Refs, Verdict

CHUNK = 1024  # records per column pass: small enough for a chunk's records to stay in the processor cache
_NONE_EMPTY = {None: ""}
_LOCK = threading.Lock()

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


class _Plan(FieldChecks):
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
        columns: dict[str, Column] = {}
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
    """Check a batch of records; one Verdict per record, in input order (see the package's docstring). With `refs`
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
            if isinstance(proof, LearnedProof):
                proof.forget()
    v.CODES.clear()
    v.CODES[None] = 0


def _not_a_record(index: int, value: Any) -> dict:
    raise TypeError(f"record {index} is a {type(value).__name__}, not a mapping")
