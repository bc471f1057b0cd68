"""Masks over the original text and the redacted copy built from them.

A `Mask` names a span of one field of the ORIGINAL text (code-point offsets, end exclusive), the rule that made it
and the kind of data it hides. Masks of one field that overlap are merged into one (the first rule kept, the others
named in `note`); the redacted copy replaces each merged span by its masking (`styles`), the original is never
touched.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True, order=True)
class Mask:
    """One hidden span of `field`: `original[start:end]`, found by `rule` (a stable code), of `kind`."""

    field: str
    start: int
    end: int
    rule: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Redacted:
    """The redacted copy (`fields`, same keys as the original) and the masks that made it, sorted."""

    fields: dict[str, str]
    masks: tuple[Mask, ...]


def merge(masks: Iterable[Mask]) -> list[Mask]:
    """Sort and merge overlapping masks of the same field; touching spans stay apart."""
    merged: list[Mask] = []
    for mask in sorted(masks, key=lambda m: (m.field, m.start, -m.end)):
        last = merged[-1] if merged else None
        if last is not None and last.field == mask.field and mask.start < last.end:
            merged[-1] = replace(last, end=max(last.end, mask.end), note=_joined_note(last, mask))
        else:
            merged.append(mask)
    return merged


def _joined_note(kept: Mask, other: Mask) -> str:
    if other.rule == kept.rule or f"+{other.rule}" in kept.note.split(" "):
        return kept.note
    return " ".join(part for part in (kept.note, f"+{other.rule}") if part)


def applied(fields: Mapping[str, str], masks: Sequence[Mask], masking: Callable[[str, str], str]) -> dict[str, str]:
    """The redacted copy: each field with its merged masks' spans replaced by `masking(text, kind)`."""
    by_field: dict[str, list[Mask]] = {}
    for mask in masks:
        by_field.setdefault(mask.field, []).append(mask)
    copy: dict[str, str] = {}
    for name, text in fields.items():
        spans = by_field.get(name)
        if not spans:
            copy[name] = text
            continue
        parts, at = [], 0
        for mask in spans:
            parts.append(text[at:mask.start])
            parts.append(masking(text[mask.start:mask.end], mask.kind))
            at = mask.end
        parts.append(text[at:])
        copy[name] = "".join(parts)
    return copy


def reviewed(found: Iterable[Mask], *, added: Sequence[Mask], removed: Collection[tuple[str, int, int]]) -> list[Mask]:
    """The found masks without those a reviewer removed (by field, start, end), plus the ones they added."""
    gone = set(removed)
    return [m for m in found if (m.field, m.start, m.end) not in gone] + list(added)


def masked_values(original: Mapping[str, str], masks: Iterable[Mask]) -> frozenset[str]:
    """The original values the masks hide (what must not be left in anything published)."""
    return frozenset(original[m.field][m.start:m.end] for m in masks if m.field in original and m.end > m.start)
