"""Mapping a department's own item list onto the catalog by the same legal basis."""

from __future__ import annotations

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.catalog import mapping_imports, matching
from jianguan.catalog.models import MappingDecision, MappingImport
from jianguan.core.errors import AccessDenied
from jianguan.core.tabular import ImportRefused
from tests.catalog_fixtures import DRUG, FOOD
from tests.core.test_tabular import xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("text", "number"), [("一百一十", 110), ("九十九", 99), ("十", 10), ("二十三", 23),
                                              ("一千零五", 1005), ("45", 45)])
def test_chinese_numbers(text, number):
    assert matching.chinese_number(text) == number


def test_citations_attach_articles_to_the_nearest_law(laws):
    known = {"食品安全法": "食品安全法", "药品管理法": "药品管理法"}
    text = "《中华人民共和国食品安全法》第一百一十条、第一百二十二条；《药品管理法》第九十九条"
    found = matching.citations(text, known)
    assert [(c.law, c.article) for c in found] == [("食品安全法", 110), ("食品安全法", 122), ("药品管理法", 99)]
    assert [(c.law, c.article) for c in matching.citations("依据食品安全法有关规定", known)] == [("食品安全法", None)]


def test_import_ranks_by_legal_basis_with_evidence(small_catalog, persona):
    admin = persona("scjg_admin")
    data = xlsx([["序号", "事项名称", "设定依据"],
                 [1, "食品生产企业日常检查", "《中华人民共和国食品安全法》第一百一十条"],
                 [2, "药店检查", "《药品管理法》第九十九条"],
                 [3, "网吧经营检查", "《互联网上网服务营业场所管理条例》第二十三条"]])
    mapping = mapping_imports.mapping_import(actor=admin, file_name="自建清单.xlsx", data=data)
    rows = list(mapping.rows.prefetch_related("candidates__item"))
    first = rows[0].candidates.all()[0]
    assert first.item.code == FOOD and first.evidence["same_article"] == ["食品安全法第110条"]
    assert rows[1].candidates.all()[0].item.code == DRUG
    assert not rows[2].candidates.exists()
    assert bytes(MappingImport.objects.get(pk=mapping.pk).raw) == data  # the file is kept
    mapping_imports.mapping_decide(actor=admin, row_id=rows[0].pk, item_code=FOOD)
    mapping_imports.mapping_decide(actor=admin, row_id=rows[2].pk, item_code=None)
    decisions = dict(mapping.rows.values_list("row_number", "decision"))
    assert decisions == {2: MappingDecision.CONFIRMED, 3: MappingDecision.PENDING, 4: MappingDecision.REJECTED}
    assert AuditEvent.objects.filter(verb="catalog.mapping_decided").count() == 2


def test_a_bad_file_stores_nothing(small_catalog, persona):
    with pytest.raises(ImportRefused):
        mapping_imports.mapping_import(actor=persona("scjg_admin"), file_name="x.xlsx",
                                       data=xlsx([["事项名称", "设定依据"], ["食品", ""]]))
    assert not MappingImport.objects.exists()


def test_officers_cannot_import(small_catalog, persona):
    with pytest.raises(AccessDenied):
        mapping_imports.mapping_import(actor=persona("scjg_officer"), file_name="x.xlsx",
                                       data=xlsx([["事项名称", "设定依据"], ["食品", "食品安全法"]]))
