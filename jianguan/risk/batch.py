"""Files of input lines: checked whole before any verdict, then judged in order; the back-test's measures.

A file is refused whole when any line breaks a rule (nothing judged from half a file), with every such line named
(up to `MAX_ERRORS`). A back-test line carries `label` (true: the item is a violation), compared with the alert;
a scan accepts a labelled line and ignores its label.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import orjson

from jianguan.core.errors import ValidationFailed
from jianguan.risk import engine, inputs, parallel
from jianguan.risk.engine import Model, Verdict
from jianguan.risk.evidence import Hit
from jianguan.risk.inputs import Field, InputInvalid
from jianguan.risk.registers import Registers

MAX_ERRORS = 20
LABEL = {"label": Field("label", "bool", True, "标注（是否违法）")}
LABEL_ALLOWED = {"label": Field("label", "bool", False, "标注（是否违法）")}  # a labelled file may be scanned too


class FileInvalid(InputInvalid):
    """Lines of a file broke rules; `errors` holds each (its message names line and field)."""

    def __init__(self, errors: list[InputInvalid]) -> None:
        shown = "\n".join(f"{error.message} [{error.code}]" for error in errors[:MAX_ERRORS])
        more = f"\n……另有 {len(errors) - MAX_ERRORS} 行有误" if len(errors) > MAX_ERRORS else ""
        ValidationFailed.__init__(self, shown + more, code=errors[0].code, field=errors[0].field)
        self.detail = shown + more
        self.line = errors[0].line
        self.errors = errors


def read(model: Model, raw: bytes, *, labelled: bool = False) -> list[dict[str, Any]]:
    """The checked records of a JSON Lines file, in order; `FileInvalid` naming every bad line."""
    records: list[dict[str, Any]] = []
    errors: list[InputInvalid] = []
    try:
        for number, data in inputs.lines(raw):
            try:
                records.append(model.check(data, extra=LABEL if labelled else LABEL_ALLOWED))
            except InputInvalid as error:
                errors.append(InputInvalid(error.detail, code=error.code, field=error.field, line=number))
    except InputInvalid as error:  # undecodable or not JSON: the rest of the file cannot be trusted
        errors.append(error)
    if not records and not errors:
        errors.append(InputInvalid("文件没有任何输入行", code="empty_file"))
    if errors:
        raise FileInvalid(errors)
    return records


@dataclass(frozen=True, slots=True)
class Measures:
    """The confusion table of alerts against labels, with precision and recall (None where undefined)."""

    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int

    @property
    def precision(self) -> float | None:
        alerted = self.true_positive + self.false_positive
        return self.true_positive / alerted if alerted else None

    @property
    def recall(self) -> float | None:
        positive = self.true_positive + self.false_negative
        return self.true_positive / positive if positive else None

    def as_json(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall,
                "confusion": {"tp": self.true_positive, "fp": self.false_positive, "fn": self.false_negative,
                              "tn": self.true_negative}}


def measure(verdicts: list[Verdict], labels: list[bool]) -> Measures:
    """Alerts compared with labels, line by line."""
    pairs = list(zip((verdict.alert for verdict in verdicts), labels, strict=True))
    return Measures(pairs.count((True, True)), pairs.count((True, False)), pairs.count((False, True)),
                    pairs.count((False, False)))


def shown(verdict: Verdict, form: str) -> bytes:
    """One verdict as `jianguan risk scan` prints it, in UTF-8: a JSON object (`json`) or a tab-separated line
    (`text`). A verdict with nothing found, most of a scan's, is its id before the model's fixed remainder."""
    if form == "json":
        if verdict.hits or verdict.band is not None or verdict.score:
            return orjson.dumps(verdict.as_json())
        return b'{"id":' + orjson.dumps(verdict.id) + _quiet(verdict.model, verdict.version, verdict.alert)
    quoted = "；".join(f"{hit.rule}“{hit.quote}”" if hit.quote else f"{hit.rule}（{hit.note}）" for hit in verdict.hits)
    return (f"{verdict.id}\t{'预警' if verdict.alert else '—'}\t{verdict.score:g}\t{verdict.band or ''}\t"
            f"{quoted}").encode()


def _outside_only(model: Model, verdict: Verdict) -> bool:
    """The verdict is the model's on a line outside its scope (`engine.Scope.outside`), a listing of another kind of
    product: one weight-0 note quoting the number, no score."""
    if len(verdict.hits) != 1 or verdict.alert or verdict.score or verdict.band is not None or model.scope is None:
        return False
    hit, scope = verdict.hits[0], model.scope
    return (hit.rule == scope.rule and hit.field == scope.field and hit.note == scope.note and not hit.article
            and hit.start is None and hit.end is None)


@cache
def _outside(model: str, version: str, rule: str, field: str, note: str) -> tuple[bytes, bytes]:
    """What comes between the id and the quoted number, and after the number, in the JSON of a verdict on a line
    outside the model's scope (`Verdict.as_json`)."""
    whole = orjson.dumps(Verdict(0, False, 0.0, None, (Hit(rule, "", "\x00", None, None, field, note),), model,
                                 version).as_json())
    before, after = whole.split(b'"\\u0000"')
    return before[len(b'{"id":0'):], after


@cache
def _quiet(model: str, version: str, alert: bool) -> bytes:
    """What follows the id in the JSON of a verdict with no hit, no score and no band (`Verdict.as_json`)."""
    whole = orjson.dumps(Verdict(0, alert, 0.0, None, (), model, version).as_json())
    return whole[len(b'{"id":0'):]


def printed(model: Model, record: Mapping[str, Any], verdict: Verdict | None, form: str) -> bytes:
    """`shown` of a verdict of `Model.judged`: None (nothing found) printed in JSON without building the verdict."""
    if verdict is not None:
        if form == "json" and model.scope is not None and _outside_only(model, verdict):
            before, after = _outside(model.name, model.version, model.scope.rule, model.scope.field, model.scope.note)
            return b'{"id":' + orjson.dumps(verdict.id) + before + orjson.dumps(verdict.hits[0].quote) + after
        return shown(verdict, form)
    if form == "json":
        return b'{"id":' + orjson.dumps(record["id"]) + _quiet(model.name, model.version, False)
    return shown(model.quiet(record["id"]), form)


def lines_printed(names: Sequence[str], data: Any, form: str) -> list[tuple[str, bool, bytes]]:
    """One line checked and judged by each model of `names` (`engine.verdicts`), each verdict as (model, alert,
    printed)."""
    return [(chosen.name, verdict is not None and verdict.alert, printed(chosen, record, verdict, form))
            for chosen, record, verdict in engine.findings(names, data)]


def _shown(name: str, form: str, registers: Registers | None, records: Sequence[Mapping[str, Any]]) -> bytes:
    chosen = engine.model(name)
    return b"".join(printed(chosen, record, chosen.judged(record, registers=registers), form) + b"\n"
                    for record in records)


def scan(model: Model, records: Sequence[Mapping[str, Any]], *, form: str, workers: int = 1,
         registers: Registers | None = None) -> Iterator[bytes]:
    """The verdicts on checked lines as printed (`shown`), UTF-8 bytes per chunk of lines, in order (a worker
    hands back bytes: nothing decoded to be pickled, unpickled and encoded again); judged by `workers`
    processes (`parallel.chunks`), against `registers` where given (held in memory: the workers inherit them)."""
    return parallel.chunks(partial(_shown, model.name, form, registers), records, workers=workers)

