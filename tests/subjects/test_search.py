"""Entity search (code, name, former names, legal representative, address) and registration of entities."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from jianguan.core.errors import ValidationFailed
from jianguan.subjects import search, selectors
from jianguan.subjects import services as subjects
from jianguan.subjects.models import EntityTerm, FormerName, MarketEntity, RegistrationEvent
from tests.library_fixtures import SYSTEM

NEW = {"uscc": "91421202MA4KXYZ1XX", "name": "咸宁市汀泗桥镇翠竹茶叶有限公司", "legal_representative": "欧阳明辉",
       "registered_address": "湖北省咸宁市咸安区汀泗桥镇长堤路18号", "region": "421202", "industry": "1530",
       "established_on": "2020-05-06"}


def _valid_new() -> dict:
    from jianguan.core.codes import build_uscc

    return {**NEW, "uscc": build_uscc(authority="9", category="1", region="421202", org_body="MA4KXY21")}


def _naive(reader, query: str) -> set[str]:
    """What a search must find, computed without the index: every word in one of the texts."""
    entities = MarketEntity.objects.visible_to(reader)
    for word in query.split():
        entities = entities.filter(Q(name__contains=word) | Q(legal_representative__contains=word)
                                   | Q(registered_address__contains=word) | Q(former_names__name__contains=word))
    return set(entities.values_list("uscc", flat=True))


def _found(reader, query: str) -> set[str]:
    return set(selectors.entity_list(reader=reader, q=query).values_list("uscc", flat=True))


def _queries() -> list[str]:
    sample = MarketEntity.objects.order_by("uscc")[7]
    return [sample.name[2:6], sample.name[-4:], sample.legal_representative, sample.registered_address[-8:-3],
            f"{sample.name[:2]} {sample.legal_representative[:1]}", "有限公司", "咸安", "路1", "不存在的名字"]


@pytest.mark.parametrize(("probes", "chunk"), [(search.PROBES, search.CHUNK), (0, 1), (1, 2)])
def test_search_finds_what_a_plain_substring_match_finds(officer, monkeypatch, probes, chunk):
    """The index narrows and never decides: with every gram looked up or only the rarest one, in one chunk or in
    chunks of one or two candidates, the result equals a plain substring match over name, former names, legal
    representative and address."""
    monkeypatch.setattr(search, "PROBES", probes)
    monkeypatch.setattr(search, "CHUNK", chunk)
    for query in _queries():
        expected = _naive(officer, query)
        assert len(expected) <= search.SCAN_CAP
        assert _found(officer, query) == expected, query


def test_search_by_code_prefix_and_exact_code(officer):
    entity = MarketEntity.objects.visible_to(officer).order_by("uscc")[3]
    assert _found(officer, entity.uscc) == {entity.uscc}
    assert _found(officer, entity.uscc.lower()) == {entity.uscc}
    prefix = entity.uscc[:12]
    assert _found(officer, prefix) == set(MarketEntity.objects.visible_to(officer).filter(
        uscc__startswith=prefix).values_list("uscc", flat=True))


def test_search_stays_within_the_jurisdiction(outsider, officer):
    entity = MarketEntity.objects.visible_to(officer).exclude(
        pk__in=MarketEntity.objects.visible_to(outsider).values("pk")).order_by("uscc").first()
    assert entity.uscc in _found(officer, entity.name)
    assert entity.uscc not in _found(outsider, entity.name)
    assert entity.uscc not in _found(outsider, entity.uscc)


def test_a_search_of_common_words_stops_at_the_cap(officer, monkeypatch):
    monkeypatch.setattr(search, "SCAN_CAP", 5)
    monkeypatch.setattr(search, "CHUNK", 2)
    found = selectors.entity_search(reader=officer, q="公司")
    assert found.capped and found.entities.count() == found.count == 5
    code = MarketEntity.objects.visible_to(officer).first().uscc
    found = selectors.entity_search(reader=officer, q=code)
    assert not found.capped and found.count == found.entities.count() == 1


def test_a_search_knows_how_many_it_found(officer):
    entity = MarketEntity.objects.visible_to(officer).order_by("uscc").first()
    for query in (entity.name[:4], entity.legal_representative, entity.uscc[:8], "公司 有限"):
        found = selectors.entity_search(reader=officer, q=query)
        assert found.count == found.entities.count() > 0, query
    assert selectors.entity_search(reader=officer, q="").count is None


def test_registration_validates_and_indexes(officer):
    values = _valid_new()
    entity = subjects.entity_register(actor=SYSTEM, values=values, authority="咸安区市场监督管理局")
    assert entity.entity_type == "enterprise"
    assert RegistrationEvent.objects.filter(entity=entity, kind="established").exists()
    for query in ("翠竹茶叶", "欧阳明辉", "长堤路18", "汀泗桥 翠竹"):
        assert entity.uscc in _found(officer, query), query
    assert set(EntityTerm.objects.filter(entity=entity).values_list("term", flat=True)) == search.grams(
        *search.texts_of(entity))


def test_renaming_keeps_the_former_name_searchable(officer):
    entity = subjects.entity_register(actor=SYSTEM, values=_valid_new())
    renamed = subjects.entity_register(actor=SYSTEM, values={**_valid_new(), "name": "咸宁市青砖茶业有限公司",
                                                             "registered_address": "湖北省咸宁市咸安区温泉路9号"},
                                       on=dt.date(2025, 3, 1))
    assert renamed.pk == entity.pk and renamed.name == "咸宁市青砖茶业有限公司"
    former = FormerName.objects.get(entity=entity)
    assert former.name == NEW["name"] and former.used_until == dt.date(2025, 2, 28)
    kinds = set(RegistrationEvent.objects.filter(entity=entity).values_list("kind", flat=True))
    assert {"renamed", "changed"} <= kinds
    assert entity.uscc in _found(officer, "翠竹茶叶")  # the former name
    assert entity.uscc in _found(officer, "青砖茶业")
    assert entity.uscc not in _found(officer, "长堤路")  # the old address is gone from the index
    assert set(EntityTerm.objects.filter(entity=entity).values_list("term", flat=True)) == search.grams(
        *search.texts_of(renamed))


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"uscc": "wrong check"}, "uscc", "uscc_check_char"),
    ({"uscc": "91421202MA4KXYI213"}, "uscc", "uscc_alphabet"),
    ({"uscc": "9142120"}, "uscc", "uscc_length"),
    ({"established_on": "2999-01-01"}, "established_on", "date_in_future"),
    ({"established_on": "2020-02-30"}, "established_on", "date_invalid"),
    ({"region": "999999"}, "region", "region_unknown"),
    ({"industry": "9999"}, "industry", "industry_unknown"),
    ({"name": " "}, "name", "required"),
    ({"entity_type": "individual"}, "entity_type", "type_mismatch"),
    ({"registered_capital": "-5"}, "registered_capital", "capital_invalid"),
])
def test_registration_refuses_bad_data_naming_field_and_rule(db, change, field, code):
    values = {**_valid_new(), **change}
    if values["uscc"] == "wrong check":
        good = _valid_new()["uscc"]
        values["uscc"] = good[:17] + ("1" if good[17] != "1" else "2")
    with pytest.raises(ValidationFailed) as refused:
        subjects.entity_register(actor=SYSTEM, values=values)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert not MarketEntity.objects.filter(name=values["name"]).exists()


def test_rebuild_writes_the_same_postings_as_the_incremental_index(db):
    subjects.entity_register(actor=SYSTEM, values=_valid_new())
    before = set(EntityTerm.objects.values_list("term", "entity_id"))
    assert search.rebuild() == len(before)
    assert set(EntityTerm.objects.values_list("term", "entity_id")) == before


def test_supervised_objects_are_registered_once_per_identifier(xianan_entity):
    obj = subjects.object_register(actor=SYSTEM, kind="vehicle", name="冷链运输车", identifier="鄂L12345",
                                   region_code="421202", owner_uscc=xianan_entity.uscc)
    assert obj.owner == xianan_entity
    with pytest.raises(ValidationFailed) as refused:
        subjects.object_register(actor=SYSTEM, kind="vehicle", name="冷链运输车", identifier="鄂L12345",
                                 region_code="421202")
    assert refused.value.code == "identifier_duplicate"


def test_among_is_in_with_one_parameter(officer):
    keys = list(MarketEntity.objects.order_by("pk").values_list("pk", flat=True)[:5])
    among = MarketEntity.objects.filter(pk__among=[keys[0], keys[3], 10**12])
    assert set(among.values_list("pk", flat=True)) == {keys[0], keys[3]}
    assert len(among.values("pk").query.sql_with_params()[1]) == 1
    assert not MarketEntity.objects.filter(pk__among=[]).exists()
