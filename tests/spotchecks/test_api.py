"""The public transcript of a published draw over the API: anyone fetches it and the standalone verifier
recomputes the draw."""

from __future__ import annotations

import hashlib
import json

import pytest

from jianguan.accounts.models import User
from jianguan.spotchecks import drawing, inspector_directory, pools, protocol
from tests.spotcheck_fixtures import _drawn
from tests.spotchecks.test_services import _verify_file

pytestmark = pytest.mark.django_db


def test_anyone_fetches_a_published_draws_public_transcript_and_verifies_it(food_task, persona, api, outsider,
                                                                             client, tmp_path):
    uscc = pools.pool_queryset(food_task).order_by("uscc").first().uscc
    spot = User.objects.get(username="spot_0")
    inspector_directory.avoidance_declare(actor=spot, uscc=uscc, reason="配偶在该公司任职")
    draw = _drawn(food_task, persona)
    full = drawing.transcript(draw)
    assert full["excluded_pairs"] and any(i["id"] == "spot_0" for i in full["inspectors"])

    page = client.get(f"/public/spotchecks/tasks/{food_task.pk}/").content.decode()
    link = f"/public/spotchecks/draws/{draw.pk}/transcript.json"
    assert f'href="{link}"' in page
    assert "python -m jianguan.spotchecks.verify TRANSCRIPT.json" in page
    assert "SHA-256 摘要" in page and "inspectors_hash" in page

    published = client.get(link)
    assert published.status_code == 200 and published["Content-Type"] == "application/json"
    body = published.content
    assert body == protocol.canonical(protocol.public_form(full))
    text = body.decode()
    assert "spot_0" not in text and "配偶在该公司任职" not in text and "检查员" not in text
    document = json.loads(text)
    assert document["form"] == "public" and set(document["result"]) == {"selected"}
    assert document["inspectors_hash"] == hashlib.sha256(protocol.canonical(full["inspectors"])).hexdigest()
    assert document["result"]["selected"] == full["result"]["selected"]
    assert protocol.verify(document) == []
    verified = _verify_file(body, tmp_path)
    assert verified.returncode == 0 and verified.stdout.startswith("OK (public form"), verified.stdout

    anonymous = api().get(f"/api/v1/spotchecks/draws/{draw.pk}/transcript")
    assert anonymous.status_code == 200 and anonymous.content == body
    assert api(outsider).get(f"/api/v1/spotchecks/draws/{draw.pk}/transcript").content == body
    own = api(persona("scjg_officer")).get(f"/api/v1/spotchecks/draws/{draw.pk}/transcript")
    assert own.status_code == 200 and own.content == drawing.transcript_bytes(draw)
