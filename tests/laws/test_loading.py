"""A text file is checked whole before anything is written; each refusal names where and the rule."""

from __future__ import annotations

import json

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.laws import loading
from jianguan.laws.seed import TEXTS
from tests.laws.conftest import article, law, version


def refused(data: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        loading.law_data(data)
    return caught.value


def test_every_text_of_the_repository_is_valid():
    files = sorted(TEXTS.glob("*.json"))
    assert len(files) >= 17
    for path in files:
        assert loading.law_data(loading.decode(path.read_bytes())).versions


@pytest.mark.parametrize(("raw", "code"), [(b"{not json", "invalid_json"), (b"\xff\xfe", "invalid_json"),
                                           (b" " * (loading.MAX_BYTES + 1), "file_too_large")])
def test_a_file_that_is_not_json_is_refused(raw, code):
    with pytest.raises(ValidationFailed) as caught:
        loading.decode(raw)
    assert caught.value.code == code


@pytest.mark.parametrize(("change", "code", "field"), [
    (lambda d: d.pop("title"), "required", "title"),
    (lambda d: d.update(slug="Bad Slug"), "invalid", "slug"),
    (lambda d: d.update(level="constitution"), "invalid_choice", "level"),
    (lambda d: d.update(versions=[]), "required", "versions"),
    (lambda d: d["versions"][0].update(effective_from="2021-02-30"), "date_invalid", "versions[0].effective_from"),
    (lambda d: d["versions"][0].update(effective_to="2020-01-01"), "dates_order", "versions[0].effective_to"),
    (lambda d: d["versions"][0].update(status="maybe"), "invalid_choice", "versions[0].status"),
    (lambda d: d["versions"][0]["articles"].append(article(1)), "duplicate_provision", "versions[0].articles[1]"),
    (lambda d: d["versions"][0]["articles"][0].update(number=0), "invalid", "versions[0].articles[0].number"),
    (lambda d: d["versions"][0]["articles"][0].update(paragraphs=[]), "required",
     "versions[0].articles[0].paragraphs"),
    (lambda d: d["versions"][0]["articles"][0].update(paragraphs=[{"text": ""}]), "required",
     "versions[0].articles[0].paragraphs[0].text"),
    (lambda d: d["versions"][0]["articles"][0].update(status="unverified"), "unverified_text",
     "versions[0].articles[0].paragraphs[0].text"),
    (lambda d: d["versions"][0].update(chapters=[{"number": 1, "title": "总则", "articles": [7]}]),
     "unknown_article", "versions[0].chapters[0].articles"),
    (lambda d: d["versions"].append(version("2021-06-01")), "version_overlap", "versions"),
])
def test_bad_input_is_refused_naming_the_field_and_rule(change, code, field):
    data = law(version("2020-01-01", "2021-07-01"))
    change(data)
    error = refused(json.loads(json.dumps(data)))
    assert (error.code, error.field) == (code, field)


def test_versions_that_follow_each_other_are_accepted_and_an_open_one_overlaps_any_later():
    assert len(loading.law_data(law(version("2018-01-01", "2021-07-15"), version("2021-07-15"))).versions) == 2
    assert refused(law(version("2018-01-01"), version("2021-07-15"))).code == "version_overlap"


def test_an_unverified_article_keeps_its_number_and_shape_without_text():
    data = law(version("2020-01-01", None, {"number": 5, "status": "unverified",
                                              "paragraphs": [{}, {"items": 3}]}))
    node = loading.law_data(data).versions[0].nodes[0]
    assert node.text == "" and node.status == "unverified"
    assert [c.pid for c in node.children] == ["demo-law/a5/p1", "demo-law/a5/p2"]
    assert [i.pid for i in node.children[1].children] == [f"demo-law/a5/p2/i{n}" for n in (1, 2, 3)]


def test_chapters_and_sections_hold_the_articles_they_name():
    data = law(version("2020-01-01", None, article(1), article(2), article(3)))
    data["versions"][0]["chapters"] = [{"number": 1, "title": "总则", "articles": [1], "sections": [
        {"number": 1, "title": "一般规定", "articles": [2]}]}]
    nodes = loading.law_data(data).versions[0].nodes
    assert [n.pid for n in nodes] == ["demo-law/c1", "demo-law/a3"]
    assert [n.pid for n in nodes[0].children] == ["demo-law/a1", "demo-law/c1/s1"]
    assert nodes[0].children[1].children[0].pid == "demo-law/a2"
