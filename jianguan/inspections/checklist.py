"""The checklist of an inspection, made from the implementation row's 检查内容: 日常 for every kind of check, 专项
for a 专项检查 (falling back to the 日常 content when the row lists no 专项 content). Pure functions."""

from __future__ import annotations

import re
from typing import Any

from jianguan.core.errors import ValidationFailed

from .models import Answer, ChecklistKind, OriginKind

_SEPARATORS = re.compile(r"[、；;，,。\n\r]+")
# "1." "2、" "（三）" "4)" at the start of the text or after a separator: numbering, not content.
_NUMERAL = "[0-9一二三四五六七八九十]+"
_NUMBERING = re.compile(rf"(^|[；;，,。\n\r])\s*(?:[（(]{_NUMERAL}[)）]|{_NUMERAL}[.、．)）])")


def items_of(content: str) -> list[str]:
    """The checklist items named in a 检查内容 text: numbering removed, split at 、；，。 and line breaks, each once."""
    items: list[str] = []
    for part in _SEPARATORS.split(_NUMBERING.sub(r"\1", content or "")):
        item = part.strip()
        if item and item not in items:
            items.append(item)
    return items


def kind_for(origin_kind: str) -> str:
    return ChecklistKind.SPECIAL if origin_kind == OriginKind.SPECIAL else ChecklistKind.ROUTINE


def items_for(card: Any, checklist_kind: str) -> list[str]:
    """The items of an implementation card (`catalog.contracts.ImplementationCard`) for the checklist kind."""
    if checklist_kind == ChecklistKind.SPECIAL and items_of(card.content_special):
        return items_of(card.content_special)
    return items_of(card.content_routine)


def blank(items: list[str]) -> list[dict[str, Any]]:
    return [{"seq": n, "item": item, "answer": "", "note": ""} for n, item in enumerate(items, 1)]


def answered(checklist: list[dict[str, Any]], answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checklist with the given answers (matched by the item's text); an item that is not on the list, or an
    answer outside 合格/不合格/不涉及, is refused."""
    by_item = {row["item"]: dict(row) for row in checklist}
    for answer in answers:
        item = str(answer.get("item", "")).strip()
        if item not in by_item:
            raise ValidationFailed(f"检查内容“{item}”不在本次检查的清单中", code="checklist_item_unknown",
                                   field="checklist")
        value = str(answer.get("answer", "") or "")
        if value and value not in Answer.values:
            raise ValidationFailed(f"检查内容“{item}”的结论应为合格、不合格或不涉及", code="checklist_answer_invalid",
                                   field="checklist")
        by_item[item]["answer"] = value
        by_item[item]["note"] = str(answer.get("note", "") or "")[:500]
    return [by_item[row["item"]] for row in checklist]


def unanswered(checklist: list[dict[str, Any]]) -> list[str]:
    return [row["item"] for row in checklist if row.get("answer") not in Answer.values]


def failed(checklist: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in checklist if row.get("answer") == Answer.FAIL]
