"""The published PDF of a redacted copy: laid out from the copy only (a hidden value is absent from the file,
not covered by a box), without document information, and read back before it is returned: when any hidden value
(or its digits alone) can still be read from the pages, the file is refused.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from django.template.loader import render_to_string

from jianguan.core.errors import DomainError
from jianguan.documents import contracts as documents

from .engine import ascii_digits

_LOOSE = re.compile(r"[\s\-－—_·.,，。、]+")
_WIDE = str.maketrans("０１２３４５６７８９ＸＸｘ", "0123456789XXx")
# Hidden values shorter than this (after loosening) are not searched for alone: one character matches anywhere.
MIN_CHECKED = 2
MIN_DIGITS = 6


class LeftoverFound(DomainError):
    """A hidden value can be read from the PDF: the file is not returned."""

    status = 409
    code = "redaction_leftover"


def loose(text: str) -> str:
    """`text` without blanks and separators, full-width digits as ASCII: how a value is compared with a page."""
    return _LOOSE.sub("", text.translate(_WIDE))


def leftovers(pages: Sequence[str], originals: Collection[str], *, keep: Collection[str] = ()) -> list[str]:
    """The hidden values that can still be read in `pages`; occurrences inside a `keep` value (the party's own
    name, which stays visible) do not count."""
    text = loose("".join(pages))
    for visible in sorted((loose(k) for k in keep if loose(k)), key=len, reverse=True):
        text = text.replace(visible, "\x00")
    digits_only = re.sub(r"[^0-9Xx\x00]", "", text)
    found = []
    for value in originals:
        whole, digits = loose(value), ascii_digits(value)
        if (len(whole) >= MIN_CHECKED and whole in text) or (len(digits) >= MIN_DIGITS and digits in digits_only):
            found.append(value)
    return found


def published_html(title: str, fields: Sequence[tuple[str, str]]) -> str:
    return render_to_string("redaction/published.html", {"title": title, "fields": list(fields)})


def redacted_pdf(title: str, fields: Sequence[tuple[str, str]], *, originals: Collection[str],
                 keep: Collection[str] = ()) -> bytes:
    """The A4 PDF of `title` and the (label, redacted value) rows, checked for every value of `originals`."""
    data = documents.bare_pdf(published_html(title, fields))
    found = leftovers(documents.pdf_text(data), originals, keep=keep)
    if found:
        raise LeftoverFound("隐去处理后的 PDF 仍能读出被隐去的内容，已拒绝生成；请复核隐去结果",
                            field="fields", extra={"leftovers": len(found)})
    return data
