"""The public search's words (ADR 0052): the terms follow an item's publication in the same transaction, and a
search through them finds exactly the rows, in the same order, that the plain `icontains` filter finds — for
words of one, two and more characters, in either case, in the party's name or the decision number, and for words
nobody wrote."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from jianguan.disclosure import search, selectors, services, sweep
from jianguan.disclosure.models import DisclosureItem, ItemStatus, SearchTerm, SearchTermCount
from tests.disclosure.world import entity, fine, item_of

pytestmark = pytest.mark.django_db

NAMES = [("咸宁市超艺科技有限公司", "咸市监罚〔2026〕12号"), ("嘉鱼县和泰网络有限公司", "嘉市监罚〔2026〕7号"),
         ("通城九方信息有限公司", "咸市监罚〔2025〕120号"), ("ABC Trading 有限公司", "XSJ-Abc-〔2026〕3号"),
         ("赤壁超艺传媒有限公司", "赤市监检〔2026〕12号")]


def _publish(index: int, name: str, number: str, officer, publisher, day: dt.date) -> DisclosureItem:
    item = item_of(fine(entity(index), day=day))
    DisclosureItem.objects.filter(pk=item.pk).update(party_name=name, decision_number=number)
    services.item_transition(item_id=item.pk, action="prepare", values={}, actor=officer)
    return services.item_transition(item_id=item.pk, action="publish", values={}, actor=publisher)


@pytest.fixture
def items(clock, persona):
    """The items published a day apart, in the order of `NAMES`."""
    officer, publisher = persona("scjg_officer"), persona("scjg_publisher")
    decided, made = clock.day - dt.timedelta(days=20), []
    for i, (name, number) in enumerate(NAMES):
        clock.day = decided + dt.timedelta(days=21 + i)
        made.append(_publish(i, name, number, officer, publisher, decided))
    return made


def _counts() -> dict[str, int]:
    return dict(SearchTermCount.objects.exclude(items=0).values_list("term", "items"))


def test_publishing_writes_the_items_terms_and_counts_and_ending_removes_them(items, persona, clock):
    first = items[0]
    assert set(SearchTerm.objects.filter(item_id=first.pk).values_list("term", flat=True)) == \
        search.item_terms(first.party_name, first.decision_number)
    counts = _counts()
    assert counts[""] == len(items) and counts["有限公"] == len(items) and counts["〔20"] == len(items)
    withdrawn = services.item_transition(item_id=first.pk, action="withdraw", values={"reason": "复议撤销"},
                                         actor=persona("scjg_publisher"))
    assert withdrawn.status == ItemStatus.WITHDRAWN and _counts() == counts  # still public, with its reason
    clock.day = max(i.period_ends_on for i in items) + dt.timedelta(days=1)
    assert sweep.sweep().expired == len(items) - 1
    assert set(SearchTerm.objects.values_list("item_id", flat=True)) == {first.pk}
    assert _counts() == {term: 1 for term in search.item_terms(first.party_name, first.decision_number)} | {"": 1}


def test_an_item_not_yet_published_has_no_terms(clock):
    item = item_of(fine(entity(9), day=clock.day - dt.timedelta(days=3)))
    assert item.status == ItemStatus.PENDING
    assert not SearchTerm.objects.filter(item_id=item.pk).exists() and not _counts()


WORDS = ["超艺", "超艺科技", "超", "有限公司", "〔2026〕12", "12号", "2号", "abc", "ABC", "aBc trad", "Trading 有",
         "公司", "司", "号", "罚〔", "无此名称", "鬱鬯", "〔2019〕", "赤壁超艺传媒有限公司", "XSJ", "xsj-abc-〔"]


@pytest.mark.parametrize("need", [1, 1000])
def test_a_search_finds_the_rows_of_the_plain_filter_in_the_same_order(items, need):
    plain = selectors.public_item_list()
    for word in WORDS:
        expected = [i.number for i in plain.filter(Q(party_name__icontains=word)
                                                   | Q(decision_number__icontains=word))]
        found = [i.number for i in selectors.public_item_list(q=word, need=need)]
        assert found == expected, word
    assert [i.number for i in selectors.public_item_list(q="超艺", need=need)] == [items[4].number, items[0].number]


def test_a_search_with_filters_keeps_them(items):
    department = items[0].department_id
    found = selectors.public_item_list(q="有限公司", department_id=department, since=items[2].published_on)
    assert [i.number for i in found] == [i.number for i in reversed(items[2:])]
    assert not selectors.public_item_list(q="有限公司", kind="inspection").exists()
