"""The risk models' text handling: the normaliser keeps offsets into the original, undoes the usual evasions and
destroys no match; lexicons are checked data compiled into one Aho–Corasick automaton; names of institutions and
places never make a claim, while the claim beside them still does."""

from __future__ import annotations

import json

import ahocorasick
import pytest

from jianguan.risk import lexicon
from jianguan.risk.lexicon import LexiconInvalid, Matcher
from jianguan.risk.normalise import key, normalise

pytestmark = pytest.mark.once


@pytest.mark.parametrize("written", ["根治", "根 治", "ｇｅｎ治", "gen治", "GĒN治", "跟治", "根\u200b治", "根🔥治",
                                     "根\u3000治", "根、治", "根\ufeff治"])
def test_evasions_of_a_claim_match_and_quote_the_original(written):
    matcher = Matcher([lexicon.load("medical_ad"), lexicon.load("names")])
    text = f"专科门诊，{written}鼻炎"
    found = [match for match in matcher.find(normalise(text)) if match.term.rule == "medical_ad.cure_promise"]
    assert [match.term.pattern for match in found] == ["根治"]
    start, end = normalise(text).span(found[0].start, found[0].end)
    assert text[start:end] == written
    assert found[0].variant == (written.lower() not in ("根治", "根 治", "根\u200b治", "根🔥治", "根\u3000治", "根、治",
                                                        "根\ufeff治"))


def test_normalising_folds_width_case_and_traditional_one_for_one():
    text = "ＡＢＣ１２３藥到病除"
    normalised = normalise(text)
    assert normalised.text == "abc123药到病除"
    assert normalised.origin == tuple(range(len(text)))


def test_normalising_keeps_chinese_numerals_so_xiasanlan_survives():
    """Mapping 三 to 3 (a known failure of popular filters) would lose 下三滥; the normaliser maps no kind of character
    to another."""
    assert normalise("下三滥").text == "下三滥"
    assert key("下 三 滥") == "下三滥"
    assert key("３") == "3" and key("三") == "三"
    data = {"lexicon": "vulgar", "version": "1", "source": "测试",
            "entries": [{"rule": "test.vulgar", "article": "广告法第九条第七项", "patterns": ["下三滥"]}]}
    matcher = Matcher([lexicon.parse("vulgar.json", json.dumps(data).encode())])
    text = "这种下 三 滥的手段"
    (match,) = matcher.find(normalise(text))
    assert text[slice(*normalise(text).span(match.start, match.end))] == "下 三 滥"
    assert not matcher.find(normalise("下3滥"))


def test_offsets_survive_expanding_compatibility_characters():
    text = "㎏根治"
    normalised = normalise(text)
    assert normalised.text == "kg根治"
    assert normalised.span(2, 4) == (1, 3)


@pytest.mark.parametrize(("text", "quoted"), [
    ("咸宁市第一人民医院欢迎您", []),
    ("最高人民法院发布典型案例", []),
    ("地址：咸宁国家级高新区长江产业园", []),
    ("咸宁市第一人民医院，疗效全国第一", ["第一"]),
    ("国家级高新区内，国家级专家坐诊", ["国家级"]),
    ("最高人民法院旁，最佳治疗方案", ["最佳"]),
])
def test_institution_and_place_names_do_not_claim_but_claims_beside_them_do(text, quoted):
    matcher = Matcher([lexicon.load("medical_ad"), lexicon.load("names")])
    normalised = normalise(text)
    found = [match for match in matcher.find(normalised) if match.term.rule == "medical_ad.absolute"]
    assert [text[slice(*normalised.span(match.start, match.end))] for match in found] == quoted
    if quoted:
        assert normalised.span(found[0].start, found[0].end)[0] == text.rindex(quoted[0])


def test_pinyin_inside_a_longer_latin_word_is_no_evasion():
    matcher = Matcher([lexicon.load("medical_ad")])
    assert not matcher.find(normalise("regen治"))
    assert [match.term.pattern for match in matcher.find(normalise("re gen治"))] == []  # spaces go: still regen
    assert [match.term.pattern for match in matcher.find(normalise("试试gen治"))] == ["根治"]


@pytest.mark.parametrize(("text", "found"), [
    ("跟治疗师学习康复训练", []), ("gen治疗师", []), ("干细胞治疗研究", []), ("紧跟治理要求", []),
    ("跟治 糖尿病", ["跟治"]), ("跟治痛风", ["跟治"]), ("根治疗法", ["根治"]),
])
def test_a_variant_crossing_the_edge_of_a_real_word_is_read_as_that_word(text, found):
    """跟治疗师 is 跟 + 治疗师: the 治 of the evasion belongs to 治疗 (homophones.json `words`); the term itself, and a
    variant with no real word across its edge, still count."""
    matcher = Matcher([lexicon.load("medical_ad"), lexicon.load("names")])
    normalised = normalise(text)
    quotes = [text[slice(*normalised.span(match.start, match.end))] for match in matcher.find(normalised)
              if match.term.rule == "medical_ad.cure_promise"]
    assert quotes == found


def test_variants_keep_a_chinese_character_and_replace_at_most_two():
    assert "gen治" in lexicon.variants("根治") and "跟治" in lexicon.variants("根治")
    assert "genzhi" not in lexicon.variants("根治")
    assert all(any("\u4e00" <= char <= "\u9fff" for char in variant) for variant in lexicon.variants("保本保息"))
    assert "bao本bao息" in lexicon.variants("保本保息") and "bao本baoxi" not in lexicon.variants("保本保息")
    assert lexicon.variants("最") == set()


def test_matching_runs_on_one_automaton_over_every_lexicon():
    matcher = Matcher([lexicon.load("medical_ad"), lexicon.load("names")])
    assert isinstance(matcher.automaton, ahocorasick.Automaton)
    assert "根治" in matcher.automaton and "第一人民医院" in matcher.automaton and "gen治" in matcher.automaton


def test_shorter_terms_inside_a_longer_one_of_the_same_rule_are_not_repeated():
    matcher = Matcher([lexicon.load("medical_ad")])
    found = matcher.find(normalise("最先进科学技术"))
    assert [(match.term.rule, match.term.pattern) for match in found] == [("medical_ad.absolute", "最先进科学")]


def _lexicon(entries, **head):
    return json.dumps({"lexicon": "t", "version": "1", "source": "测试", "entries": entries, **head},
                      ensure_ascii=False).encode()


@pytest.mark.parametrize(("entries", "code", "words"), [
    ([{"rule": "medical_ad.absolute", "article": "广告法第九条", "patterns": ["最佳", " ，！ "]}],
     "lexicon_pattern_empty", ["bad.json", "第 1 条", "medical_ad.absolute", "规范化后为空"]),
    ([{"rule": "a.b", "article": "第一条", "patterns": ["甲"]}, {"rule": "a.c", "article": "第一条", "patterns": [3]}],
     "lexicon_pattern_empty", ["bad.json", "第 2 条", "a.c"]),
    ([{"rule": "Absolute", "article": "广告法第九条", "patterns": ["最佳"]}], "lexicon_rule_invalid", ["第 1 条"]),
    ([{"rule": "a.b", "patterns": ["最佳"]}], "lexicon_article_missing", ["a.b", "article"]),
    ([{"rule": "a.b", "article": "第一条", "patterns": []}], "lexicon_patterns_missing", ["a.b"]),
    ([{"rule": "a.b", "article": "第一条", "patterns": ["最佳", "最 佳"]}], "lexicon_pattern_duplicate", ["最 佳"]),
    ([{"rule": "a.b", "article": "第一条", "patterns": ["长" * 41]}], "lexicon_pattern_too_long", ["a.b"]),
])
def test_an_invalid_lexicon_is_refused_naming_file_entry_and_rule(entries, code, words):
    with pytest.raises(LexiconInvalid) as refused:
        lexicon.parse("bad.json", _lexicon(entries))
    assert refused.value.code == code
    assert refused.value.field == "bad.json"
    for word in words:
        assert word in refused.value.message


@pytest.mark.parametrize(("raw", "code"), [(b"{not json", "lexicon_not_json"), (b"\xff\xfe", "lexicon_encoding"),
                                           (b"[]", "lexicon_not_object"),
                                           (_lexicon([], version=""), "lexicon_head_missing"),
                                           (_lexicon([]), "lexicon_empty")])
def test_a_lexicon_file_that_is_no_lexicon_is_refused(raw, code):
    with pytest.raises(LexiconInvalid) as refused:
        lexicon.parse("bad.json", raw)
    assert refused.value.code == code and "bad.json" in refused.value.message


def test_every_shipped_lexicon_loads_with_version_and_source():
    for path in sorted(lexicon.LEXICON_DIR.glob("*.json")):
        if path.stem == "homophones":
            continue
        loaded = lexicon.load(path.stem)
        assert loaded.version and loaded.source
        assert all(term.article for term in loaded.terms)
