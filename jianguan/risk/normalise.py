"""Normalise a text for matching, keeping where each character came from.

Evasions of a keyword filter change how a word is written, not what it says: 根 治 (spaces), ｇｅｎ治 (full width),
根\u200b治 (a zero-width character), 根🔥治 (an emoji between), 根治 written 根治 in traditional characters. The
normalised text keeps only letters and digits, folded to one form: NFKC (full width to half width), lower case,
traditional to simplified (one character for one character, so offsets survive), Latin tone marks dropped (gēn → gen).
Everything else (spaces, punctuation, symbols, emoji, zero-width and control characters, combining marks) is removed.

Nothing is mapped across kinds of character: 三 stays 三 and 3 stays 3, so 下三滥 is still 下三滥 (a filter mapping 三
to 3 loses it). Pinyin and homophones are matched on the lexicon's side (`lexicon.variants`), never by rewriting the
text, so a word in the text is never turned into another.

`Normalised.origin[i]` is the index in the original text of the normalised character `i`; `span` turns a span of
the normalised text back into offsets into the original, so evidence quotes the real text.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from itertools import chain, count, repeat

import opencc

# The CJK blocks whose traditional forms are folded (Unified Ideographs and Extension A; compatibility ideographs are
# folded by NFKC first).
_CJK_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))


@cache
def _simplified() -> dict[str, str]:
    """Traditional → simplified, one character for one, taken from OpenCC's t2s character table.

    Each character is converted on its own line so no phrase rule applies; a conversion to more or fewer than one
    character is left out (offsets would not survive it).
    """
    chars = [chr(code) for first, last in _CJK_BLOCKS for code in range(first, last + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        raise RuntimeError("OpenCC t2s changed the number of lines of the character table")
    return {old: new for old, new in zip(chars, converted, strict=True) if new != old and len(new) == 1}


@lru_cache(maxsize=65536)
def fold(char: str) -> str:
    """The normalised form of one character: zero, one or (for a compatibility character) several characters."""
    table = _simplified()
    kept = []
    for part in unicodedata.normalize("NFKC", char).lower():
        part = table.get(part, part)
        if part.isascii() or not unicodedata.category(part).startswith("L"):
            base = part
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", part) if not unicodedata.combining(c))
            base = base if len(base) == 1 and base.isascii() else part
        if unicodedata.category(base)[0] in "LN":
            kept.append(base)
    return "".join(kept)


class _Folding(dict[int, str]):
    """Code point → its folded form, for `str.translate`; each character folded once per process."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold(chr(code))
        return folded


_FOLDING = _Folding()


class Normalised:
    """A normalised text; `origin[i]` is the index of the original character its character `i` came from (worked
    out on first use: only a text with hits needs it)."""

    __slots__ = ("_origin", "source", "text")

    def __init__(self, source: str) -> None:
        self.source = source
        self.text = source.translate(_FOLDING)
        self._origin: tuple[int, ...] | None = None

    @property
    def origin(self) -> tuple[int, ...]:
        if self._origin is None:
            lengths = map(len, map(_FOLDING.__getitem__, map(ord, self.source)))
            self._origin = tuple(chain.from_iterable(map(repeat, count(), lengths)))
        return self._origin

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets `[start, end)` of the normalised span `[start, end)` (end > start)."""
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    """Normalise `text`, keeping the origin of every character (see the module's docstring)."""
    return Normalised(text)


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    """The normalised text alone (for lexicon patterns, which need no origin; the same few patterns are keyed over
    and over, so the last few thousand are kept)."""
    return text.translate(_FOLDING)
