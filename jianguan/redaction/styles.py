"""How a hidden span reads in the redacted copy (`JIANGUAN_REDACTION_STYLE`).

- `partial` (default): a person's name keeps its first character (张**), an ID number its first four and last
  four characters (4206**********1234), a phone number its first three and last four digits (138****8000), a bank
  card or account its last four digits (************1234); anything else reads `***` (its length not shown).
- `full`: every hidden character becomes `*` (the length shows).
- `label`: the span becomes the name of what was hidden, e.g. 【已隐去：身份证号码】.

Whatever the style, the whole original value never survives: at least the middle of a number and every character
but the first of a name is gone. Separators of numbers (spaces, hyphens) are dropped in `partial`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

STYLES: Final = ("partial", "full", "label")

KIND_LABELS: Final = {
    "id_number": "证件号码",
    "phone": "联系电话",
    "bank_account": "银行账户",
    "address": "住址",
    "person_name": "姓名",
    "health": "健康信息",
    "secret": "秘密信息",
    "other": "个人信息",
}
KINDS: Final = tuple(KIND_LABELS)

# Kept characters at the front and the back of a number's digits, by kind.
_KEEP: Final = {"id_number": (4, 4), "phone": (3, 4), "bank_account": (0, 4)}


_NOT_DIGIT: Final = re.compile(r"[^\dXxＸｘ]+")


def _digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def partial(text: str, kind: str) -> str:
    if kind == "person_name":
        return text[:1] + "*" * (len(text) - 1) if len(text) > 1 else "*"
    keep = _KEEP.get(kind)
    if keep is None:
        return "***"
    digits = _digits(text)
    front, back = keep
    if len(digits) < front + back + 4:  # too short to show anything safely
        return "*" * len(digits) if digits else "***"
    return digits[:front] + "*" * (len(digits) - front - back) + digits[-back:]


def full(text: str, kind: str) -> str:
    return "*" * len(text)


def label(text: str, kind: str) -> str:
    return f"【已隐去：{KIND_LABELS.get(kind, KIND_LABELS['other'])}】"


def masking(style: str) -> Callable[[str, str], str]:
    """The masking function of `style` (one of `STYLES`)."""
    return {"partial": partial, "full": full, "label": label}[style]
