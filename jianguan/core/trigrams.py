"""Words found by trigrams (ADR 0052): a text's terms are the trigrams of its casefolded characters followed by
`END`, so that every two characters of the text begin some term. The public decision search (`disclosure.search`)
and the case library (`casebook.search`) keep such terms beside their rows and read the rows of a word's terms
instead of every row; each candidate is then checked by `icontains`, so the terms choose which rows are read,
never what is found."""

from __future__ import annotations

END = "\x1f"  # after each text: its last two characters begin a term too


def grams(text: str) -> set[str]:
    """The terms of one text."""
    folded = text.casefold() + END
    return {folded[i:i + 3] for i in range(len(folded) - 2)}


def query_grams(q: str) -> set[str]:
    """The trigrams every text containing `q` holds (none for a word shorter than three characters)."""
    folded = q.casefold()
    return {folded[i:i + 3] for i in range(len(folded) - 2)}
