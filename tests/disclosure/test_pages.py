"""The work list `/disclosure/` with its filters, counts and clocks, one item with the steps open to the reader, the
form that takes a step, the dashboard's overdue tile; outsiders get 404 and write nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.disclosure.models import DisclosureItem, DisclosureStep, ItemStatus
from tests.disclosure.world import entity, fine, item_of

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_overdue_with_their_clock_and_filters(signed_in, persona, clock):
    late = item_of(fine(entity(), day=dt.date(2026, 11, 2)))
    recent = item_of(fine(entity(1), day=dt.date(2026, 12, 4)))
    client = signed_in(persona("scjg_officer"))
    page = client.get("/disclosure/").content.decode()
    assert late.number in page and recent.number in page and "已逾期" in page
    overdue = client.get("/disclosure/?overdue=1").content.decode()
    assert late.number in overdue and recent.number not in overdue
    assert recent.number not in client.get("/disclosure/?status=published").content.decode()
    assert client.get("/disclosure/?status=nonsense&kind=x&overdue=2").status_code == 200
    dashboard = client.get("/").content.decode()
    assert "执法公示逾期" in dashboard


def test_an_item_is_prepared_and_released_from_its_page_and_refusals_are_named(signed_in, persona, clock):
    item = item_of(fine(entity(), day=dt.date(2026, 12, 1), facts="举报人电话 13812345678"))
    officer = signed_in(persona("scjg_officer"))
    page = officer.get(f"/disclosure/{item.pk}/").content.decode()
    assert 'value="prepare"' in page and 'value="publish"' not in page
    assert 'data-testid="disclosure-diff"' in page and "<mark" in page and "phone" in page
    officer.post(f"/disclosure/{item.pk}/act/", {"action": "publish"})
    assert DisclosureItem.objects.get(pk=item.pk).status == ItemStatus.PENDING
    assert officer.post(f"/disclosure/{item.pk}/act/", {"action": "prepare"}).status_code == 302
    publisher = signed_in(persona("scjg_publisher"))
    assert 'value="publish"' in publisher.get(f"/disclosure/{item.pk}/").content.decode()
    publisher.post(f"/disclosure/{item.pk}/act/", {"action": "publish"})
    assert DisclosureItem.objects.get(pk=item.pk).status == ItemStatus.PUBLISHED
    answer = publisher.post(f"/disclosure/{item.pk}/act/", {"action": "withdraw", "reason": ""}, follow=True)
    assert "原因" in answer.content.decode() and DisclosureItem.objects.get(pk=item.pk).status == ItemStatus.PUBLISHED


def test_outsiders_get_404_on_an_item_and_its_steps(signed_in, outsider, persona, clock):
    item = item_of(fine(entity(), day=dt.date(2026, 12, 1)))
    client = signed_in(outsider)
    assert client.get(f"/disclosure/{item.pk}/").status_code == 404
    assert item.number not in client.get("/disclosure/").content.decode()
    before = DisclosureStep.objects.count()
    assert client.post(f"/disclosure/{item.pk}/act/", {"action": "prepare"}).status_code in (403, 404)
    assert DisclosureStep.objects.count() == before
    assert DisclosureItem.objects.get(pk=item.pk).status == ItemStatus.PENDING
