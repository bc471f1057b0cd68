"""The case library (ADR 0061): closed cases swept in once, redacted; typical cases reviewed by another person;
the search bounded and scoped; similar cases with the distribution of their fines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.casebook import selectors, services
from jianguan.casebook.models import Copy, Entry, EntryKind, EntryStatus
from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, ValidationFailed
from tests.enforcement_fixtures import ENDING, act, decided, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
ACTOR = SystemActor("test")
ARTICLE = "《食品安全法》第一百二十四条第一款"


def closed(world, **ending):
    case = decided(world, ending={**ENDING, **ending})
    act(world, case, "serve", world.officer, {"method": "direct"})
    act(world, case, "record_payment", world.officer, {"amount": case.fine})
    act(world, case, "propose_closing", world.officer, {"summary": "罚款已缴清"})
    return act(world, case, "approve_closing", world.head)


def test_closed_cases_are_swept_once_with_names_hidden(world):
    case = closed(world, facts=f"{world.entity.name}销售超过保质期的食品 12 袋")
    assert services.cases_sweep(actor=ACTOR) == 1
    assert services.cases_sweep(actor=ACTOR) == 0
    entry = Entry.objects.get(case_number=case.number)
    assert entry.kind == EntryKind.CASE and entry.status == EntryStatus.PUBLISHED
    assert entry.copy == Copy.REDACTED and entry.internal_only  # not published: internal, names hidden
    assert world.entity.name not in entry.party and world.entity.name not in entry.facts
    assert "销售超过保质期的食品" in entry.facts
    assert entry.fine == Decimal("5000.00") and entry.article == ARTICLE
    assert AuditEvent.objects.filter(verb="casebook.cases_swept").count() == 1


def entry(world, fine: str | None, band: str = "general", **fields) -> Entry:
    values = {"kind": EntryKind.CASE, "status": EntryStatus.PUBLISHED, "department": world.city,
              "region_id": world.city.region_id, "title": "销售过期食品",
              "violation": "生产经营不符合食品安全标准的食品",
              "catalog_code": world.catalog, "article": ARTICLE, "band": band, "copy": Copy.REDACTED,
              "fine": Decimal(fine) if fine else None, **fields}
    made = Entry.objects.create(**values)
    services._terms_sync(made)
    return made


def test_similar_cases_and_the_distribution_of_their_fines(world):
    for fine in ("1000", "2000", "3000", "4000", "5000", "6000", "7000", "8000"):
        entry(world, fine)
    entry(world, "90000", band="heavier")
    found = selectors.similar(reader=world.officer, catalog_code=world.catalog, article=ARTICLE, band="general")
    d = found.distribution
    assert not found.widened and d.count == 8
    assert (d.minimum, d.lower_quartile, d.median, d.upper_quartile, d.maximum) == (
        Decimal("1000"), Decimal("3000"), Decimal("5000"), Decimal("7000"), Decimal("8000"))
    assert sum(n for _, n in d.buckets) == 8 and len(d.buckets) == 10
    widened = selectors.similar(reader=world.officer, catalog_code=world.catalog, article=ARTICLE, band="heavier")
    assert widened.widened and widened.distribution.count == 9

def test_similar_cases_and_the_search_are_scoped(world, outsider):
    entry(world, "1000")
    assert selectors.similar(reader=outsider, catalog_code=world.catalog, article=ARTICLE,
                             band="general").distribution.count == 0
    assert not selectors.entry_list(reader=outsider, q="过期食品").exists()
    assert selectors.entry_list(reader=world.officer, q="过期食品").exists()


def test_the_search_finds_words_and_refuses_a_long_query(world):
    entry(world, "100", title="销售过期食品案")
    entry(world, "100", title="虚假广告案", violation="发布虚假广告", article="《广告法》第五十五条第一款")
    assert [e.title for e in selectors.entry_list(reader=world.officer, q="虚假广")] == ["虚假广告案"]
    assert [e.title for e in selectors.entry_list(reader=world.officer, q="广告")] == ["虚假广告案"]
    assert list(selectors.entry_list(reader=world.officer, q="没有这种案子")) == []
    with pytest.raises(ValidationFailed) as error:
        selectors.entry_list(reader=world.officer, q="字" * 1000)
    assert error.value.code == "query_too_long"


def test_a_typical_case_is_entered_only_after_another_persons_review(world):
    data = {"title": "某超市销售过期食品典型案例", "facts": "某超市销售超过保质期的食品", "violation": "销售过期食品",
            "article": ARTICLE, "outcome": "警告，罚款", "fine": "3000", "circumstances": "主动消除危害后果"}
    typical = services.typical_submit(actor=world.officer, data=data)
    assert typical.status == EntryStatus.REVIEW and typical.circumstances == ["主动消除危害后果"]
    assert typical not in selectors.entry_list(reader=world.officer)
    with pytest.raises(AccessDenied):
        services.typical_act(actor=world.officer, entry_id=typical.pk, action="approve", data={})
    done = services.typical_act(actor=world.reviewer, entry_id=typical.pk, action="approve", data={"opinion": "同意"})
    assert done.status == EntryStatus.PUBLISHED and done.reviewer == world.reviewer
    assert typical.pk in [e.pk for e in selectors.entry_list(reader=world.officer, q="典型案例")]


def test_a_reviewer_cannot_review_their_own_typical_case(world):
    data = {"title": "标题", "facts": "案情", "violation": "类型", "article": ARTICLE, "outcome": "罚款"}
    typical = services.typical_submit(actor=world.reviewer, data=data)
    with pytest.raises(AccessDenied) as error:
        services.typical_act(actor=world.reviewer, entry_id=typical.pk, action="approve", data={})
    assert error.value.code == "same_person"
    assert Entry.objects.get(pk=typical.pk).status == EntryStatus.REVIEW


@pytest.mark.parametrize(("field", "value", "code"), [("title", "", "required"), ("fine", "-1", "amount_invalid"),
                                                      ("article", "条" * 301, "too_long")])
def test_bad_typical_cases_are_refused_with_nothing_written(world, field, value, code):
    data = {"title": "标题", "facts": "案情", "violation": "类型", "article": ARTICLE, "outcome": "罚款", field: value}
    before = Entry.objects.count()
    with pytest.raises(ValidationFailed) as error:
        services.typical_submit(actor=world.officer, data=data)
    assert error.value.code == code and error.value.field == field and Entry.objects.count() == before


def test_the_api_searches_pages_and_answers_similar_cases(world, api):
    for fine in ("1000", "2000", "3000"):
        entry(world, fine, case_number=f"AJ-T-{fine}")
    client = api(world.officer)
    page = client.get("/api/v1/knowledge/cases", {"q": "过期食品", "limit": 2}).json()
    assert len(page["items"]) == 2 and page["has_next"] is True
    assert client.get("/api/v1/knowledge/cases", {"q": "字" * 1000}).json()["code"] == "query_too_long"
    similar = client.get("/api/v1/knowledge/cases/AJ-T-2000/similar").json()
    assert similar["distribution"]["count"] == 3 and similar["distribution"]["median"] == "2000.00"
    assert client.get("/api/v1/knowledge/cases/AJ-NONE/similar").status_code == 404


def test_the_pages(world, signed_in):
    made = entry(world, "1000", case_number="AJ-T-PAGE")
    page = signed_in(world.officer)
    assert "销售过期食品" in page.get("/casebook/", {"q": "过期"}).content.decode()
    assert "query_too_long" in page.get("/casebook/", {"q": "字" * 1000}).content.decode()
    assert 'data-testid="casebook-entry"' in page.get(f"/casebook/{made.pk}/").content.decode()
    similar = page.get("/casebook/cases/AJ-T-PAGE/similar/").content.decode()
    assert 'data-testid="similar-count">1<' in similar and "<svg" in similar


def test_outsiders_get_404_on_an_entry_its_review_and_similar_cases(world, signed_in, api, outsider):
    made = entry(world, "1000", case_number="AJ-T-OUT")
    typical = services.typical_submit(actor=world.officer, data={
        "title": "标题", "facts": "案情", "violation": "类型", "article": ARTICLE, "outcome": "罚款"})
    page = signed_in(outsider)
    assert page.get(f"/casebook/{made.pk}/").status_code == 404
    assert page.get("/casebook/cases/AJ-T-OUT/similar/").status_code == 404
    before = Entry.objects.get(pk=typical.pk).status
    page.post(f"/casebook/{typical.pk}/act/", {"action": "approve"})
    assert Entry.objects.get(pk=typical.pk).status == before
    assert api(outsider).get("/api/v1/knowledge/cases/AJ-T-OUT/similar").status_code == 404
