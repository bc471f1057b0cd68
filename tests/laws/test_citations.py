"""Citation text to stable ids (pure): the forms officers and the catalog write, numbers both ways."""

from __future__ import annotations

import pytest

from jianguan.laws.citations import label_of, number, numeral, parse

TITLES = {"行政处罚法": "xzcf", "食品安全法": "spaq", "医疗器械监督管理条例": "ylqx"}


@pytest.mark.parametrize(("text", "pids"), [
    ("《中华人民共和国行政处罚法》第三十二条第一款第（二）项", ["xzcf/a32/p1/i2"]),
    ("行政处罚法第33条", ["xzcf/a33"]),
    ("食品安全法 第一百二十四条", ["spaq/a124"]),
    ("《中华人民共和国食品安全法》第一百一十条、第四十六条、第一百零九条第一款",
     ["spaq/a110", "spaq/a46", "spaq/a109/p1"]),
    ("《食品安全法》第一百二十四条第一款第五项", ["spaq/a124/p1/i5"]),
    ("《食品安全法》第一百一十条第（四）项", ["spaq/a110/p1/i4"]),
    ("依据《行政处罚法》第三十三条第二款和《食品安全法》第一百二十四条", ["xzcf/a33/p2", "spaq/a124"]),
    ("医疗器械监督管理条例第十三条、第十五条；广告法第二十八条", ["ylqx/a13", "ylqx/a15"]),
    ("行政处罚法第三十三条之一", ["xzcf/a33-1"]),
    ("第三十三条", []),
    ("《未收录的法》第三条", []),
])
def test_citations_are_read_into_stable_ids(text, pids):
    assert [c.pid for c in parse(text, TITLES)] == pids


def test_the_first_citation_after_a_title_spans_the_title_and_later_ones_their_article():
    text = "《中华人民共和国食品安全法》第一百一十条、第四十六条"
    spans = [text[c.start:c.end] for c in parse(text, TITLES)]
    assert spans == ["《中华人民共和国食品安全法》第一百一十条", "第四十六条"]


@pytest.mark.parametrize("value", [1, 9, 10, 11, 20, 99, 100, 101, 109, 110, 124, 1000, 1005, 1010, 2024])
def test_numbers_go_to_chinese_and_back(value):
    assert number(numeral(value)) == value


def test_labels_are_written_from_ids():
    assert label_of("x/a32/p1/i2") == "第三十二条第一款第（二）项"
    assert label_of("x/a33-1") == "第三十三条之一"
    assert label_of("x/c5/s2") == "第五章第二节"
