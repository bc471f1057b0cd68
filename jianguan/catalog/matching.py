"""Map a department's own item list onto the catalog by the same legal basis (法定依据同源).

For each row: catalog 子项 citing the same law and article rank first, then the same law, then the similarity
of basis and name by Chinese words (rjieba). Every candidate carries the evidence of its score.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import rjieba

from .models import CatalogVersion, Law

_TITLE = re.compile(r"《([^》]+)》")
_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百千\d]+)条")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
# Function words, and words every supervision item shares (they say nothing about which item it is).
STOPWORDS = frozenset(["的", "对", "和", "与", "及", "或", "等", "之", "于", "中华人民共和国", "规定", "条", "第",
                       "款", "项", "法", "条例", "办法", "依据", "根据", "有关", "其他", "监督", "检查", "监督检查",
                       "管理", "实施"])
# Below this a candidate rests on stray shared words only (a fifth of the words in common scores 0.04).
MIN_SCORE = 0.03


def chinese_number(text: str) -> int:
    """一百一十 → 110, 二十三 → 23, 十 → 10, 123 → 123."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
    return total + current


def _normalise_title(title: str) -> str:
    return title.replace("中华人民共和国", "").strip()


@dataclass(frozen=True)
class Citation:
    law: str  # a Law key
    article: int | None


def citations(text: str, laws: dict[str, str]) -> list[Citation]:
    """Laws (by key) and articles cited in free text. `laws` maps normalised titles and keys to keys.

    An article number belongs to the nearest law named before it.
    """
    found: list[Citation] = []
    mentions = []
    for match in _TITLE.finditer(text):
        key = laws.get(_normalise_title(match.group(1)))
        if key:
            mentions.append((match.start(), match.end(), key))
    if not mentions:
        for name, key in laws.items():
            for match in re.finditer(re.escape(name), text):
                mentions.append((match.start(), match.end(), key))
        mentions.sort()
    for index, (_start, end, key) in enumerate(mentions):
        stop = mentions[index + 1][0] if index + 1 < len(mentions) else len(text)
        articles = [chinese_number(m.group(1)) for m in _ARTICLE.finditer(text, end, stop)]
        found.extend(Citation(key, a) for a in articles) if articles else found.append(Citation(key, None))
    return list(dict.fromkeys(found))


def words(text: str) -> set[str]:
    return {w for w in rjieba.cut(text) if len(w.strip()) > 0 and w not in STOPWORDS and not w.isspace()
            and not _ARTICLE.fullmatch(w) and re.search(r"\w", w)}


@dataclass
class Candidate:
    version: CatalogVersion
    score: Decimal
    evidence: dict = field(default_factory=dict)


class Matcher:
    """Built once over the catalog in force; `match(name, basis)` ranks 子项 for one row."""

    def __init__(self, versions: list[CatalogVersion]) -> None:
        self.laws: dict[str, str] = {}
        for law in Law.objects.all():
            self.laws[_normalise_title(law.title)] = law.key
            self.laws[law.key] = law.key
        self.versions = versions
        self.cited: dict[int, set[Citation]] = {}
        self.words: dict[int, set[str]] = {}
        self.by_law: dict[str, set[int]] = defaultdict(set)
        self.by_word: dict[str, set[int]] = defaultdict(set)
        for version in versions:
            refs = {Citation(r.law.key, chinese_number(r.article[1:-1])) for r in version.basis.all()}
            self.cited[version.pk] = refs
            text = version.name + " " + " ".join(f"{r.law.title}{r.article}{r.text}" for r in version.basis.all())
            self.words[version.pk] = words(text)
            for ref in refs:
                self.by_law[ref.law].add(version.pk)
            for word in self.words[version.pk]:
                self.by_word[word].add(version.pk)
        self.by_pk = {v.pk: v for v in versions}

    def match(self, name: str, basis: str, *, limit: int = 5) -> list[Candidate]:
        row_cites = citations(basis, self.laws)
        row_words = words(name + " " + basis)
        pool: set[int] = set()
        for cite in row_cites:
            pool |= self.by_law.get(cite.law, set())
        for word in row_words:
            pool |= self.by_word.get(word, set())
        ranked = []
        for pk in pool:
            same_article = sorted(f"{c.law}第{c.article}条" for c in row_cites
                                  if c.article is not None and c in self.cited[pk])
            same_law = sorted({c.law for c in row_cites} & {c.law for c in self.cited[pk]})
            shared = row_words & self.words[pk]
            union = row_words | self.words[pk]
            similarity = len(shared) / len(union) if union else 0.0
            score = (0.6 if same_article else 0.0) + (0.2 if same_law else 0.0) + 0.2 * similarity
            if score < MIN_SCORE:
                continue
            ranked.append(Candidate(self.by_pk[pk], Decimal(f"{score:.3f}"), {
                "same_article": same_article, "same_law": same_law, "shared_words": sorted(shared)[:20],
                "similarity": round(similarity, 3)}))
        ranked.sort(key=lambda c: (-c.score, c.version.item.code))
        return ranked[:limit]
