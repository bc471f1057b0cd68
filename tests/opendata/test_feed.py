"""The Atom feed of new decisions: valid XML, the newest published ones, each linking to its public page, nothing
unpublished."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from jianguan.disclosure.models import DisclosureItem, ItemStatus
from jianguan.opendata import feeds
from tests.opendata.world import PHONE, decisions

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_lists_the_public_decisions_with_links_to_their_pages(client, clock, persona, monkeypatch):
    shown, _withdrawn, withheld = decisions(persona, clock.day)
    response = client.get("/public/disclosure/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}title").text == "执法决定公示"
    entries = root.findall(f"{ATOM}entry")
    public = DisclosureItem.objects.filter(status__in=(ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN))
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [f"http://testserver/public/disclosure/{i.number}/"
                     for i in public.order_by("-published_on", "-pk")]
    titles = dict(zip(links, (e.find(f"{ATOM}title").text for e in entries), strict=True))
    assert titles[f"http://testserver/public/disclosure/{shown.number}/"] == \
        f"行政处罚 {shown.decision_number} {shown.party_name}"
    body = response.content.decode()
    assert withheld.number not in body and PHONE not in body and "复议撤销" in body
    monkeypatch.setattr(feeds, "NEWEST", 2)
    shorter = ET.fromstring(client.get("/public/disclosure/feed.atom").content)  # noqa: S314 (our own feed)
    assert len(shorter.findall(f"{ATOM}entry")) == 2
