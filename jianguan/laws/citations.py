"""Citation text to provision ids (ADR 0059): pure, no database.

A citation names a law (in 《》 or by a known title, with or without 中华人民共和国) followed by 条, optionally 款 and
项: 《中华人民共和国行政处罚法》第三十二条第一款第（二）项, 行政处罚法第33条, 食品安全法 第一百二十四条. Several
articles after one title (第一百一十条、第四十六条、第一百零九条第一款) belong to the nearest title before them.
`<law>/a33/p1/i2` is the stable id: the article's number (`a33-1` for 第三十三条之一), the 款 and the 项 counted
from 1; it does not name the chapter, so an article moved between chapters keeps its id."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

NUMERAL = r"[零〇一二两三四五六七八九十百千\d]+"
_ARTICLE = re.compile(rf"第\s*({NUMERAL})\s*条(?:之({NUMERAL}))?(?:\s*第\s*({NUMERAL})\s*款)?"
                      rf"(?:\s*第?\s*[（(]\s*({NUMERAL})\s*[）)]\s*项?|\s*第\s*({NUMERAL})\s*项)?")
_TITLE = re.compile(r"《([^》]{1,100})》")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_DIGITS = "零一二三四五六七八九"
PREFIX = "中华人民共和国"
_JOINS = " 　、，,和及与或以"  # what may stand between two articles of one law


def number(text: str) -> int:
    """一百零九 → 109, 十二 → 12, 33 → 33."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


def numeral(value: int) -> str:
    """109 → 一百零九, 12 → 十二 (the inverse of `number` for 1–9999)."""
    parts, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit)
        if digit:
            if zero:
                parts.append("零")
            parts.append(CN_DIGITS[digit] + name)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def normal_title(title: str) -> str:
    return title.strip().removeprefix(PREFIX)


def article_key(main: int, sub: int | None = None) -> str:
    return f"a{main}" if sub is None else f"a{main}-{sub}"


@dataclass(frozen=True)
class Cite:
    """One cited provision: where in the text, the law (its slug) and the stable id."""

    start: int
    end: int
    slug: str
    pid: str


def pid_of(slug: str, article: int, sub: int | None = None, paragraph: int | None = None,
           item: int | None = None) -> str:
    pid = f"{slug}/{article_key(article, sub)}"
    if paragraph is not None:
        pid += f"/p{paragraph}"
    if item is not None:
        pid += f"/i{item}" if paragraph is not None else f"/p1/i{item}"
    return pid


def _mentions(text: str, titles: Mapping[str, str]) -> list[tuple[int, int, str]]:
    """Where laws are named: titles in 《》 first; without any, the known titles (longest first) in plain text."""
    found = [(m.start(), m.end(), titles[normal_title(m.group(1))]) for m in _TITLE.finditer(text)
             if normal_title(m.group(1)) in titles]
    if found or "《" in text:
        return found
    taken: list[tuple[int, int, str]] = []
    for title in sorted(titles, key=len, reverse=True):
        for m in re.finditer(re.escape(title), text):
            start = m.start() - len(PREFIX) if text[:m.start()].endswith(PREFIX) else m.start()
            if not any(s < m.end() and m.start() < e for s, e, _ in taken):
                taken.append((start, m.end(), titles[title]))
    return sorted(taken)


def parse(text: str, titles: Mapping[str, str]) -> list[Cite]:
    """The provisions `text` cites; `titles` maps each law's title without 中华人民共和国 (and its short titles)
    to its slug. An article with no law named before it is not a citation."""
    cites: list[Cite] = []
    mentions = _mentions(text, titles)
    for index, (start, end, slug) in enumerate(mentions):
        stop = mentions[index + 1][0] if index + 1 < len(mentions) else len(text)
        first = True
        for m in _ARTICLE.finditer(text, end, stop):
            if text[end:m.start()].strip(_JOINS if not first else " 　"):
                break  # another law named in words, or prose: what follows is not this law's
            article, sub, paragraph, item, plain_item = (number(g) if g else None for g in m.groups())
            cites.append(Cite(start if first else m.start(), m.end(), slug,
                              pid_of(slug, article or 0, sub, paragraph, item or plain_item)))
            first, end = False, m.end()
    return cites


def label_of(pid: str) -> str:
    """`xingzheng-chufa/a32/p1/i2` → 第三十二条第一款第（二）项."""
    parts = pid.split("/")[1:]
    label = ""
    for part in parts:
        kind, value = part[0], part[1:]
        if kind == "a":
            main, _, sub = value.partition("-")
            label += f"第{numeral(int(main))}条" + (f"之{numeral(int(sub))}" if sub else "")
        elif kind == "p":
            label += f"第{numeral(int(value))}款"
        elif kind == "i":
            label += f"第（{numeral(int(value))}）项"
        elif kind == "c":
            label += f"第{numeral(int(value))}章"
        elif kind == "s":
            label += f"第{numeral(int(value))}节"
    return label
