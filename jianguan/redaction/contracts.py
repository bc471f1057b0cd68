"""What other apps use of redaction (公示信息隐去): a redacted copy of a decision's texts, the reviewer's
side-by-side view, and the published PDF.

    found = contracts.redact({"违法事实": facts, "处罚依据": basis}, persons=["张三", "李四"], party="张三",
                             secret_fields={"备注"})
    found.fields["违法事实"]      # the redacted copy; the original mapping is never changed
    found.masks                  # Mask(field, start, end, rule, kind, note): offsets into the ORIGINAL text
    rows = contracts.diff_rows(original, found)     # for the reviewer: original with spans | redacted
    # a reviewer's changes, with the reason in `note`:
    again = contracts.redact(original, ..., added=[Mask("违法事实", 3, 5, "manual", "person_name", "证人")],
                             removed=[("违法事实", 10, 21)])
    pdf = contracts.redacted_pdf("行政处罚决定公示", list(again.fields.items()),
                                 originals=contracts.masked_values(original, again), keep=["张三"])

`redact` runs the built-in rules and the administrators' custom rules in force (`RedactionRule`), masking in the
style `JIANGUAN_REDACTION_STYLE`. A manual mask names rule `manual`; `removed` drops found masks by their
(field, start, end) before merging. `redacted_pdf` raises `LeftoverFound` when a hidden value can still be read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max

from jianguan.core.validation import require

from . import masks, rules, styles
from .engine import Engine
from .masks import Mask, Redacted, merge
from .models import RedactionRule
from .publishing import LeftoverFound, leftovers, redacted_pdf

MANUAL = "manual"
_ENGINE: dict[tuple[object, ...], Engine] = {}


def engine() -> Engine:
    """The engine with the custom rules in force and the configured style (rebuilt when the rules change)."""
    state = RedactionRule.objects.aggregate(n=Count("id"), last=Max("id"))
    key = (state["n"], state["last"], settings.JIANGUAN_REDACTION_STYLE)
    if key not in _ENGINE:
        _ENGINE.clear()
        _ENGINE[key] = Engine(rules.engine_rules(rules.in_force()), style=settings.JIANGUAN_REDACTION_STYLE)
    return _ENGINE[key]


def _check_manual(fields: Mapping[str, str], added: Sequence[Mask]) -> None:
    for mask in added:
        text = fields.get(mask.field)
        require(text is not None and 0 <= mask.start < mask.end <= len(text),
                f"手工隐去的位置不在字段“{mask.field}”的范围内", "mask_out_of_range", "added")
        require(mask.kind in styles.KINDS, "手工隐去的类别无效", "kind_invalid", "added")


def redact(fields: Mapping[str, str], *, persons: Sequence[str] = (), party: str = "",
           secret_fields: Collection[str] = (), added: Sequence[Mask] = (),
           removed: Collection[tuple[str, int, int]] = ()) -> Redacted:
    """A redacted copy of `fields` (name → text) and its masks; `persons` are the case's natural persons (all but
    `party` hidden), `secret_fields` are hidden whole; a reviewer's `added` and `removed` masks on top."""
    _check_manual(fields, added)
    return engine().redact(fields, persons=persons, party=party, secret_fields=secret_fields, added=added,
                           removed=removed)


def masked_values(original: Mapping[str, str], redacted: Redacted) -> frozenset[str]:
    """The original values `redacted`'s masks hide: what `redacted_pdf` must not leave readable."""
    return masks.masked_values(original, redacted.masks)


@dataclass(frozen=True)
class Part:
    """A piece of an original text: `masked` when a mask hides it (then `rule` and `kind` say which)."""

    text: str
    masked: bool = False
    rule: str = ""
    kind: str = ""
    note: str = ""


@dataclass(frozen=True)
class DiffRow:
    """One field side by side: the original in parts (masked spans marked) and the redacted copy."""

    field: str
    original: tuple[Part, ...]
    redacted: str
    masks: tuple[Mask, ...]


def diff_rows(original: Mapping[str, str], redacted: Redacted) -> list[DiffRow]:
    """Each field of `original` with its masked spans marked, beside its redacted copy, in the original's order."""
    rows = []
    for name, text in original.items():
        spans = tuple(m for m in redacted.masks if m.field == name)
        parts, at = [], 0
        for mask in spans:
            if mask.start > at:
                parts.append(Part(text[at:mask.start]))
            parts.append(Part(text[mask.start:mask.end], True, mask.rule, mask.kind, mask.note))
            at = mask.end
        if at < len(text):
            parts.append(Part(text[at:]))
        rows.append(DiffRow(name, tuple(parts), redacted.fields.get(name, text), spans))
    return rows


__all__ = ["MANUAL", "DiffRow", "LeftoverFound", "Mask", "Part", "Redacted", "diff_rows", "engine", "leftovers",
           "masked_values", "merge", "redact", "redacted_pdf"]
