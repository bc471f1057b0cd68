"""Codes of the one list.

- 监管事项目录编码: exactly 14 digits, mandatory in every behaviour record ([practice]). What the digits encode is
  unknown, so the code is treated as opaque and never parsed ([unconfirmed], catalog.md §2).
- 实施清单编码: the implementing body's 统一社会信用代码 (18), the 行使层级 digit (1), the 子项's 14-digit code and a
  two-digit sequence ([practice] for the first 19 characters; the rest is our reading, [unconfirmed]).
"""

from __future__ import annotations

import re

from jianguan.core.codes import uscc_error
from jianguan.core.errors import ValidationFailed

_CATALOG_CODE = re.compile(r"\d{14}")


def catalog_code_error(code: str) -> str | None:
    if len(code) != 14:
        return "length"
    if not _CATALOG_CODE.fullmatch(code):
        return "alphabet"
    return None


def require_catalog_code(code: str, *, field: str = "code") -> str:
    code = (code or "").strip()
    problem = catalog_code_error(code)
    if problem == "length":
        raise ValidationFailed(f"目录编码“{code}”应为 14 位（实为 {len(code)} 位）", code="catalog_code_length",
                               field=field)
    if problem:
        raise ValidationFailed(f"目录编码“{code}”只能由数字组成", code="catalog_code_alphabet", field=field)
    return code


def implementation_code(*, body_uscc: str, level: int, item_code: str, sequence: int = 1) -> str:
    """Build a 实施清单编码 from its parts (each checked)."""
    if uscc_error(body_uscc):
        raise ValidationFailed(f"实施主体统一社会信用代码“{body_uscc}”无效", code="body_uscc_invalid", field="body")
    if level not in range(1, 6):
        raise ValidationFailed("行使层级应为 1–5", code="level_invalid", field="level")
    require_catalog_code(item_code, field="item")
    return f"{body_uscc}{level}{item_code}{sequence:02d}"
