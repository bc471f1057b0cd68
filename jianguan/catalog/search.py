"""Keyword index of the catalog: Chinese words by rjieba (search mode) plus single characters.

SQLite's trigram full-text index returns nothing for one- and two-character Chinese queries, and database-specific
indexes differ between SQLite and PostgreSQL; a table of (term, version) rows works the same on both and answers
one-character queries too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import rjieba

_WORD = re.compile(r"[\w]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff]")
MAX_TERM = 40


def index_terms(*texts: str) -> set[str]:
    """The terms a text is found by: words (search segmentation), their characters, latin/digit runs."""
    terms: set[str] = set()
    for text in texts:
        if not text:
            continue
        for token in rjieba.cut_for_search(text):
            token = token.strip().lower()
            if token and _WORD.fullmatch(token):
                terms.add(token[:MAX_TERM])
        terms.update(_HAN.findall(text))
    return terms


def query_terms(query: str) -> list[str]:
    """The terms a query must all match: its words (precise segmentation), longest first."""
    words = [t.strip().lower() for t in rjieba.cut(query or "") if t.strip() and _WORD.fullmatch(t.strip())]
    unique = list(dict.fromkeys(w[:MAX_TERM] for w in words))
    return sorted(unique, key=len, reverse=True)


def version_terms(name: str, basis_titles: Iterable[str], supervised_object: str) -> set[str]:
    return index_terms(name, " ".join(basis_titles), supervised_object)
