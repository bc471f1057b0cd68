"""Every endpoint refuses an outsider. New endpoints are covered automatically: the OpenAPI document and the
URL configuration are walked, and a templated path without an outsider case here fails the suite."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jianguan.accounts.models import Department, User
from jianguan.audit.models import AuditEvent
from jianguan.audit.services import record
from jianguan.catalog.models import MappingImport
from jianguan.risk.models import Alert
from jianguan.subjects.models import MarketEntity
from tests.credit.world import head, published, risky, today  # noqa: F401 (the classification in force)

pytestmark = pytest.mark.django_db

PUBLIC_API = {("GET", "/api/v1/health"), ("POST", "/api/v1/auth/token"), ("GET", "/api/v1/openapi.json"),
              ("GET", "/api/v1/docs"), ("GET", "/api/v1/spotchecks/draws/{draw_id}/transcript"),
              ("GET", "/api/v1/credit/lists")}
# The open-data API (ADR 0051): every GET under this prefix is public; tests/opendata/test_nothing_internal.py
# walks each of them (templated ones with published and unpublished records) and finds nothing internal.
PUBLIC_API_PREFIX = "/api/v1/public/"
PUBLIC_PAGES = {"portal:login", "portal:public_home", "set_language", "portal:logout", "catalog:public_list",
                "catalog:public_item", "catalog:public_export", "complaints:public_form", "spotchecks:public_index",
                "spotchecks:public_task", "audit:public_checkpoints", "audit:public_checkpoints_json",
                "spotchecks:public_transcript", "credit:repair_public", "credit:repair_status",
                "articles:public_list", "articles:public_exposure", "articles:public_article", "articles:public_image",
                "disclosure:public_list", "disclosure:public_item", "disclosure:public_prior_index",
                "disclosure:public_prior", "disclosure:public_during", "disclosure:public_entity", "opendata:index",
                "opendata:file", "opendata:feed", "disclosure:public_pdf"}
# The published list is public information: any signed-in caller (and the public portal) reads it.
SHARED_READS = {"/api/v1/catalog/items/{code}", "/api/v1/catalog/items/{code}/history",
                "/api/v1/catalog/items/{code}/diff", "/api/v1/knowledge/articles/{article_id}"}


def _outside_entity(outsider: User) -> str:
    return MarketEntity.objects.exclude(pk__in=MarketEntity.objects.visible_to(outsider)).first().uscc


def _outside_department(outsider: User) -> str:
    return str(Department.objects.exclude(region_id__in=outsider.scope.region_codes).first().pk)


def _outside_user(outsider: User) -> str:
    return User.objects.exclude(department_id__in=outsider.scope.department_ids).first().username


def _outside_change(outsider: User) -> str:
    from jianguan.catalog.change_requests import change_submit
    from jianguan.catalog.models import ChangeKind
    from tests.catalog_fixtures import department_admin

    admin = department_admin("scjg", "421200")
    return str(change_submit(actor=admin, kind=ChangeKind.ITEM_SUSPEND,
                             payload={"code": "11000000000101", "effective_from": "2025-06-01"}).pk)


def _outside_mapping(outsider: User) -> str:
    from jianguan.catalog.mapping_imports import mapping_import
    from tests.catalog_fixtures import department_admin
    from tests.core.test_tabular import xlsx

    admin = department_admin("scjg", "421200")
    return str(mapping_import(actor=admin, file_name="own.xlsx",
                              data=xlsx([["事项名称", "设定依据"], ["食品", "食品安全法"]])).pk)


def _outside_complaint(outsider: User) -> str:
    from jianguan.complaints.services import complaint_receive
    from jianguan.core.actors import SystemActor

    uscc = _outside_entity(outsider)
    return str(complaint_receive(actor=SystemActor("test"), channel="portal", values={
        "category": "food", "subject_uscc": uscc, "content": "他人辖区的投诉内容"}).pk)


def _outside_alert(outsider: User) -> str:
    from tests.risk.world import ad, raise_alerts

    [alert] = raise_alerts(User.objects.get(username="dataadmin"), ad())
    assert alert.department_id not in outsider.scope.department_ids
    return str(alert.pk)


def _outside_register_import(outsider: User) -> str:
    from jianguan.risk.register_imports import register_import

    data = "广告审查证明文号,广告主,有效期至\n鄂医广【2026】第1号,某医院,2027-01-01".encode()
    batch = register_import(actor=User.objects.get(username="dataadmin"), kind="ad_review", source="卫健委",
                            file_name="审查.csv", data=data)
    assert batch.department_id not in outsider.scope.department_ids
    return str(batch.pk)
def _outside_observation_file(outsider: User) -> str:
    from jianguan.risk.file_intake import observation_file_receive
    from tests.risk.test_files import jsonl
    from tests.risk.world import ad

    kept = observation_file_receive(actor=User.objects.get(username="dataadmin"), file_name="x.jsonl",
                                    data=jsonl(ad()))
    assert kept.department_id not in outsider.scope.department_ids
    return str(kept.pk)


def _outside_repair(outsider: User) -> str:
    from tests.credit.world import repair_application

    made = repair_application(MarketEntity.objects.get(uscc=_outside_entity(outsider)))
    assert made.department_id not in outsider.scope.department_ids
    return str(made.pk)


def _outside_event(outsider: User) -> str:
    someone = User.objects.get(username="scjg_officer")
    return str(record(actor=someone, verb="test.private", target=someone).seq)


# For each templated path: a value naming a record that exists but lies outside the outsider's scope.
OUTSIDER_CASES: dict[str, Callable[[User], str]] = {
    "/api/v1/subjects/{uscc}": _outside_entity,
    "/api/v1/org/departments/{department_id}": _outside_department,
    "/api/v1/org/users/{username}": _outside_user,
    "/api/v1/audit/events/{seq}": _outside_event,
    "chain:entity": _outside_entity,
    "/api/v1/subjects/{uscc}/chain": _outside_entity,
    "/api/v1/credit/classes/{uscc}": _outside_entity,
    "/api/v1/catalog/changes/{change_id}": _outside_change,
    "/api/v1/catalog/mappings/{mapping_id}": _outside_mapping,
    "/api/v1/complaints/{complaint_id}": _outside_complaint,
    "/api/v1/risk/alerts/{alert_id}": _outside_alert,
    "/api/v1/risk/registers/imports/{import_id}": _outside_register_import,
    "/api/v1/risk/observation-files/{file_id}": _outside_observation_file,
    "catalog:change": _outside_change,
    "catalog:mapping": _outside_mapping,
    "complaints:detail": _outside_complaint,
    "risk:detail": _outside_alert,
    "risk:register": _outside_register_import,
    "risk:file": _outside_observation_file,
    "/api/v1/credit/repairs/{application_id}": _outside_repair,
    "credit:repair": _outside_repair,
}


def _operations(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item]


def is_public(method: str, path: str) -> bool:
    return (method, path) in PUBLIC_API or (method == "GET" and path.startswith(PUBLIC_API_PREFIX))


def _fill(path: str, value: str = "1") -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def test_every_api_operation_refuses_anonymous_callers(client):
    checked = 0
    for method, path in _operations(client):
        if is_public(method, path):
            continue
        response = client.generic(method, _fill(path), "{}", content_type="application/json")
        assert response.status_code == 401, f"{method} {path} answered {response.status_code} to an anonymous caller"
        assert response.json()["code"] == "unauthenticated"
        checked += 1
    assert checked >= 8


def test_every_templated_read_has_an_outsider_case(client):
    templated = {path for method, path in _operations(client)
                 if "{" in path and method == "GET" and not path.startswith(PUBLIC_API_PREFIX)}
    missing = templated - set(OUTSIDER_CASES) - SHARED_READS - COVERED_ELSEWHERE
    assert not missing, f"add outsider cases for {sorted(missing)}"


@pytest.mark.parametrize("path", [p for p in OUTSIDER_CASES if p.startswith("/api/")])
@pytest.mark.usefixtures("small_catalog")
def test_outsider_gets_404_for_records_outside_their_scope(api, outsider, path):
    value = OUTSIDER_CASES[path](outsider)
    response = api(outsider).get(_fill(path, value))
    assert response.status_code == 404, f"{path} with {value}"
    assert response.json()["code"] == "not_found"


def _named_patterns(patterns, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/"):
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _named_patterns(entry.url_patterns, prefix)
        elif entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def test_every_work_page_sends_anonymous_visitors_to_login(client):
    checked = 0
    for name, pattern in _named_patterns(get_resolver().url_patterns):
        if name in PUBLIC_PAGES:
            continue
        path = "/" + re.sub(r"<[^>]+>", "x", re.sub(r"<int:[^>]+>", "1", str(pattern.pattern)))
        response = client.get(path)
        if response.status_code == 405:  # a POST-only action
            response = client.post(path)
        assert response.status_code == 302 and "/login/" in response["Location"], f"{name} ({path})"
        checked += 1
    assert checked >= 5


# Pages of the published list (shared), and actions on a record whose page is covered above.
SHARED_PAGES = {"catalog:item", "catalog:diff", "catalog:claim", "catalog:public_item", "catalog:change_review",
                "catalog:change_withdraw", "catalog:mapping_decide", "complaints:act", "risk:act",
                "enforcement:clue_from_complaint", "enforcement:clue_from_alert", "credit:repair_act",
                # the texts of law (who cites them is scoped, tests/laws/test_pages.py) and the benchmarks
                "laws:provision", "discretion:detail"}


# Pages and reads whose records need the catalog's fixtures, covered by tests of their own:
# test_outsider_gets_404_on_library_records here, spotchecks/test_pages.test_pages_and_outsiders,
# spotchecks/test_pages.test_a_draw_without_a_result_is_not_public,
# coercion/test_api.test_outsiders_get_404_and_anonymous_callers_401,
# documents/test_services (outsiders and anonymous),
# documents/test_tasks.test_a_failed_rendering_is_recorded_shown_and_retried (the retry) and
# inspections/test_api.test_outsiders_see_nothing_of_an_inspection and
# enforcement/test_api.test_outsiders_get_404_on_every_case_path and
# exchange/test_intake.test_repair_queue_is_scoped_by_department and
# accounts/test_signin.test_someone_elses_token_cannot_be_revoked_from_the_page and
# exchange/test_monitor.test_a_batch_with_refused_records_is_not_green_and_opens_to_its_records and
# credit/test_serious_pages.test_outsiders_and_other_lines_get_404_on_an_entry_and_its_steps,
# credit/test_abnormal.test_outsiders_get_404_on_an_entry_and_its_steps and
# credit/test_adjustments.test_outsiders_get_404_on_an_adjustment_and_its_evidence and
# articles/test_pages.test_outsiders_get_404_on_an_article_and_its_actions (public ones: published only,
# articles/test_pages.test_a_public_article_shows_its_date_a_withdrawn_one_its_reason_a_draft_nothing and
# test_images_are_served_as_stored_and_only_once_published) and
# disclosure/test_pages.test_outsiders_get_404_on_an_item_and_its_steps and
# disclosure/test_public.test_the_public_sees_published_items_with_the_published_copy_only (published only) and
# disclosure/test_public_pages.test_prior_shows_the_departments_body_duties_procedures_officers_items_and_rules
# (public information of active departments only) and
# disclosure/test_public_pages.test_the_entity_page_shows_its_published_records_only (published records only) and
# opendata/test_export.test_only_the_files_written_are_served_and_no_path_leaves_the_folder and
# disclosure/test_pdf.test_the_public_page_links_the_pdf_served_for_published_and_withdrawn_items_only and
# casebook/test_casebook.test_outsiders_get_404_on_an_entry_its_review_and_similar_cases and
# joint/test_api.test_outsiders_get_404_on_every_joint_path (the plan's rows are read by its region and the regions
# below it: another city's officer is the outsider) and
# joint/test_visits.test_outsiders_get_404_on_a_visit_and_its_steps (a merge proposal's page, a task's page, a visit,
# its steps and its 笔录, the ledger under /subjects/) and remote/test_api.test_outsiders_get_404_on_every_remote_path
# and remote/test_pages.test_the_map_is_scoped_by_department_and_jurisdiction (a survey finding's page: another
# department's and another county's officers get 404) and remote/test_pages.test_other_people_may_not_change_a_point
# (a point's edit page: the leader 403, another department's and another county's officers 404, nothing changed) and
# evaluation/test_evaluation.test_the_api_serves_the_month_scoped_and_names_a_missing_or_bad_month (a month is
# no record of anyone's: each reader gets the scores of their own scope).
COVERED_ELSEWHERE = {"/api/v1/evaluation/{month}",
                     "remote:point", "remote:alarm", "remote:act", "/api/v1/remote/alarms/{alarm_id}",
                     "remote:finding", "remote:point_edit",
                     "accounts:token_revoke", "credit:serious", "credit:serious_act",
                     "behaviour:record", "credit:record", "spotchecks:task", "spotchecks:task_act",
                     "spotchecks:plan_act", "spotchecks:transcript", "spotchecks:check",
                     "spotchecks:public_task", "/api/v1/spotchecks/draws/{draw_id}/transcript",
                     "spotchecks:public_transcript",
                     "coercion:measure", "coercion:measure_act", "coercion:measure_document", "coercion:enforcement",
                     "coercion:enforcement_act", "coercion:enforcement_document",
                     "/api/v1/coercion/measures/{measure_id}", "/api/v1/coercion/enforcements/{enforcement_id}",
                     "documents:detail", "documents:download", "documents:render_retry", "documents:template_edit",
                     "documents:template_preview", "documents:template_version", "/api/v1/documents/{document_id}",
                     "/api/v1/documents/{document_id}/pdf", "inspections:detail", "inspections:signature",
                     "inspections:evidence", "inspections:document", "/api/v1/inspections/{inspection_id}",
                     "enforcement:case", "enforcement:case_act", "enforcement:case_file", "enforcement:document",
                     "enforcement:evidence_file", "enforcement:evidence_upload", "/api/v1/enforcement/cases/{case_id}",
                     "casebook:entry", "casebook:entry_act", "casebook:similar",
                     "/api/v1/knowledge/cases/{number}/similar",
                     "/api/v1/enforcement/cases/{case_id}/documents",
                     "/api/v1/enforcement/cases/{case_id}/documents/{document_id}",
                     "/api/v1/enforcement/cases/{case_id}/file", "exchange:call", "exchange:repair",
                     "exchange:repair_dismiss", "exchange:batch", "credit:abnormal_entry", "credit:abnormal_act",
                     "credit:abnormal_document", "credit:adjustment_act", "credit:adjustment_evidence",
                     "articles:detail", "articles:edit", "articles:act", "articles:image_upload", "articles:image",
                     "articles:public_list", "articles:public_article", "articles:public_image",
                     "disclosure:item", "disclosure:item_act", "disclosure:public_item",
                     "disclosure:public_prior", "disclosure:public_entity", "opendata:file", "disclosure:public_pdf",
                     "joint:plan", "joint:plan_act", "joint:merge_act", "joint:entity_visits",
                     "/api/v1/joint/plans/{plan_id}", "/api/v1/joint/plans/{plan_id}/tasks",
                     "/api/v1/joint/plans/{plan_id}/merge-proposals", "/api/v1/joint/tasks/{task_id}",
                     "/api/v1/joint/entities/{uscc}/visits", "joint:merge", "joint:task", "joint:visit_open",
                     "joint:visit", "joint:visit_results", "joint:visit_hand_over", "joint:visit_close",
                     "joint:visit_record", "/api/v1/joint/tasks/{task_id}/visits", "/api/v1/joint/visits/{visit_id}",
                     "/api/v1/joint/visits/{visit_id}/results", "/api/v1/joint/visits/{visit_id}/clues",
                     "/api/v1/joint/visits/{visit_id}/transitions", "/api/v1/subjects/{uscc}/visits",
                     "/api/v1/joint/tasks/{task_id}/participants", "/api/v1/joint/tasks/{task_id}/feedback"}


def test_every_templated_page_has_an_outsider_case():
    templated = {name for name, pattern in _named_patterns(get_resolver().url_patterns) if "<" in str(pattern.pattern)}
    missing = templated - set(OUTSIDER_CASES) - SHARED_PAGES - COVERED_ELSEWHERE
    assert not missing, sorted(missing)


def _other_line_admin(persona) -> User:
    """The 生态环境局 officer made an administrator of their own department: still outside 市场监管's records."""
    outsider = persona("sthj_officer")
    outsider.role_grants.create(role="department_admin")
    return User.objects.get(pk=outsider.pk)


@pytest.mark.usefixtures("small_catalog")
def test_outsider_gets_404_on_a_change_and_its_actions(signed_in, persona):
    outsider = _other_line_admin(persona)
    change = OUTSIDER_CASES["catalog:change"](outsider)
    client = signed_in(outsider)
    assert client.get(f"/catalog/changes/{change}/").status_code == 404
    assert client.post(f"/catalog/changes/{change}/review/", {"decision": "approve"}).status_code == 404
    assert client.post(f"/catalog/changes/{change}/withdraw/").status_code == 404


@pytest.mark.usefixtures("small_catalog")
def test_outsider_gets_404_on_a_mapping_and_its_rows(signed_in, persona):
    outsider = _other_line_admin(persona)
    mapping = OUTSIDER_CASES["catalog:mapping"](outsider)
    client = signed_in(outsider)
    assert client.get(f"/catalog/mappings/{mapping}/").status_code == 404
    row = MappingImport.objects.get(pk=mapping).rows.first().pk
    assert client.post(f"/catalog/mappings/{mapping}/rows/{row}/decision/", {"item": ""}).status_code == 404


def test_outsider_gets_404_on_a_complaint_and_its_actions(signed_in, outsider):
    from jianguan.complaints.models import Complaint, ComplaintStatus

    complaint = OUTSIDER_CASES["complaints:detail"](outsider)
    client = signed_in(outsider)
    assert client.get(f"/complaints/{complaint}/").status_code == 404
    assert client.post(f"/complaints/{complaint}/act/", {"action": "conclude", "note": "x"}).status_code == 404
    assert client.post(f"/complaints/{complaint}/clue/").status_code == 404
    assert Complaint.objects.get(pk=complaint).status == ComplaintStatus.RECEIVED


def test_outsider_gets_404_on_library_records(signed_in, outsider, persona, chain_world):
    from jianguan.behaviour.models import Inspection, Penalty
    from jianguan.credit.models import CreditRecord

    pages = [f"/records/inspection/{Inspection.objects.get().pk}/", f"/records/penalty/{Penalty.objects.get().pk}/",
             f"/credit/records/{CreditRecord.objects.filter(entity=chain_world).first().pk}/"]
    client = signed_in(persona("scjg_officer"))  # the city 市场监管局 made the records
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "data-testid=\"record\"" in response.content.decode()
    client = signed_in(outsider)
    for page in pages:
        assert client.get(page).status_code == 404, page
    assert client.get("/records/nonsense/1/").status_code == 404


def test_shared_reads_are_readable_by_outsiders(api, outsider, small_catalog):
    assert api(outsider).get("/api/v1/catalog/items/11000000000101").status_code == 200


def test_outsider_gets_404_on_detail_pages(signed_in, outsider):
    uscc = OUTSIDER_CASES["chain:entity"](outsider)
    assert signed_in(outsider).get(f"/subjects/{uscc}/").status_code == 404
    register = OUTSIDER_CASES["risk:register"](outsider)
    assert signed_in(outsider).get(f"/risk/registers/{register}/").status_code == 404
    observation_file = OUTSIDER_CASES["risk:file"](outsider)
    assert signed_in(outsider).get(f"/risk/files/{observation_file}/").status_code == 404


def test_officers_are_refused_administrative_pages(signed_in, outsider):
    client = signed_in(outsider)
    assert client.get("/org/users/").status_code == 403
    assert client.post("/audit/verify/").status_code == 403


def test_outsider_sees_no_event_of_others(api, outsider):
    seq = _outside_event(outsider)
    body = api(outsider).get("/api/v1/audit/events?limit=200").json()
    assert int(seq) not in [e["seq"] for e in body["items"]]
    assert AuditEvent.objects.filter(seq=int(seq)).exists()


def test_outsider_gets_404_for_the_risk_report_of_a_department_outside_their_scope(signed_in, outsider):
    """The risk report is read by query (`department`), not by path: a department outside the reader's scope is
    not found, in the page, the PDF and the workbook, and the figures of everything the reader sees leave it out."""
    alert = Alert.objects.get(pk=_outside_alert(outsider))
    client = signed_in(outsider)
    for path in ("/risk/report/", "/risk/report/pdf/", "/risk/report/xlsx/"):
        assert client.get(f"{path}?month={alert.window}&department={alert.department_id}").status_code == 404, path
    page = client.get(f"/risk/report/?month={alert.window}").content.decode()
    assert alert.subject_name not in page and "预警数量：0" in page


@pytest.mark.usefixtures("published")
def test_outsiders_read_no_class_of_another_jurisdiction(signed_in, outsider):
    """The key-supervision list shows the class-D entities of the reader's own jurisdiction only; the validation of
    the classes is for heads and administrators, not an officer."""
    from jianguan.credit import contracts as credit

    letters = credit.class_letters(MarketEntity.objects.values_list("pk", flat=True))
    elsewhere = MarketEntity.objects.filter(pk__in=[pk for pk, x in letters.items() if x == "D"]).exclude(
        region__path__startswith=outsider.department.region.path)
    assert elsewhere.exists()
    client = signed_in(outsider)
    page = client.get("/spotchecks/key-supervision/")
    assert page.status_code == 200
    assert not any(entity.uscc in page.content.decode() for entity in elsewhere)
    assert client.get("/spotchecks/validation/").status_code == 403
    assert client.get("/spotchecks/validation/xlsx/").status_code == 403
