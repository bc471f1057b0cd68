"""The published copy is a redacted copy: the original fields kept, the masks stored with their rules, a reviewer's
added and removed masks with their reasons, and nothing masked on the public view."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.core.errors import ValidationFailed
from jianguan.disclosure import selectors, services
from jianguan.disclosure.models import DisclosureItem, ItemStatus
from tests.disclosure.world import entity, fine, item_of

pytestmark = pytest.mark.django_db
PHONE = "13812345678"
FACTS = f"经查，当事人销售过期食品，举报人王五（电话 {PHONE}）提供了购物小票。"


def test_the_copy_hides_what_the_rules_find_and_keeps_the_original(clock):
    item = item_of(fine(entity(), day=dt.date(2026, 12, 1), facts=FACTS))
    assert item.fields["facts"] == FACTS and PHONE not in item.redacted["facts"]
    assert item.redacted["party_name"] == item.party_name and item.redacted["decision_number"] == item.decision_number
    assert [m["rule"] for m in item.masks] == ["phone"]


def test_a_reviewer_adds_and_removes_masks_with_a_reason(clock, persona):
    publisher = persona("scjg_publisher")
    item = item_of(fine(entity(), day=dt.date(2026, 12, 1), facts=FACTS))
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.item_transition(item_id=item.pk, action="mask", actor=publisher,
                                 values={"mask_field": "facts", "mask_text": "王五", "mask_kind": "person_name"})
    assert refused.value.code == "reason_required" and AuditEvent.objects.count() == events
    with pytest.raises(ValidationFailed) as refused:
        services.item_transition(item_id=item.pk, action="mask", actor=publisher, values={
            "mask_field": "facts", "mask_text": "张三", "mask_kind": "person_name", "reason": "证人"})
    assert refused.value.code == "text_not_found"
    done = services.item_transition(item_id=item.pk, action="mask", actor=publisher, values={
        "mask_field": "facts", "mask_text": "王五", "mask_kind": "person_name", "reason": "举报人姓名"})
    assert "王五" not in done.redacted["facts"] and done.status == ItemStatus.PENDING
    manual = [m for m in done.masks if m["rule"] == "manual"]
    assert len(manual) == 1 and manual[0]["note"] == "举报人姓名"
    phone = next(m for m in done.masks if m["rule"] == "phone")
    done = services.item_transition(item_id=item.pk, action="mask", actor=publisher, values={
        "unmask": f"facts:{phone['start']}:{phone['end']}", "reason": "单位办公电话，可以公开"})
    assert PHONE in done.redacted["facts"] and "王五" not in done.redacted["facts"]
    assert done.masks_removed[0][3] == "单位办公电话，可以公开"


def test_the_public_sees_the_redacted_copy_only(clock, persona):
    item = item_of(fine(entity(), day=dt.date(2026, 12, 1), facts=FACTS))
    services.item_transition(item_id=item.pk, action="prepare", values={}, actor=persona("scjg_officer"))
    services.item_transition(item_id=item.pk, action="publish", values={}, actor=persona("scjg_publisher"))
    shown = selectors.public_view(selectors.public_item_get(number=item.number))
    assert PHONE not in str(shown) and "masks" not in shown and shown["fields"]["facts"] != FACTS
    pending = item_of(fine(entity(1), day=dt.date(2026, 12, 1)))
    assert not selectors.public_item_list().filter(pk=pending.pk).exists()
    assert DisclosureItem.objects.get(pk=item.pk).fields["facts"] == FACTS
