"""The published copy of an item: its publishable fields redacted by `redaction.contracts.redact` (ADR 0047).

A copy is made, never the original changed: `item.fields` keeps what the decision says, `item.redacted` is what is
published and pushed, `item.masks` the masks that made it, each with the rule that made it (disclosure-credit.md
§5: ID numbers, home addresses, phones, bank accounts, health data, names of natural persons other than the party,
marked secrets). The party's own name stays visible. A reviewer adds a mask (rule `manual`) or removes one found by
the rules, each with a reason; the copy is then made again from the original with those changes, so the rules and
the reviewer's decisions are both kept. Codes, dates, amounts and the deciding body are not free text and are
copied as they are."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from jianguan.core.validation import require, text
from jianguan.redaction import contracts as redaction

from .models import DisclosureItem

# Structured fields published as they are (the party's name and code, numbers, dates, codes, the deciding body).
AS_IS = frozenset({"party_name", "party_category", "party_code_1", "id_type", "id_number", "decision_number",
                   "decided_on", "authority", "authority_code", "source_unit", "source_unit_code", "case_number",
                   "catalog_code", "procedure", "fine", "penalty_category", "category", "kind", "spot_check_plan",
                   "decision_doc_name", "licence_category", "certificate_name", "licence_number", "valid_from",
                   "valid_to", "licence_status"})


def texts_of(item: DisclosureItem) -> dict[str, str]:
    """The free-text fields of the item that the rules read."""
    return {k: v for k, v in item.fields.items() if k not in AS_IS and isinstance(v, str)}


def _mask(raw: dict[str, Any]) -> redaction.Mask:
    return redaction.Mask(raw["field"], int(raw["start"]), int(raw["end"]), raw["rule"], raw["kind"],
                          raw.get("note", ""))


def found(item: DisclosureItem) -> redaction.Redacted:
    """The rules' masks with the reviewer's changes, over the item's original texts."""
    added = [_mask(raw) for raw in item.masks_added]
    removed = {(f, int(s), int(e)) for f, s, e, *_ in item.masks_removed}
    return redaction.redact(texts_of(item), persons=_persons(item), party=item.party_name, added=added,
                            removed=removed)


def _persons(item: DisclosureItem) -> list[str]:
    """The natural persons named by the decision's records (`item.persons`, the case's person list kept by the
    sweep and refreshed at review and release) and its party when a person."""
    names = [item.party_name] if item.fields.get("party_category") == "person" else []
    return [*names, *(str(name) for name in item.persons)]


def item_redact(item: DisclosureItem) -> dict[str, Any]:
    """Make the item's published copy again (not saved); what changed, for the step's record."""
    result = found(item)
    item.redacted = {**item.fields, **result.fields}
    item.masks = [asdict(mask) for mask in result.masks]
    return {"masks": len(item.masks), "rules": sorted({m.rule for m in result.masks})}


def mask_change(item: DisclosureItem, values: dict[str, Any]) -> dict[str, Any]:
    """A reviewer's change: hide the text `mask_text` in `mask_field` (its first occurrence not yet hidden), or
    show again the mask `unmask` ("field:start:end"); `reason` required either way."""
    reason = text(values.get("reason"), "reason", "原因", max_len=500)
    unmask = str(values.get("unmask") or "").strip()
    if unmask:
        field, _, span = unmask.partition(":")
        start, _, end = span.partition(":")
        require(start.isdigit() and end.isdigit() and any(
            m["field"] == field and m["start"] == int(start) and m["end"] == int(end) for m in item.masks),
            "“取消隐去”应为当前的一处隐去", "mask_unknown", "unmask")
        item.masks_removed = [*item.masks_removed, [field, int(start), int(end), reason]]
        return {"removed": unmask, "reason": reason, **item_redact(item)}
    field = str(values.get("mask_field") or "")
    wanted = text(values.get("mask_text"), "mask_text", "需隐去的文字", max_len=200)
    original = texts_of(item).get(field)
    require(original is not None, "“字段”应为公示内容中的一个文字字段", "field_unknown", "mask_field")
    at = original.find(wanted) if original is not None else -1
    require(at >= 0, f"字段“{field}”中没有“{wanted}”", "text_not_found", "mask_text")
    mask = redaction.Mask(field, at, at + len(wanted), redaction.MANUAL, str(values.get("mask_kind") or "other"),
                          reason)
    item.masks_added = [*item.masks_added, asdict(mask)]
    return {"added": asdict(mask), **item_redact(item)}


def diff(item: DisclosureItem) -> list[Any]:
    """The reviewer's side-by-side view: each text field with its masked spans, beside the published copy."""
    return redaction.diff_rows(texts_of(item), found(item))
