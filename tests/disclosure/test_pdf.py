"""The published PDF (公示文书): made at release from the published copy (the masked values absent, the document
information empty), refused with the release when a masked value can still be read, and served on the public page
for published and withdrawn items only."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.audit.models import AuditEvent
from jianguan.disclosure import pdfs, services
from jianguan.disclosure.models import DisclosureStep, ItemStatus, PublishedPdf
from jianguan.documents import contracts as documents
from jianguan.redaction.contracts import LeftoverFound
from tests.disclosure.world import entity, fine, item_of, published

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
FACTS = f"当事人销售过期食品，举报人联系电话 {PHONE}"


def test_the_release_makes_the_redacted_pdf_without_the_masked_values_or_metadata(clock, persona):
    item = published(fine(entity(), day=clock.day - dt.timedelta(days=2), facts=FACTS),
                      persona("scjg_officer"), persona("scjg_publisher"))
    pdf = PublishedPdf.objects.get(item=item)
    text = "".join(documents.pdf_text(bytes(pdf.data)))
    assert item.decision_number in text and item.party_name in text and "违法事实" in text
    assert PHONE not in text and "12345678" not in text and item.redacted["facts"].replace(" ", "") in \
        text.replace(" ", "")
    assert documents.pdf_info(bytes(pdf.data)) == {}
    event = AuditEvent.objects.filter(verb="disclosure.item_publish").latest("id")
    assert event.payload["pdf_sha256"] == pdf.sha256 and pdf.size == len(bytes(pdf.data))


def test_a_leftover_in_the_pdf_refuses_the_release_and_nothing_is_written(clock, persona, monkeypatch):
    item = item_of(fine(entity(), day=clock.day - dt.timedelta(days=2), facts=FACTS))
    services.item_transition(item_id=item.pk, action="prepare", values={}, actor=persona("scjg_officer"))
    # a layout that (wrongly) puts the original text on the page: the read-back must catch it
    monkeypatch.setattr(pdfs, "rows_of", lambda it: [("违法事实", it.fields["facts"])])
    before = (DisclosureStep.objects.count(), AuditEvent.objects.count())
    with pytest.raises(LeftoverFound) as refused:
        services.item_transition(item_id=item.pk, action="publish", values={}, actor=persona("scjg_publisher"))
    assert refused.value.code == "redaction_leftover"
    item.refresh_from_db()
    assert (item.status, item.published_on) == (ItemStatus.PREPARED, None)
    assert not PublishedPdf.objects.exists()
    assert before == (DisclosureStep.objects.count(), AuditEvent.objects.count())


def test_the_public_page_links_the_pdf_served_for_published_and_withdrawn_items_only(client, clock, persona):
    publisher = persona("scjg_publisher")
    shown = published(fine(entity(), day=clock.day - dt.timedelta(days=2), facts=FACTS), persona("scjg_officer"),
                      publisher)
    url = f"/public/disclosure/{shown.number}/decision.pdf"
    page = client.get(f"/public/disclosure/{shown.number}/").content.decode()
    assert f'href="{url}"' in page and "公示文书（PDF）" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert bytes(response.content) == bytes(PublishedPdf.objects.get(item=shown).data)
    services.item_transition(item_id=shown.pk, action="withdraw", values={"reason": "决定被撤销"}, actor=publisher)
    assert client.get(url).status_code == 200
    pending = item_of(fine(entity(1), day=clock.day - dt.timedelta(days=1)))
    assert client.get(f"/public/disclosure/{pending.number}/decision.pdf").status_code == 404
    assert client.get("/public/disclosure/GS-NONE/decision.pdf").status_code == 404
