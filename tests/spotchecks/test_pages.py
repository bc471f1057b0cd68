"""The pages of 双随机一公开 and who may see them: plans, tasks, draws and results on the work portal, outsiders
refused, and the public portal showing neither a draft task nor a draw without a result."""

from __future__ import annotations

import hashlib

import pytest

from jianguan.catalog.models import Implementation
from jianguan.spotchecks import drawing, plans, protocol, task_setup
from jianguan.spotchecks.models import CheckResult, Draw
from tests.catalog_fixtures import FOOD
from tests.spotcheck_fixtures import MOMENT, WINDOW, _drawn, _witness

pytestmark = pytest.mark.django_db


def test_pages_and_outsiders(food_task, persona, signed_in, outsider, api, client):
    draw = _drawn(food_task, persona)
    check = CheckResult.objects.filter(draw=draw).first()
    officer = signed_in(persona("scjg_admin"))
    assert officer.get(f"/spotchecks/tasks/{food_task.pk}/").status_code == 200
    download = officer.get(f"/spotchecks/draws/{draw.pk}/transcript.json")
    assert hashlib.sha256(download.content).hexdigest() == draw.transcript_hash  # as published on the portal
    stranger = signed_in(outsider)
    for page in (f"/spotchecks/tasks/{food_task.pk}/", f"/spotchecks/draws/{draw.pk}/transcript.json",
                 f"/spotchecks/checks/{check.pk}/"):
        assert stranger.get(page).status_code == 404, page
    assert stranger.post(f"/spotchecks/tasks/{food_task.pk}/act/", {"action": "void_request",
                                                                     "reason": "xxxx"}).status_code == 404
    assert stranger.post(f"/spotchecks/plans/{food_task.plan_id}/act/", {"action": "publish"}).status_code == 404
    assert not Draw.objects.filter(pk=draw.pk).exclude(void_reason="").exists()
    # out of scope, a published draw's transcript is still public (issue 14): the public form only, never the full
    public = api(outsider).get(f"/api/v1/spotchecks/draws/{draw.pk}/transcript")
    assert public.status_code == 200 and public.json()["form"] == "public" and "inspectors" not in public.json()
    assert public.content == drawing.public_transcript_bytes(draw) != download.content
    served = api(persona("scjg_officer")).get(f"/api/v1/spotchecks/draws/{draw.pk}/transcript")
    assert served.content == download.content and protocol.verify(served.json()) == []
    assert client.get("/public/spotchecks/").status_code == 200


def test_a_draft_task_is_not_public(small_catalog, persona, city_scjg, client):
    admin = persona("scjg_admin")
    plan = plans.plan_create(actor=admin, year=2025, title="草稿计划")
    code = Implementation.objects.get(item__code=FOOD, body=city_scjg).code
    task = task_setup.task_create(actor=admin, plan_id=plan.pk, name="尚未公布的任务", items=[code],
                                  window_start=WINDOW[0], window_end=WINDOW[1])
    assert client.get(f"/public/spotchecks/tasks/{task.pk}/").status_code == 404
    assert "尚未公布的任务" not in client.get("/public/spotchecks/").content.decode()
    task_setup.task_publish(actor=admin, task_id=task.pk)
    assert client.get(f"/public/spotchecks/tasks/{task.pk}/").status_code == 200


def test_a_draw_without_a_result_is_not_public(food_task, persona, api, client):
    admin = persona("scjg_admin")
    draw = drawing.draw_commit(actor=admin, task_id=food_task.pk, beacon=_witness(), now=MOMENT)
    for path in (f"/api/v1/spotchecks/draws/{draw.pk}/transcript", "/api/v1/spotchecks/draws/999999/transcript"):
        refused = api().get(path)
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert client.get(f"/public/spotchecks/draws/{draw.pk}/transcript.json").status_code == 404
    assert client.get("/public/spotchecks/draws/999999/transcript.json").status_code == 404
    assert "transcript.json" not in client.get(f"/public/spotchecks/tasks/{food_task.pk}/").content.decode()
    # the task's own department still gets its answer: not drawn yet
    assert api(persona("scjg_officer")).get(f"/api/v1/spotchecks/draws/{draw.pk}/transcript").status_code == 409
