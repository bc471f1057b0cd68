"""The enforcement API (the pages in test_pages.py): lists and search, detail with allowed actions, 409 with the
allowed steps, 403 for the wrong person, evidence refused by type, size and hash, documents, the case file PDF
(checked with pdftotext and its embedded manifest), outsiders 404, anonymous callers 401."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from django.test import override_settings

from jianguan.audit.models import AuditEvent as AuditEventModel
from jianguan.documents import verify_bundle
from jianguan.enforcement import casefile, history, tasks
from jianguan.enforcement.models import CaseEvent, CaseFile, Evidence
from tests.enforcement_fixtures import ENDING, act, decided, filed, register, sha, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
API = "/api/v1/enforcement"


def _upload(client, case_id: int, name: str, data: bytes, digest: str | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"{API}/cases/{case_id}/evidence", {
        "file": SimpleUploadedFile(name, data), "sha256": sha(data) if digest is None else digest,
        "title": "现场照片"})


def test_anonymous_callers_are_refused(client, world):
    case = register(world)
    for method, path in (("get", f"{API}/cases"), ("get", f"{API}/cases/{case.pk}"),
                         ("get", f"{API}/cases/{case.pk}/file"), ("get", f"{API}/deadlines")):
        response = getattr(client, method)(path)
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated", path
    response = client.post(f"{API}/cases/{case.pk}/transitions", {"action": "propose_not_filing"},
                           content_type="application/json")
    assert response.status_code == 401


def test_register_list_search_and_detail(api, world):
    officer = api(world.officer)
    response = officer.post(f"{API}/cases", {"party": {"uscc": world.entity.uscc}, "summary": "举报销售过期食品",
                                            "source": "report", "source_ref": "JB-API-1", "received_on": "2026-11-02"},
                            content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    case_id = body["case"]["id"]
    assert body["case"]["check_due"] == "2026-11-23" and body["steps"][0]["key"] == "check"
    assert [a["action"] for a in body["allowed"]] == ["propose_filing", "propose_not_filing"]
    assert officer.post(f"{API}/cases", {"party": {}, "summary": "x", "source": "report", "source_ref": "y",
                                         "received_on": "2026-11-02", "extra": 1},
                        content_type="application/json").status_code == 400
    other = register(world)
    listed = officer.get(f"{API}/cases", {"q": "JB-API-1"})
    assert listed.json()["count"] == 0  # the search reads number, 文号, party, cause and summary, not the source
    listed = officer.get(f"{API}/cases", {"q": body["case"]["number"]}).json()
    assert [c["id"] for c in listed["items"]] == [case_id]
    assert {c["id"] for c in officer.get(f"{API}/cases", {"party": world.entity.name}).json()["items"]} == {
        case_id, other.pk}
    assert officer.get(f"{API}/cases", {"status": "investigating"}).json()["count"] == 0
    assert officer.get(f"{API}/cases", {"mine": True}).json()["count"] == 0  # no officers assigned yet
    detail = officer.get(f"{API}/cases/{case_id}").json()
    assert detail["events"][0]["verb"] == "register" and len(detail["events"][0]["hash"]) == 64


def test_a_step_out_of_order_answers_409_with_the_allowed_steps(api, world):
    case = register(world)
    officer, head = api(world.officer), api(world.head)
    response = officer.post(f"{API}/cases/{case.pk}/transitions", {"action": "decide", "data": {}},
                            content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["extra"] == {"status": "clue", "allowed": ["propose_filing", "propose_not_filing"]}
    wrong = head.post(f"{API}/cases/{case.pk}/transitions", {"action": "propose_not_filing", "data": {"reason": "x"}},
                      content_type="application/json")
    assert wrong.status_code == 403 and wrong.json()["extra"]["allowed"] == ["extend_check"]
    ok = officer.post(f"{API}/cases/{case.pk}/transitions",
                      {"action": "propose_not_filing", "data": {"reason": "情节轻微，已改正"}},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["case"]["status"] == "filing_review"
    assert ok.json()["allowed"] == []  # the officer waits for the head
    assert [a["action"] for a in head.get(f"{API}/cases/{case.pk}").json()["allowed"]] == [
        "extend_check", "approve_not_filing", "return_proposal"]
    bad = officer.post(f"{API}/cases/{case.pk}/transitions", {"action": "x", "data": {}, "more": 1},
                       content_type="application/json")
    assert bad.status_code == 400


def test_decision_overdue_is_409_naming_the_extension(api, world):
    case = filed(world, today=dt.date(2026, 6, 1), received_on=dt.date(2026, 5, 20))
    act(world, case, "end_investigation", world.officer, ENDING, today=dt.date(2026, 8, 20))
    act(world, case, "notify", world.officer, today=dt.date(2026, 8, 21))
    response = api(world.head).post(f"{API}/cases/{case.pk}/transitions",
                                    {"action": "decide", "data": {"outcome": "penalty"}},
                                    content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "decision_overdue" and "extend_decision" in response.json()["extra"]["allowed"]


def test_evidence_is_refused_by_type_content_size_and_hash(api, world):
    case = filed(world)
    officer = api(world.officer)
    refused = {
        "exe": _upload(officer, case.pk, "tool.exe", b"MZ" + b"\x00" * 10),
        "mismatch": _upload(officer, case.pk, "photo.png", b"not a png at all"),
        "hash": _upload(officer, case.pk, "photo.png", PNG, digest="0" * 64),
        "no hash": _upload(officer, case.pk, "photo.png", PNG, digest=""),
    }
    codes = {name: (r.status_code, r.json()["code"]) for name, r in refused.items()}
    assert codes == {"exe": (400, "file_type_refused"), "mismatch": (400, "file_type_mismatch"),
                     "hash": (400, "sha256_mismatch"), "no hash": (400, "sha256_required")}
    with override_settings(JIANGUAN_EVIDENCE_MAX_BYTES=32):
        too_big = _upload(officer, case.pk, "photo.png", PNG)
    assert (too_big.status_code, too_big.json()["code"]) == (413, "file_too_large")
    assert not Evidence.objects.filter(case=case).exists()
    head = _upload(api(world.head), case.pk, "photo.png", PNG)
    assert head.status_code == 403  # only the case's officers add evidence
    stored = _upload(officer, case.pk, "photo.png", PNG)
    assert stored.status_code == 201 and stored.json()["sha256"] == sha(PNG) and stored.json()["kind"] == "photo"
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert (event.verb, event.data["sha256"]) == ("evidence_added", sha(PNG))
    assert _upload(officer, case.pk, "again.png", PNG).json()["code"] == "evidence_duplicate"


def test_documents_and_the_case_file(api, world, tmp_path):
    case = decided(world)
    act(world, case, "serve", world.officer, {"method": "direct"})
    pdf_evidence = b"%PDF-1.4\n% a scanned statement\n"  # listed in the file by its hash, kept as uploaded
    assert _upload(api(world.officer), case.pk, "陈述.pdf", pdf_evidence).status_code == 201
    reader = api(world.officer)
    documents = reader.get(f"{API}/cases/{case.pk}/documents").json()
    assert [d["kind"] for d in documents] == ["filing_approval", "onsite_record", "penalty_notice",
                                              "penalty_decision", "service_receipt"]
    one = reader.get(f"{API}/cases/{case.pk}/documents/{documents[3]['id']}")
    assert one["Content-Type"] == "application/pdf" and sha(one.content) == documents[3]["sha256"]
    tasks.case_file_build.enqueue(case_id=case.pk)  # as after the last change, in the background (issue 14)
    response = reader.get(f"{API}/cases/{case.pk}/file")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "case.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())  # table cells wrap long hashes and numbers over lines
    case.refresh_from_db()
    assert case.decision_number in flat
    for document in documents:
        assert document["sha256"] in flat, document["title"]
    assert sha(pdf_evidence) in flat
    _lines, problems, files = verify_bundle.verify(response.content)
    assert problems == []
    manifest = json.loads(files["manifest.json"])
    assert [p["sha256"] for p in manifest["parts"][:5]] == [d["sha256"] for d in documents]
    events = manifest["parts"][-1]["events"]
    assert history.verify(events) == [] and events[-1]["hash"] == case.last_hash == manifest["parts"][-1]["head"]


def test_deadlines_endpoint(api, world):
    from jianguan.enforcement import tasks

    late = register(world, received_on=dt.date(2026, 9, 29))
    tasks.refresh(today=dt.date(2026, 11, 20))
    rows = api(world.officer).get(f"{API}/deadlines", {"state": "overdue"}).json()
    assert [(r["case_id"], r["step"], r["due"]) for r in rows["items"]] == [(late.pk, "check", "2026-10-26")]
    assert api(world.officer).get(f"{API}/deadlines", {"state": "late"}).status_code == 400


def test_outsiders_get_404_on_every_case_path(api, world, outsider):
    case = decided(world)
    document = case.events.exclude(document_id=None).first().document_id
    evidence = Evidence.objects.create(case=case, kind="photo", title="x", file_name="x.png",
                                       content_type="image/png", size=1, sha256="a" * 64,
                                       collected_on=dt.date(2026, 11, 1), uploaded_by=world.officer,
                                       uploaded_at=case.created_at)
    client = api(outsider)
    for path in (f"{API}/cases/{case.pk}", f"{API}/cases/{case.pk}/documents",
                 f"{API}/cases/{case.pk}/documents/{document}", f"{API}/cases/{case.pk}/file"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    response = client.post(f"{API}/cases/{case.pk}/transitions", {"action": "serve", "data": {}},
                           content_type="application/json")
    assert response.status_code == 404
    assert _upload(client, case.pk, "photo.png", PNG).status_code == 404
    assert client.get(f"{API}/cases").json()["count"] == 0
    assert api(world.officer).get(f"{API}/cases/{case.pk}/documents/999999").status_code == 404
    pages = (f"/enforcement/cases/{case.pk}/", f"/enforcement/cases/{case.pk}/file/",
             f"/enforcement/cases/{case.pk}/documents/{document}/",
             f"/enforcement/cases/{case.pk}/evidence/{evidence.pk}/")
    from django.test import Client

    browser = Client()
    browser.force_login(outsider, backend="django.contrib.auth.backends.ModelBackend")
    for path in pages:
        assert browser.get(path).status_code == 404, path
    assert browser.post(f"/enforcement/cases/{case.pk}/act/", {"action": "serve"}).status_code == 404
    assert browser.post(f"/enforcement/cases/{case.pk}/evidence/", {}).status_code == 404






def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)




def test_a_system_reads_its_departments_cases_and_takes_no_step(world, persona):
    from django.test import Client

    from jianguan.accounts import services as accounts

    case = register(world)
    admin = persona("admin")
    system = accounts.api_client_create(actor=admin, name="市场监管办案系统", department=world.city, scopes=["read"])
    client = Client(headers={"X-API-Key": accounts.api_key_issue(actor=admin, client=system)})
    assert [c["id"] for c in client.get(f"{API}/cases").json()["items"]] == [case.pk]
    assert client.get(f"{API}/cases", {"mine": True}).json()["count"] == 0
    assert client.get(f"{API}/cases/{case.pk}").json()["allowed"] == []
    response = client.post(f"{API}/cases/{case.pk}/transitions", {"action": "propose_not_filing",
                                                                  "data": {"reason": "x"}},
                           content_type="application/json")
    assert response.status_code == 403




def test_search_reads_the_query_by_its_shape_and_stays_in_scope(world, outsider):
    """`q` finds a case by its number, its party's code, a fragment of the party's name or the cause; a query
    equal to a number keeps only that case; a reader outside the scope finds nothing by any of them."""
    from jianguan.enforcement.models import Case
    from jianguan.enforcement.selectors import case_list

    case = register(world)
    other = register(world)
    Case.objects.filter(pk=case.pk).update(cause="销售过期食品")
    found = lambda reader, q: {c.pk for c in case_list(reader=reader, q=q)}  # noqa: E731
    assert found(world.officer, case.number) == {case.pk}
    assert found(world.officer, world.entity.uscc) == {case.pk, other.pk}
    assert found(world.officer, world.entity.name[1:5]) == {case.pk, other.pk}
    assert found(world.officer, "过期食品") == {case.pk}
    assert found(world.officer, "没有这个当事人") == set()
    for q in (case.number, world.entity.uscc, world.entity.name[1:5], "过期食品"):
        assert found(outsider, q) == set(), q


def test_own_cases_are_the_same_whichever_side_they_are_read_from(world, outsider):
    """`mine` reads the scope in order while the officer's cases are a fair share of it, and the officer's cases by
    key once the scope holds `OWN_SHARE` times as many; both give the officer's cases and nothing else."""
    from jianguan.enforcement.selectors import OWN_SHARE, case_list

    own = filed(world)
    mine = lambda reader: [c.pk for c in case_list(reader=reader, mine=True)]  # noqa: E731
    assert mine(world.officer) == [own.pk]  # scope of 1 case: walked in order
    for _ in range(OWN_SHARE):
        register(world)
    assert mine(world.officer) == [own.pk]  # scope of 5 cases: read by key
    assert case_list(reader=world.officer, mine=True).count() == 1
    assert mine(outsider) == []


# The case file is built in the background after each change and served as stored (issue 14, item 12).

@pytest.fixture
def renders(monkeypatch):
    """Counts the renderings of a case file (the real function still runs)."""
    calls = []
    real = casefile._render

    def counted(case):
        calls.append(case.pk)
        return real(case)

    monkeypatch.setattr(casefile, "_render", counted)
    return calls


def test_a_change_of_the_case_builds_its_file_and_downloads_serve_the_stored_bytes(
        api, signed_in, world, renders, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = filed(world)
    case.refresh_from_db()
    stored = CaseFile.objects.get(case=case)
    assert stored.seq == case.event_count and renders == [case.pk]
    assert sha(bytes(stored.pdf)) == stored.sha256 and verify_bundle.verify(bytes(stored.pdf))[1] == []
    built = [e for e in AuditEventModel.objects.filter(verb="enforcement.case_file_built")]
    assert built and built[-1].payload["seq"] == case.event_count

    renders.clear()
    response = api(world.officer).get(f"{API}/cases/{case.pk}/file")
    assert response.status_code == 200 and response.content == bytes(stored.pdf)
    page = signed_in(world.officer).get(f"/enforcement/cases/{case.pk}/file/")
    assert page.status_code == 200 and page.content == bytes(stored.pdf)
    assert renders == []  # nothing rendered in the requests

    with django_capture_on_commit_callbacks(execute=True):
        act(world, case, "end_investigation", world.officer, ENDING)
    case.refresh_from_db()
    newer = CaseFile.objects.get(case=case)  # the older one is gone
    assert newer.seq == case.event_count > stored.seq and newer.sha256 != stored.sha256
    _lines, problems, files = verify_bundle.verify(bytes(newer.pdf))
    assert problems == [] and json.loads(files["manifest.json"])["parts"][-1]["head"] == case.last_hash
    assert api(world.officer).get(f"{API}/cases/{case.pk}/file").content == bytes(newer.pdf)


def test_while_the_file_is_being_built_the_page_shows_progress_and_nothing_renders(
        api, signed_in, world, renders, django_capture_on_commit_callbacks):
    case = filed(world)  # the build enqueued on commit has not run yet
    assert not CaseFile.objects.filter(case=case).exists()
    page = signed_in(world.officer)
    waiting = page.get(f"/enforcement/cases/{case.pk}/file/")
    text = waiting.content.decode()
    assert waiting.status_code == 202 and "正在生成，请稍候" in text
    assert f'hx-get="/enforcement/cases/{case.pk}/file/?wait=1"' in text and 'hx-trigger="every 2s"' in text
    polled = page.get(f"/enforcement/cases/{case.pk}/file/", {"wait": "1"}, HTTP_HX_REQUEST="true")
    assert polled.status_code == 202 and "<html" not in polled.content.decode()
    pending = api(world.officer).get(f"{API}/cases/{case.pk}/file")
    assert pending.status_code == 202 and pending.json()["code"] == "case_file_pending"
    assert pending["Retry-After"] == "5"
    assert renders == [] and not CaseFile.objects.filter(case=case).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the download asked for the build: it runs after
        page.get(f"/enforcement/cases/{case.pk}/file/")
    assert renders == [case.pk]
    ready = page.get(f"/enforcement/cases/{case.pk}/file/", {"wait": "1"}, HTTP_HX_REQUEST="true")
    shown = ready.content.decode()
    assert ready.status_code == 200 and "下载案卷" in shown and "every 2s" not in shown
