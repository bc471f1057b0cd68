"""Documents are rendered in the background (issue 14, item 12; ADR 0030): the step's request stores the number,
content and digest and queues the rendering; downloads wait for the stored PDF (202, a page that polls), a failed
rendering is recorded, shown and retried, and the case file is built from rendered documents only."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.utils import DatabaseError
from django_tasks_db.models import DBTaskResult

from jianguan.audit.models import AuditEvent
from jianguan.documents import rendering, services, tasks, verify_bundle
from jianguan.documents.models import IssuedDocument, RenderedDocument, RenderFailure
from jianguan.enforcement import casefile
from jianguan.enforcement.models import Case, CaseFile
from tests.enforcement_fixtures import FILING, act, register, sha, world_fixture  # noqa: F401
from tests.exchange.test_monitor import run_worker

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def queued(settings):
    """Tasks go to the database queue, as in production: nothing runs until the worker takes them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def no_rendering(monkeypatch):
    """Any rendering of a document fails loudly; `calls` counts the attempts."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(kwargs.get("number"))
        raise rendering.FontsMissing("本机没有可用的中文字体", field="fonts")

    monkeypatch.setattr(rendering, "render_pdf", refuse)
    return calls


def _approve_filing(world, api) -> tuple[Case, IssuedDocument]:
    """立案审批 through the API, as the head sends it."""
    case = register(world)
    act(world, case, "propose_filing", world.officer, {**FILING, "implementation_code": world.implementation})
    response = api(world.head).post(f"{API}/enforcement/cases/{case.pk}/transitions",
                                    {"action": "approve_filing", "data": {"opinion": "同意立案"}},
                                    content_type="application/json")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    document = IssuedDocument.objects.get(pk=case.events.get(verb="approve_filing").document_id)
    return case, document


def test_the_step_request_renders_nothing_and_the_worker_renders_the_document_after(
        queued, no_rendering, monkeypatch, world, api, signed_in):
    case, document = _approve_filing(world, api)
    assert no_rendering == []  # the request did not render
    event = case.events.get(verb="approve_filing")
    assert document.number.startswith("咸市监立〔") and document.digest == services.content_digest(document)
    assert event.document_sha256 == document.digest
    issued = AuditEvent.objects.get(verb="documents.issued", target_id=str(document.pk))
    assert issued.payload["digest"] == document.digest and not RenderedDocument.objects.filter(document=document)
    assert DBTaskResult.objects.filter(task_path=tasks.document_render.module_path).count() == 1

    officer = api(world.officer)
    listed = officer.get(f"{API}/enforcement/cases/{case.pk}/documents").json()
    assert [(d["id"], d["sha256"], d["digest"]) for d in listed] == [(document.pk, "", document.digest)]
    pending = officer.get(f"{API}/enforcement/cases/{case.pk}/documents/{document.pk}")
    assert pending.status_code == 202 and pending["Retry-After"] == "5"
    assert pending.json()["code"] == "document_rendering" and "正在生成" in pending.json()["message"]
    assert officer.get(f"{API}/documents/{document.pk}/pdf").json()["code"] == "document_rendering"
    assert officer.get(f"{API}/documents/{document.pk}").json()["state"] == "rendering"
    page = signed_in(world.officer)
    waiting = page.get(f"/enforcement/cases/{case.pk}/documents/{document.pk}/")
    text = waiting.content.decode()
    assert waiting.status_code == 202 and "正在生成，请稍候" in text and 'data-testid="document-rendering"' in text
    assert f'hx-get="/enforcement/cases/{case.pk}/documents/{document.pk}/?wait=1"' in text
    assert 'hx-trigger="every 2s"' in text

    monkeypatch.undo()  # the fonts are back
    run_worker()
    stored = RenderedDocument.objects.get(document=document)
    assert sha(bytes(stored.pdf)) == stored.sha256 and stored.pages >= 1
    rendered = AuditEvent.objects.get(verb="documents.rendered", target_id=str(document.pk))
    assert rendered.payload["sha256"] == stored.sha256 and rendered.payload["digest"] == document.digest
    assert rendered.actor_label == "系统：task:documents.document_render"
    ready = page.get(f"/enforcement/cases/{case.pk}/documents/{document.pk}/", {"wait": "1"}, HTTP_HX_REQUEST="true")
    assert ready.status_code == 200 and 'data-testid="document-download"' in ready.content.decode()
    pdf = officer.get(f"{API}/enforcement/cases/{case.pk}/documents/{document.pk}")
    assert pdf.status_code == 200 and sha(pdf.content) == stored.sha256
    assert page.get(f"/enforcement/cases/{case.pk}/documents/{document.pk}/").content == bytes(stored.pdf)
    assert officer.get(f"{API}/enforcement/cases/{case.pk}/documents").json()[0]["sha256"] == stored.sha256


def test_a_failed_rendering_is_recorded_shown_and_retried(queued, no_rendering, monkeypatch, world, api, signed_in,
                                                          outsider, persona):
    case, document = _approve_filing(world, api)
    run_worker()
    failure = RenderFailure.objects.get(document=document)
    assert (failure.code, failure.attempts) == ("cjk_fonts_missing", 1) and len(no_rendering) == 1
    failed = AuditEvent.objects.get(verb="documents.render_failed", target_id=str(document.pk))
    assert failed.payload["code"] == "cjk_fonts_missing" and "中文字体" in failed.payload["message"]
    answer = api(world.officer).get(f"{API}/enforcement/cases/{case.pk}/documents/{document.pk}")
    assert answer.status_code == 409 and answer.json()["code"] == "document_render_failed"
    assert "文书 PDF 生成失败：本机没有可用的中文字体" in answer.json()["message"]
    page = signed_in(world.officer)
    shown = page.get(f"/documents/{document.pk}/").content.decode()
    assert 'data-testid="document-failed"' in shown and "本机没有可用的中文字体" in shown
    assert f'action="/documents/{document.pk}/render/"' in shown
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        IssuedDocument.objects.filter(pk=document.pk).update(digest="0" * 64)  # the document itself stays as issued

    monkeypatch.undo()
    assert signed_in(outsider).post(f"/documents/{document.pk}/render/").status_code == 404
    assert signed_in(persona("leader")).post(f"/documents/{document.pk}/render/").status_code == 403
    assert RenderFailure.objects.filter(document=document).exists()
    page = signed_in(world.officer)
    back = f"/enforcement/cases/{case.pk}/documents/{document.pk}/"
    retried = page.post(f"/documents/{document.pk}/render/", {"next": back})
    assert retried.status_code == 302 and retried["Location"] == back
    assert not RenderFailure.objects.filter(document=document).exists()
    assert AuditEvent.objects.filter(verb="documents.render_retried", target_id=str(document.pk)).exists()
    again = page.post(f"/documents/{document.pk}/render/")
    assert again.status_code == 409  # nothing failed: nothing to retry
    run_worker()
    stored = RenderedDocument.objects.get(document=document)
    assert sha(page.get(back).content) == stored.sha256


def test_the_case_file_is_built_from_rendered_documents(queued, world, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, document = _approve_filing(world, api)
    waiting = DBTaskResult.objects.values_list("task_path", flat=True)
    assert tasks.document_render.module_path in waiting and "jianguan.enforcement.tasks.case_file_build" in waiting
    stored = casefile.build(actor=world.officer, case_id=case.pk)  # even when it runs first, nothing is missing
    rendered = RenderedDocument.objects.get(document=document)
    _lines, problems, files = verify_bundle.verify(bytes(stored.pdf))
    parts = json.loads(files["manifest.json"])["parts"]
    assert problems == [] and parts[0]["sha256"] == rendered.sha256 and parts[0]["digest"] == document.digest
    run_worker()  # the queued rendering finds the document rendered and leaves it as it is
    assert RenderedDocument.objects.filter(document=document).count() == 1


def test_a_case_file_waits_for_a_failed_document(queued, no_rendering, world, api):
    case, document = _approve_filing(world, api)
    run_worker()
    assert RenderFailure.objects.filter(document=document).exists()
    with pytest.raises(services.DocumentRenderFailed):
        casefile.build(actor=world.officer, case_id=case.pk)
    assert not CaseFile.objects.filter(case=case).exists() and len(no_rendering) == 1  # not tried again


def test_the_consistency_check_accepts_documents_being_rendered(queued, world, api):
    _approve_filing(world, api)
    call_command("consistency", stdout=io.StringIO())  # raises CommandError on any problem
