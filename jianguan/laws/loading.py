"""A law's text file read and checked whole (ADR 0059) before anything is written.

The file is JSON: the law (`slug`, `title`, `short_titles`, `issuer`, `level`) and its `versions`, each with its
`label`, 文号 (`number`), dates (`issued_on`, `effective_from`, `effective_to` — the first day no longer in force —
and `repealed`), `status` and `articles`; an article has its `number` (`sub` for 之一), `status` and `paragraphs`,
each paragraph its `text` and `items` (a list of texts). An article whose wording is not confirmed (`unverified`)
keeps its number and shape without text: `paragraphs` and `items` may then be counts. `chapters` (with
`sections`) name the articles they hold. Every refusal names where in the file and the rule."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from jianguan.core.validation import parse_date, require, text

from .citations import article_key, numeral
from .models import Kind, Level, TextStatus

MAX_BYTES = 5 * 1024 * 1024
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UNVERIFIED_TEXT = "待核对"


@dataclass
class Node:
    pid: str
    kind: str
    label: str
    status: str
    text: str = ""
    heading: str = ""
    children: list[Node] = field(default_factory=list)


@dataclass
class VersionData:
    label: str
    number: str
    issued_on: dt.date
    effective_from: dt.date
    effective_to: dt.date | None
    repealed: bool
    status: str
    note: str
    nodes: list[Node]  # chapters, and articles outside any chapter, in order


@dataclass
class LawData:
    slug: str
    title: str
    short_title: str
    issuer: str
    level: str
    versions: list[VersionData]


def decode(raw: bytes) -> Any:
    require(len(raw) <= MAX_BYTES, f"文件不能超过 {MAX_BYTES // 1024 // 1024} MB", "file_too_large", "file")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise_invalid(f"文件不是有效的 UTF-8 JSON：{exc}", "invalid_json", "file")


def raise_invalid(message: str, code: str, where: str) -> None:
    require(False, message, code, where)


def _obj(value: Any, where: str) -> dict[str, Any]:
    require(isinstance(value, dict), f"“{where}”应为对象", "invalid_type", where)
    return dict(value)


def _list(value: Any, where: str) -> list[Any]:
    require(isinstance(value, list), f"“{where}”应为列表", "invalid_type", where)
    return list(value)


def _choice(value: Any, choices: type[Level] | type[TextStatus], where: str) -> str:
    allowed = [c.value for c in choices]
    require(value in allowed, f"“{where}”应为 {'、'.join(allowed)} 之一", "invalid_choice", where)
    return str(value)


def _count(value: Any, where: str) -> int:
    require(isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 200,
            f"“{where}”应为 0 至 200 的整数", "invalid", where)
    return int(value)


def law_data(value: Any) -> LawData:
    data = _obj(value, "file")
    slug = text(data.get("slug"), "slug", "标识", max_len=60)
    require(SLUG.match(slug), "“标识”只能由小写字母、数字和连字符组成", "invalid", "slug")
    short = [text(s, f"short_titles[{i}]", "简称", max_len=100) for i, s in
             enumerate(_list(data.get("short_titles", []), "short_titles"))]
    versions = [version_data(v, slug, f"versions[{i}]") for i, v in
                enumerate(_list(data.get("versions"), "versions"))]
    require(versions, "至少应有一个版本", "required", "versions")
    check_overlap([(v.effective_from, v.effective_to) for v in versions], "versions")
    return LawData(slug, text(data.get("title"), "title", "名称", max_len=200), "、".join(short),
                   text(data.get("issuer"), "issuer", "制定机关", max_len=100),
                   _choice(data.get("level"), Level, "level"), versions)


def check_overlap(spans: list[tuple[dt.date, dt.date | None]], where: str) -> None:
    """The versions of one law are in force one after another: two that share a day are refused."""
    ordered = sorted(spans)
    for (first, end), (second, _) in pairwise(ordered):
        require(end is not None and end <= second,
                f"同一法律法规的版本施行期间重叠：{first} 起的版本与 {second} 起的版本", "version_overlap", where)


def version_data(value: Any, slug: str, where: str) -> VersionData:
    data = _obj(value, where)
    start = _date(data, "effective_from", where, "施行日期")
    end = _date(data, "effective_to", where, "失效日期") if data.get("effective_to") else None
    require(end is None or end > start, "失效日期应晚于施行日期", "dates_order", f"{where}.effective_to")
    status = _choice(data.get("status"), TextStatus, f"{where}.status")
    articles = {}
    for i, a in enumerate(_list(data.get("articles"), f"{where}.articles")):
        node = article_node(a, slug, status, f"{where}.articles[{i}]")
        require(node.pid not in articles, f"条文重复：{node.label}", "duplicate_provision", f"{where}.articles[{i}]")
        articles[node.pid] = node
    nodes = grouped(articles, _list(data.get("chapters", []), f"{where}.chapters"), slug, status, where)
    return VersionData(text(data.get("label"), f"{where}.label", "版本", max_len=60),
                       text(data.get("number"), f"{where}.number", "文号", required=False, max_len=100),
                       _date(data, "issued_on", where, "公布日期"), start, end,
                       bool(data.get("repealed", False)), status,
                       text(data.get("note"), f"{where}.note", "说明", required=False, max_len=300), nodes)


def _date(data: dict[str, Any], key: str, where: str, label: str) -> dt.date:
    require(data.get(key), f"缺少必填字段“{label}”", "required", f"{where}.{key}")
    return parse_date(data[key], f"{where}.{key}", label)


def article_node(value: Any, slug: str, default: str, where: str) -> Node:
    data = _obj(value, where)
    main = _count(data.get("number"), f"{where}.number")
    require(main > 0, "条的序号应大于 0", "invalid", f"{where}.number")
    sub = _count(data["sub"], f"{where}.sub") if data.get("sub") else None
    status = _choice(data.get("status", default), TextStatus, f"{where}.status")
    pid = f"{slug}/{article_key(main, sub)}"
    label = f"第{numeral(main)}条" + (f"之{numeral(sub)}" if sub else "")
    raw = data.get("paragraphs")
    paragraphs = [{}] * _count(raw, f"{where}.paragraphs") if isinstance(raw, int) else _list(raw, where)
    require(paragraphs, f"{label}至少应有一款", "required", f"{where}.paragraphs")
    node = Node(pid, Kind.ARTICLE, label, status)
    for p, para in enumerate(paragraphs, start=1):
        node.children.append(paragraph_node(para, f"{pid}/p{p}", p, status, f"{where}.paragraphs[{p - 1}]"))
    node.text = "\n".join(_whole(child) for child in node.children) if status == TextStatus.CONFIRMED else ""
    return node


def paragraph_node(value: Any, pid: str, index: int, status: str, where: str) -> Node:
    data = _obj(value, where)
    confirmed = status == TextStatus.CONFIRMED
    lead = text(data.get("text"), f"{where}.text", "条文", required=confirmed and not data.get("items"),
                max_len=4000)
    require(confirmed or not lead, "待核对的条文不写正文", "unverified_text", f"{where}.text")
    raw = data.get("items", [])
    items = [None] * _count(raw, f"{where}.items") if isinstance(raw, int) else _list(raw, f"{where}.items")
    node = Node(pid, Kind.PARAGRAPH, f"第{numeral(index)}款", status, lead)
    for i, item in enumerate(items, start=1):
        words = text(item, f"{where}.items[{i - 1}]", "项", required=confirmed, max_len=2000)
        require(confirmed or not words, "待核对的条文不写正文", "unverified_text", f"{where}.items[{i - 1}]")
        node.children.append(Node(f"{pid}/i{i}", Kind.ITEM, f"（{numeral(i)}）", status, words))
    return node


def _whole(paragraph: Node) -> str:
    return paragraph.text + "".join(f"{item.label}{item.text}" for item in paragraph.children)


def grouped(articles: dict[str, Node], chapters: list[Any], slug: str, status: str, where: str) -> list[Node]:
    """Chapters (and their sections) holding the articles they name; articles named by none stay at the top."""
    placed: set[str] = set()
    nodes = []
    for c, value in enumerate(chapters):
        here = f"{where}.chapters[{c}]"
        data = _obj(value, here)
        number = _count(data.get("number"), f"{here}.number")
        chapter = Node(f"{slug}/c{number}", Kind.CHAPTER, f"第{numeral(number)}章", status,
                       heading=text(data.get("title"), f"{here}.title", "章名", max_len=200))
        chapter.children = _take(articles, data.get("articles", []), placed, f"{here}.articles")
        for s, sec in enumerate(_list(data.get("sections", []), f"{here}.sections")):
            sdata = _obj(sec, f"{here}.sections[{s}]")
            snum = _count(sdata.get("number"), f"{here}.sections[{s}].number")
            section = Node(f"{slug}/c{number}/s{snum}", Kind.SECTION, f"第{numeral(snum)}节", status,
                           heading=text(sdata.get("title"), f"{here}.sections[{s}].title", "节名", max_len=200))
            section.children = _take(articles, sdata.get("articles", []), placed, f"{here}.sections[{s}].articles")
            chapter.children.append(section)
        nodes.append(chapter)
    rest = [node for pid, node in articles.items() if pid not in placed]
    return nodes + rest


def _take(articles: dict[str, Node], numbers: Any, placed: set[str], where: str) -> list[Node]:
    taken = []
    slug = next(iter(articles)).split("/")[0] if articles else ""
    for n in _list(numbers, where):
        pid = f"{slug}/a{n}"
        require(pid in articles and pid not in placed, f"章节所列的第{n}条不在条文中或重复列出",
                "unknown_article", where)
        placed.add(pid)
        taken.append(articles[pid])
    return taken
