"""Imports (whole or nothing, with their audit event), versions by date, citations resolved on a date, the
template filter, and the index of who cites an article."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template import Context, Template

from jianguan.audit.models import AuditEvent
from jianguan.core.actors import SystemActor
from jianguan.core.errors import ValidationFailed
from jianguan.core.registry import CitingSource
from jianguan.laws import loading, services
from jianguan.laws.contracts import resolve
from jianguan.laws.models import ArticleTerm, Citation, Law, LawVersion, Provision, TermCount
from jianguan.laws.seed import TEXTS
from tests.laws.conftest import article, law, version

pytestmark = pytest.mark.django_db
ACTOR = SystemActor("test")


def load(data: dict) -> services.Imported:
    return services.law_import(data=loading.law_data(data), actor=ACTOR)


def test_the_repositorys_texts_load_with_an_audit_event_each(db):
    events = AuditEvent.objects.filter(verb="laws.law_imported").count()
    files = sorted(TEXTS.glob("*.json"))
    for path in files:
        services.law_import(data=loading.law_data(loading.decode(path.read_bytes())), actor=ACTOR)
    assert Law.objects.count() == len(files) >= 17
    penalty = Law.objects.get(slug="xingzheng-chufa")
    assert penalty.versions.count() == 2
    assert AuditEvent.objects.filter(verb="laws.law_imported").count() == events + len(files)
    a32 = Provision.objects.get(pid="xingzheng-chufa/a32/p1/i2", version__effective_from=dt.date(2021, 7, 15))
    assert a32.text == "受他人胁迫或者诱骗实施违法行为的；" and a32.parent.parent.pid == "xingzheng-chufa/a32"
    assert Provision.objects.get(pid="shipin-anquan/a124/p1/i5").status == "unverified"


def test_importing_the_same_file_again_changes_nothing(texts):
    before = (Provision.objects.count(), ArticleTerm.objects.count(), list(TermCount.objects.order_by("term")
                                                                              .values_list("term", "articles")))
    path = Path(loading.__file__).parent / "texts" / "xingzheng-chufa.json"
    call_command("laws", "import", str(path))
    after = (Provision.objects.count(), ArticleTerm.objects.count(), list(TermCount.objects.order_by("term")
                                                                             .values_list("term", "articles")))
    assert after == before


def test_a_version_overlapping_a_stored_one_is_refused_and_nothing_is_written():
    load(law(version("2018-01-01", "2021-07-15", label="旧")))
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        load({**law(version("2021-01-01", None, label="新")), "title": "改过的名称"})
    assert caught.value.code == "version_overlap"
    assert Law.objects.get(slug="demo-law").title == "中华人民共和国示例法"
    assert list(LawVersion.objects.filter(law__slug="demo-law").values_list("label", flat=True)) == ["旧"]
    assert AuditEvent.objects.count() == events


def test_a_later_version_is_added_beside_the_stored_one():
    load(law(version("2018-01-01", "2021-07-15", article(27), label="旧")))
    load(law(version("2021-07-15", None, article(32), label="新")))
    assert list(LawVersion.objects.filter(law__slug="demo-law").values_list("label", flat=True)) == ["旧", "新"]


def test_the_command_names_the_file_and_rule_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"slug": "x", "title": "示例", "issuer": "国务院", "level": "law", "versions": [{}]}')
    with pytest.raises(CommandError, match=r"bad\.json.*versions\[0\]\.effective_from.*required"):
        call_command("laws", "import", str(bad))
    with pytest.raises(CommandError, match="无法读取"):
        call_command("laws", "import", str(tmp_path / "missing.json"))
    assert not Law.objects.filter(slug="x").exists()


def test_a_citation_resolves_against_the_version_in_force_that_day(texts):
    on_2020 = resolve("《中华人民共和国行政处罚法》第二十七条第一款第（二）项", on=dt.date(2020, 5, 1))
    assert [(x.pid, x.found) for x in on_2020] == [("xingzheng-chufa/a27/p1/i2", "xingzheng-chufa/a27/p1/i2")]
    assert on_2020[0].url == "/laws/p/xingzheng-chufa/a27/p1/i2/?on=2020-05-01"
    # 第三十二条 (the mitigating circumstances of 2021) was not held by the version in force in 2020
    assert resolve("行政处罚法第32条", on=dt.date(2020, 5, 1))[0].found == ""
    assert resolve("行政处罚法第32条", on=dt.date(2022, 1, 1))[0].found == "xingzheng-chufa/a32"
    # a 项 the base holds no item for falls back to its article; an article not held at all stays unresolved
    assert resolve("行政处罚法第三十三条第一款第（九）项", on=dt.date(2022, 1, 1))[0].found == "xingzheng-chufa/a33/p1"
    assert resolve("行政处罚法第二百条", on=dt.date(2022, 1, 1))[0].found == ""


def test_the_template_filter_links_held_citations_and_escapes_the_rest(texts):
    html = Template("{% load knowledge %}{{ text|law_links:day }}").render(Context({
        "text": "<b>依据</b>《食品安全法》第一百二十四条第一款第（五）项、第九百条", "day": dt.date(2024, 1, 1)}))
    assert html.startswith("&lt;b&gt;依据&lt;/b&gt;<a href=\"/laws/p/shipin-anquan/a124/p1/i5/?on=2024-01-01\"")
    assert 'data-unverified="1"' in html and html.endswith("、第九百条")


def test_the_sweep_indexes_who_cites_each_article(texts, monkeypatch):
    sources = [CitingSource("enforcement", "AJ1", "案件 AJ1", "/cases/1/", "《行政处罚法》第三十二条第一款第（一）项",
                            dt.date(2022, 3, 1), department_id=7, region_code="421202"),
               CitingSource("risk", "rule", "规则", "/risk/", "药品管理法第二十四条；不相干的法第一条")]
    monkeypatch.setattr(services, "citing_sources", lambda: iter(sources))
    swept_before = AuditEvent.objects.filter(verb="laws.citations_swept").count()
    swept = services.citations_sweep(actor=ACTOR)
    assert (swept.sources, swept.citations) == (2, 2)
    assert set(Citation.objects.values_list("pid", "source")) == {
        ("xingzheng-chufa/a32/p1/i1", "enforcement"), ("yaopin-guanli/a24", "risk")}
    services.citations_sweep(actor=ACTOR)
    assert Citation.objects.count() == 2
    assert AuditEvent.objects.filter(verb="laws.citations_swept").count() == swept_before + 2
