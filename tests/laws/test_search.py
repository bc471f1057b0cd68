"""The search: the same articles as the plain `contains` over the search texts, in the same order, by the
trigram table; filters; the highlight; the bound on a query's length."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.laws import search
from jianguan.laws.search import Filters

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ["从轻", "受他人胁迫", "行政处罚法", "主席令第七十号", "国务院令", "第三十三条", "罚款",
                               "没有的一段话语", "违法行为", "二", "  查封  ", "ZZ"])
def test_the_search_finds_what_the_plain_filter_finds_in_the_same_order(texts, q):
    for filters in (Filters(q=q), Filters(q=q, on=dt.date(2020, 1, 1)), Filters(q=q, level="law")):
        assert list(search.articles(filters)) == list(search.plain_articles(filters))


def test_words_in_title_number_and_text_are_found(texts):
    found = {a.pid for a in search.articles(Filters(q="受他人胁迫"))}
    assert found == {"xingzheng-chufa/a32", "xingzheng-chufa/a27"}
    assert {a.pid for a in search.articles(Filters(q="受他人胁迫", on=dt.date(2022, 1, 1)))} == {"xingzheng-chufa/a32"}
    assert {a.version.law.slug for a in search.articles(Filters(q="国务院令第739号"))} == {"yiliao-qixie"}
    assert {a.version.law.level for a in search.articles(Filters(q="条", level="administrative"))} == {
        "administrative"}
    assert {a.version.law.issuer for a in search.articles(Filters(q="条", issuer="国务院"))} == {"国务院"}


def test_a_query_no_article_holds_finds_nothing(texts):
    assert not search.articles(Filters(q="完全不存在的词语")).exists()


def test_a_query_longer_than_the_bound_is_refused_naming_it():
    with pytest.raises(ValidationFailed) as caught:
        search.articles(Filters(q="法" * 1000))
    assert (caught.value.code, caught.value.field) == ("query_too_long", "q")
    assert "100" in caught.value.message


def test_the_highlight_marks_each_place_the_query_occurs_in_any_case():
    assert search.pieces("Abc 行政 abc", "ABC") == [("Abc", True), (" 行政 ", False), ("abc", True)]
    assert search.pieces("正文", "") == [("正文", False)]
    text = "甲" * 100 + "目标" + "乙" * 100
    assert "目标" in search.snippet(text, "目标") and search.snippet(text, "目标").startswith("…")


def test_a_query_whose_trigrams_are_all_common_reads_in_order_and_finds_the_same(texts, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES_MAX", 0)
    for q in ("受他人胁迫", "行政处罚法", "没有的一段话语"):
        assert list(search.articles(Filters(q=q))) == list(search.plain_articles(Filters(q=q)))
