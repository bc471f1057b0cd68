"""The public's search of published decisions: only published (and withdrawn) items, the published copy, filters
checked with the field and the rule named; an unpublished item's number is 404 on the public page."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.disclosure import public
from tests.disclosure.world import entity, fine, item_of, published

pytestmark = pytest.mark.django_db


def test_the_public_sees_published_items_with_the_published_copy_only(client, clock, persona):
    shown = published(fine(entity(), day=clock.day - dt.timedelta(days=2), facts="举报人电话 13812345678"),
                      persona("scjg_officer"), persona("scjg_publisher"))
    hidden = item_of(fine(entity(1), day=clock.day - dt.timedelta(days=1)))
    page = client.get("/public/disclosure/").content.decode()
    assert shown.number in page and hidden.number not in page
    detail = client.get(f"/public/disclosure/{shown.number}/").content.decode()
    assert shown.decision_number in detail and "13812345678" not in detail
    assert client.get(f"/public/disclosure/{hidden.number}/").status_code == 404
    found = public.public_search(public.parse_query({"entity": shown.entity.uscc}))
    assert [i.number for i in found.items] == [shown.number] and not found.has_next
    assert public.public_search(public.parse_query({"entity": hidden.entity.uscc})).items == []


@pytest.mark.parametrize(("params", "field", "code"), [
    ({"page": "0"}, "page", "out_of_range"), ({"size": "101"}, "size", "out_of_range"),
    ({"size": "-1"}, "size", "out_of_range"), ({"kind": "draft"}, "kind", "kind_invalid"),
    ({"since": "2026-13-01"}, "since", "date_invalid"), ({"q": "字" * 51}, "q", "too_long"),
    ({"since": "2026-12-02", "until": "2026-12-01"}, "since", "date_range_inverted")])
def test_parameters_out_of_range_are_refused_with_the_field_and_rule(client, params, field, code):
    with pytest.raises(ValidationFailed) as refused:
        public.parse_query(params)
    assert (refused.value.field, refused.value.code) == (field, code)
    response = client.get("/public/disclosure/", params)
    assert response.status_code == 400 and code in response.content.decode()
