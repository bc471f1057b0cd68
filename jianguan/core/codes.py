"""Check characters of Chinese identification codes.

- 统一社会信用代码 (USCC), GB 32100-2015: 18 characters over a 31-letter alphabet, the 18th a check character.
- 组织机构代码, GB 11714-1997: characters 9–17 of a USCC; its own check character is verified as a warning only,
  because whether every issued code passes is unconfirmed (reference-codes.md §1).
- 公民身份号码, GB 11643-1999: 18 characters, the last a check digit (0–9 or X).

Inline tables instead of python-stdnum in the hot path: the seed and the quality engine check millions of codes,
and stdnum also misses the `S mod 31 = 0` case on some versions' callers (the check must be `0`, not empty).
"""

from __future__ import annotations

import datetime as dt
import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_RIC_CHECK = "10X98765432"
_RIC_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def uscc_check_char(first17: str) -> str:
    """The 18th character for the first 17 characters of a USCC (raises KeyError on a foreign character)."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """Why `code` is not a valid USCC (a rule name), or None when it is valid."""
    if len(code) != 18:
        return "length"
    if not _USCC_SHAPE.fullmatch(code):
        return "alphabet"
    if uscc_check_char(code[:17]) != code[17]:
        return "check_char"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_error(code) is None


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character for the 8 body characters of an 组织机构代码."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def uscc_org_code_warning(code: str) -> bool:
    """True when the embedded 组织机构代码 of a valid USCC fails its own check (a warning, not an error)."""
    return org_code_check_char(code[8:16]) != code[16]


def build_uscc(*, authority: str, category: str, region: str, org_body: str) -> str:
    """Assemble a USCC from its parts, computing both check characters (for seeds and tests)."""
    first17 = authority + category + region + org_body + org_code_check_char(org_body)
    return first17 + uscc_check_char(first17)


def ric_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _RIC_WEIGHTS, strict=True))
    return _RIC_CHECK[total % 11]


def ric_error(number: str) -> str | None:
    """Why an 18-character 公民身份号码 is invalid (a rule name), or None. Lowercase x is accepted."""
    number = number.upper()
    if len(number) != 18:
        return "length"
    if not _RIC_SHAPE.fullmatch(number):
        return "alphabet"
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birth_date"
    if ric_check_char(number[:17]) != number[17]:
        return "check_char"
    return None


def mask_ric(number: str) -> str:
    """Show an ID number as 4212**********123X: region prefix and last four only."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if len(number) > 8 else "*" * len(number)
