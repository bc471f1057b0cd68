"""The pages of 行政强制: list, detail and steps, and the dashboard card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from jianguan.coercion import dashboard
from jianguan.coercion.models import Measure
from jianguan.coercion.workflow import MeasureState as M
from tests.coercion.world import _emergency
from tests.library_fixtures import COERCION

pytestmark = pytest.mark.django_db


def test_pages_list_detail_and_steps(world, signed_in):
    overdue = _emergency(world, at=timezone.now() - dt.timedelta(hours=26))
    request = RequestFactory().get("/")
    request.user = world["head"]
    card = dashboard.cards(request)[0]
    assert card.value == "1" and card.url == "/coercion/"
    assert dict(card.rows) == {"逾期（应解除或补批）": "1", "待负责人批准": "1", "办理中的强制执行": "0"}
    browser = signed_in(world["actor"])
    index = browser.get("/coercion/").content.decode()
    assert overdue.number in index and 'data-testid="overdue"' in index
    page = browser.get(f"/coercion/measures/{overdue.pk}/").content.decode()
    assert "过期饼干" in page and 'data-testid="timeline"' in page and overdue.decision_number in page
    assert 'data-testid="action-release"' in page and 'data-testid="action-approve"' not in page  # the head's
    assert 'data-testid="action-approve"' in signed_in(world["head"]).get(
        f"/coercion/measures/{overdue.pk}/").content.decode()
    browser = signed_in(world["actor"])
    document = browser.get(f"/coercion/measures/{overdue.pk}/documents/{overdue.decision_document_id}.pdf")
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    assert browser.get(f"/coercion/measures/{overdue.pk}/documents/999999.pdf").status_code == 404
    browser.post(f"/coercion/measures/{overdue.pk}/act/", {"action": "release", "reason": "负责人不同意"})
    assert Measure.objects.get(pk=overdue.pk).status == M.RELEASED
    created = browser.post("/coercion/measures/new/", {
        "kind": "seize", "inspection_number": world["inspection"].number, "catalog_code": COERCION,
        "facts": "经营过期食品", "basis": "食品安全法第一百一十条", "days": "20", "officers": "qz_a qz_b",
        "item_name": ["过期饼干", ""], "item_spec": ["", ""], "item_quantity": ["5", ""], "item_unit": ["袋", ""],
        "item_condition": ["", ""]})
    measure = Measure.objects.exclude(pk=overdue.pk).get()
    assert created.status_code == 302 and measure.days == 20 and measure.items.get().name == "过期饼干"
    head = signed_in(world["head"])
    head.post(f"/coercion/measures/{measure.pk}/act/", {"action": "approve", "note": "同意"})
    assert Measure.objects.get(pk=measure.pk).status == M.APPROVED
