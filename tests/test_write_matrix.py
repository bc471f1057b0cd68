"""The write matrix: every write the platform accepts, tried by each persona who must be refused.

Generated like tests/test_outsiders.py: the OpenAPI document lists every operation that is not a GET and the URL
configuration every page; a write operation without an entry in `WRITES` fails the suite, and so does a page
that accepts a form (POST) without naming the roles that may send it. For each write, the anonymous caller, the
read-only 领导, an officer of another department and an officer of another county are refused, and no row of any
table is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
import re
import uuid
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone

from jianguan.accounts.api_auth import RoleGate
from jianguan.accounts.models import User
from jianguan.coercion import executions, measures
from jianguan.complaints.services import complaint_receive
from jianguan.core.actors import SystemActor
from jianguan.core.roles import Role
from jianguan.credit.models import ClassAdjustment
from jianguan.inspections import opening
from jianguan.subjects.models import MarketEntity
from tests.credit.world import repair_application
from tests.enforcement_fixtures import register, world_fixture  # noqa: F401
from tests.joint.world import bare_merge, bare_visit
from tests.library_fixtures import COERCION
from tests.library_fixtures import inspect as record_inspection
from tests.remote.world import open_alarm
from tests.risk.world import ad, raise_alerts
from tests.test_outsiders import PUBLIC_API, PUBLIC_PAGES, _named_patterns

pytestmark = pytest.mark.django_db

GOODS = [{"name": "过期饼干", "spec": "200g/袋", "quantity": "46", "unit": "袋", "condition": "外包装完好"}]


@dataclass(frozen=True)
class Write:
    """How to try one write: the record its path names (a key of `records`), a body valid for its schema (so that
    a refusal comes from who is asking, not from the shape of the request), files for a multipart body, and
    whether officers of any department may create such a record of their own (then the officer of another
    department is not refused; the other county's officer is, naming an entity outside their jurisdiction)."""

    record: str | None = None
    body: dict = field(default_factory=dict)
    files: bool = False
    own_creation: bool = False


def _party(records: dict) -> dict:
    return {"uscc": records["entity"]}


WRITES: dict[tuple[str, str], Write] = {
    ("POST", "/api/v1/catalog/changes"): Write(body={"kind": "item_suspend", "payload": {}}),
    ("POST", "/api/v1/catalog/changes/{change_id}/review"): Write(body={"approve": True}),
    ("POST", "/api/v1/catalog/changes/{change_id}/withdraw"): Write(),
    ("POST", "/api/v1/catalog/publications"): Write(body={"title": "发布"}),
    ("POST", "/api/v1/catalog/mappings"): Write(files=True),
    ("POST", "/api/v1/catalog/mappings/{mapping_id}/rows/{row_id}/decision"): Write(body={"item": None}),
    ("POST", "/api/v1/catalog/spot-checks/{row_id}/items"): Write(body={"items": []}),
    ("POST", "/api/v1/catalog/powers/{row_id}/items"): Write(body={"items": []}),
    ("POST", "/api/v1/enforcement/cases"): Write(own_creation=True, body={
        "party": "ENTITY", "summary": "举报销售过期食品", "source": "report", "source_ref": "JB-M-1",
        "received_on": "2026-10-12"}),
    ("POST", "/api/v1/enforcement/cases/simple"): Write(own_creation=True, body={
        "party": "ENTITY", "officers": ["x"], "facts": "销售过期食品", "basis": "《食品安全法》",
        "penalty_kinds": ["01"], "catalog_code": "11000000000111"}),
    ("POST", "/api/v1/enforcement/cases/{case_id}/transitions"): Write("case", {"action": "propose_filing",
                                                                                "data": {}}),
    ("POST", "/api/v1/enforcement/cases/{case_id}/evidence"): Write("case", {"sha256": "SHA"}, files=True),
    ("POST", "/api/v1/audit/verify"): Write(),
    ("POST", "/api/v1/credit/records"): Write(body={"kind": "dishonest_debtor", "source": "法院", "records": []}),
    ("POST", "/api/v1/credit/imports"): Write(body={"kind": "dishonest_debtor", "source": "法院"}, files=True),
    ("POST", "/api/v1/credit/repairs"): Write(own_creation=True, files=True, body={
        "uscc": "USCC", "decision_number": "咸市监处罚〔2026〕1号", "applicant_name": "王经理",
        "applicant_phone": "13800000000", "correction": "已整改"}),
    ("POST", "/api/v1/credit/repairs/{application_id}/actions"): Write("repair", {"action": "accept"}),
    ("POST", "/api/v1/credit/adjustments"): Write(body={"uscc": "USCC", "target_class": "C", "reason": "已整改",
                                                        "evidence_note": "核查笔录"}),
    ("POST", "/api/v1/credit/adjustments/{adjustment_id}/transitions"): Write("adjustment", {"action": "approve",
                                                                                            "opinion": "同意"}),
    ("POST", "/api/v1/exchange/{standard}/records"): Write(),
    ("POST", "/api/v1/coercion/measures"): Write(own_creation=True, body={
        "kind": "seize", "inspection_number": "INSPECTION", "catalog_code": COERCION, "facts": "经营过期食品",
        "basis": "《食品安全法》第一百一十条", "items": GOODS, "officers": ["scjg_officer", "case_officer_b"],
        "days": 30, "place": "保管室"}),
    ("POST", "/api/v1/coercion/measures/{measure_id}/transitions"): Write("measure", {"action": "approve"}),
    ("POST", "/api/v1/coercion/measures/{measure_id}/case"): Write("measure", {"case_number": "X"}),
    ("POST", "/api/v1/coercion/enforcements"): Write(own_creation=True, body={
        "inspection_number": "INSPECTION", "catalog_code": COERCION, "power": "own", "mode": "late_fee",
        "decision_reference": "咸市监处罚〔2026〕9号", "decision_served_on": "2026-02-20",
        "obligation": "缴纳罚款", "principal": "5000", "payment_due": "2026-03-07"}),
    ("POST", "/api/v1/coercion/enforcements/{enforcement_id}/transitions"): Write("enforcement",
                                                                                  {"action": "terminate",
                                                                                    "reason": "已履行"}),
    ("POST", "/api/v1/coercion/enforcements/{enforcement_id}/case"): Write("enforcement", {"case_number": "X"}),
    ("POST", "/api/v1/inspections/sync"): Write(own_creation=True, body={
        "client_id": "CLIENT", "origin_kind": "routine", "implementation_code": "IMPLEMENTATION",
        "party": "ENTITY", "officers": ["scjg_officer", "case_officer_b"]}),
    ("POST", "/api/v1/inspections/{inspection_id}/evidence"): Write("inspection", {"client_id": "CLIENT",
                                                                                   "sha256": "SHA"}, files=True),
    ("POST", "/api/v1/complaints"): Write(own_creation=True, body={
        "category": "food", "subject_uscc": "USCC", "content": "电话反映该店销售过期食品"}),
    ("POST", "/api/v1/complaints/imports"): Write(files=True),
    ("POST", "/api/v1/complaints/{complaint_id}/decision"): Write("complaint", {"accept": True}),
    ("POST", "/api/v1/risk/observations"): Write(body={"items": []}),
    ("POST", "/api/v1/risk/observation-files"): Write(files=True),
    ("POST", "/api/v1/risk/scan"): Write(body={"model": "medical_ad", "item": {"id": 1, "text": "根治"}}),
    ("POST", "/api/v1/risk/alerts/{alert_id}/transitions"): Write("alert", {"action": "verify"}),
    ("POST", "/api/v1/risk/registers/imports"): Write(body={"kind": "ad_review", "source": "卫健委"}, files=True),
    ("POST", "/api/v1/enforcement/risk-alerts/{alert_id}/clue"): Write("alert"),
    ("POST", "/api/v1/remote/readings"): Write(body={"items": []}),
    ("POST", "/api/v1/remote/alarms/{alarm_id}/transitions"): Write(
        "remote_alarm", {"action": "notify", "data": {"notice": "提醒", "note": "请说明原因"}}),
    ("POST", "/api/v1/joint/plans"): Write(body={"title": "联合抽查计划", "year": 2027}),
    ("POST", "/api/v1/joint/plans/{plan_id}/transitions"): Write("joint_plan", {"action": "submit"}),
    ("POST", "/api/v1/joint/plans/{plan_id}/tasks"): Write("joint_plan", own_creation=True, body={
        "title": "检查", "items": ["IMPLEMENTATION"], "entities": ["USCC"], "window_start": "2027-03-01",
        "window_end": "2027-03-10"}),
    ("POST", "/api/v1/joint/plans/{plan_id}/scenario-tasks"): Write("joint_plan", {
        "scenario": "restaurant", "departments": [], "lead": 1, "entities": [], "window_start": "2027-03-01",
        "window_end": "2027-03-10"}),
    ("POST", "/api/v1/joint/plans/{plan_id}/merge-proposals"): Write("joint_plan", {}),
    ("POST", "/api/v1/joint/plans/{plan_id}/joint-tasks"): Write("joint_plan", {"tasks": [1, 2], "lead": 1,
                                                                              "title": "联合检查"}),
    ("POST", "/api/v1/joint/merge-proposals/{proposal_id}/transitions"): Write("joint_merge", {"action": "accept"}),
    ("POST", "/api/v1/joint/tasks/{task_id}/visits"): Write("joint_task", {
        "uscc": "USCC", "visited_on": "2026-03-01", "place": "门店", "officers": ["scjg_officer", "case_officer_b"]}),
    ("POST", "/api/v1/joint/visits/{visit_id}/results"): Write("joint_visit", {"results": []}),
    ("POST", "/api/v1/joint/visits/{visit_id}/clues"): Write("joint_visit", {"item": "IMPLEMENTATION",
                                                                              "summary": "后厨油烟直排"}),
    ("POST", "/api/v1/joint/visits/{visit_id}/transitions"): Write("joint_visit", {"action": "close"}),
    ("POST", "/api/v1/joint/tasks/{task_id}/participants"): Write("joint_task", {"department": 1, "items": [],
                                                                                 "entities": []}),
    ("POST", "/api/v1/joint/tasks/{task_id}/feedback"): Write("joint_task", {"feedback": "已完成"}),
}

# Writes on the caller's own account: every signed-in person makes them for themselves and for nobody else
# (accounts/test_signin: someone else's token answers 404); anonymous callers are refused below.
OWN_ACCOUNT = {("POST", "/api/v1/me/password"): Write(body={"old_password": "x", "new_password": "y"}),
               ("DELETE", "/api/v1/me/tokens/{token_id}"): Write()}

# Write operations whose roles are checked inside the operation rather than by `allow` (the audit app lies below
# accounts, where `allow` lives; it calls `require_person` with its roles before anything else).
ROLES_INSIDE = {("POST", "/api/v1/audit/verify")}

FILE = b"name,value\n\xe9\xa3\x9f\xe5\x93\x81,1\n"


def _operations(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item]


def _writes(client: Client) -> list[tuple[str, str]]:
    return [(m, p) for m, p in _operations(client) if m != "GET" and (m, p) not in PUBLIC_API]


def _row_counts() -> tuple[int, ...]:
    """The number of rows of every table of the project's models (sessions aside), in one query."""
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy
                     and m._meta.db_table != "django_session"})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return tuple(cursor.fetchone())


# The declarations --------------------------------------------------------------------------------------------

def test_every_write_operation_has_an_entry_in_the_matrix(client):
    writes = set(_writes(client))
    assert len(writes) >= 25
    missing = writes - set(WRITES) - set(OWN_ACCOUNT)
    assert not missing, f"add write matrix entries for {sorted(missing)}"
    assert not (set(WRITES) | set(OWN_ACCOUNT)) - writes, "entries for operations that no longer exist"


def test_every_write_operation_names_its_roles():
    from jianguan.config.api import api

    found = {}
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    key = (method, "/api/v1" + re.sub(r"\{(\w+):?\w*\}", r"{\1}", bound.prefix + path))
                    found[key] = operation.auth_callbacks
    for key in WRITES:
        callbacks = found[key]
        if key in ROLES_INSIDE:
            continue
        assert callbacks and all(isinstance(c, RoleGate) for c in callbacks), f"{key} does not use allow(...)"
        assert Role.LEADER not in callbacks[0].roles, f"{key}: the read-only leader writes nothing"


def _post_pages() -> list[tuple[str, object, str, bool]]:
    """Every work page (name, view, path with placeholders, whether it names a record) except the public ones."""
    pages = []
    for name, pattern in _named_patterns(get_resolver().url_patterns):
        if name in PUBLIC_PAGES:
            continue
        path = "/" + re.sub(r"<[^>]+>", "x", re.sub(r"<int:[^>]+>", "1", str(pattern.pattern)))
        pages.append((name, pattern.callback, path, "<" in str(pattern.pattern)))
    return pages


def test_every_page_that_accepts_a_form_names_its_roles(signed_in, persona):
    """A page whose view reads a form (its code handles POST) names the roles that may send it (`role_required` or
    `post_roles`), and the read-only leader is not among them: the leader's POST is refused (403, or 404 for a
    record that does not exist). No page writes a row when the leader posts to it."""
    client = signed_in(persona("leader"))
    forms = []
    for name, view, path, templated in _post_pages():
        before = _row_counts()
        response = client.post(path, {})
        if "POST" in inspect.getsource(inspect.unwrap(view)):
            forms.append(name)
            if getattr(view, "own_account", False):  # the leader's own password, tokens, second factor
                assert response.status_code in (200, 302, 404), f"{name} ({path}) answered {response.status_code}"
                assert _row_counts() == before, f"{name}: an empty form wrote rows"
                continue
            roles = getattr(view, "post_roles", None)
            assert roles is not None, f"{name} accepts POST without naming its roles"
            assert Role.LEADER not in roles, name
            assert response.status_code in ((403, 404) if templated else (403,)), \
                f"{name} ({path}) answered {response.status_code}"
        assert _row_counts() == before, f"{name}: the leader's POST wrote rows"
    assert len(forms) >= 20, forms


# The refusals ------------------------------------------------------------------------------------------------

def _adjustment(world) -> ClassAdjustment:
    """A proposal of the city 市场监管局's officer (written directly: the refusals come before the class is read)."""
    return ClassAdjustment.objects.create(
        entity=world.entity, region_id=world.entity.region_id, department_id=world.officer.department_id,
        computed_class="D", run_number="FL202612-001", target_class="C", reason="已整改", evidence_note="核查笔录",
        expires_on=timezone.localdate() + dt.timedelta(days=30), proposed_by=world.officer, proposed_at=timezone.now())


@pytest.fixture
def records(world) -> dict:
    """Records of the city 市场监管局 about a 咸安区 entity: a case, a measure, a compulsory enforcement, a field
    inspection, a proposed adjustment of its credit-risk class; a complaint assigned to 咸安区; a risk alert of
    the city 市场监管局; a joint plan of the city (its office the 市场监管局) with a merge proposal and a joint task of
    the 市场监管局 with a visit; and an open alarm of a monitored point of the city 市场监管局."""
    inspection = record_inspection(world.entity, number="JC-MATRIX-1")
    officers = ["scjg_officer", "case_officer_b"]
    measure = measures.measure_request(actor=world.officer, kind="seize", inspection_number=inspection.number,
                                       catalog_code=COERCION, facts="经营过期食品", basis="《食品安全法》第一百一十条",
                                       items=GOODS, officers=officers, days=30, place="保管室")
    enforcement = executions.execution_create(
        actor=world.officer, inspection_number=inspection.number, catalog_code=COERCION, power="own",
        mode="late_fee", decision_reference="咸市监处罚〔2026〕3号", decision_served_on="2026-02-20",
        obligation="缴纳罚款人民币五千元", principal="5000", payment_due="2026-03-07")
    field_inspection = opening.inspection_open(actor=world.officer, origin_kind="routine",
                                                   implementation_code=world.implementation,
                                                   party={"uscc": world.entity.uscc}, officers=officers)
    joint_plan, joint_merge = bare_merge(world.officer)
    joint_task, joint_visit = bare_visit(world.officer)
    complaint = complaint_receive(actor=SystemActor("test"), channel="portal", values={
        "category": "food", "subject_uscc": world.entity.uscc, "content": "该店销售过期食品请处理"})
    return {"case": register(world).pk, "measure": measure.pk, "enforcement": enforcement.pk,
            "inspection": field_inspection.pk, "inspection_client": str(field_inspection.client_id),
            "complaint": complaint.pk, "alert": raise_alerts(User.objects.get(username="dataadmin"), ad())[0].pk,
            "adjustment": _adjustment(world).pk,
            "entity": world.entity.uscc, "inspection_number": inspection.number,
            "repair": repair_application(world.entity).pk,
            "implementation": world.implementation, "joint_plan": joint_plan, "joint_merge": joint_merge,
            "joint_task": joint_task, "joint_visit": joint_visit,
            "remote_alarm": open_alarm(world.entity).pk}


def _body(write: Write, records: dict) -> dict:
    text = repr(write.body)
    values = {"'ENTITY'": repr({"uscc": records["entity"]}), "'USCC'": repr(records["entity"]),
              "'INSPECTION'": repr(records["inspection_number"]), "'IMPLEMENTATION'": repr(records["implementation"]),
              "'CLIENT'": repr(records["inspection_client"] if write.record else str(uuid.uuid4())),
              "'SHA'": repr(hashlib.sha256(FILE).hexdigest())}
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return eval(text)  # noqa: S307  (our own literals, placeholders replaced by reprs)


def _call(client: Client, method: str, path: str, write: Write, records: dict):
    url = re.sub(r"\{[^}]+\}", lambda m: str(records.get(write.record, 1)) if write.record else (
        "行政检查行为" if m.group(0) == "{standard}" else "1"), path)
    body = _body(write, records)
    if write.files:
        assert method == "POST"
        return client.post(url, {**body, "file": SimpleUploadedFile("upload.csv", FILE, content_type="text/csv")})
    return client.generic(method, url, json.dumps(body, ensure_ascii=False), content_type="application/json")


def _refused(api, users: dict[str, User | None], records: dict, who: str, allowed: set[int], *,
             skip_own_creation: bool = False, creation_allowed: set[int] | None = None) -> int:
    tried = 0
    client = api(users[who])
    for (method, path), write in WRITES.items():
        if skip_own_creation and write.own_creation:
            continue
        before = _row_counts()
        response = _call(client, method, path, write, records)
        expected = creation_allowed if write.own_creation and creation_allowed else allowed
        assert response.status_code in expected, f"{who}: {method} {path} answered {response.status_code} " \
                                                f"{response.content[:300]!r}"
        if response.status_code != 400:
            assert response.json()["code"] in {"unauthenticated", "forbidden", "not_found", "not_allowed_for_role"}
        assert _row_counts() == before, f"{who}: {method} {path} was refused but wrote rows"
        tried += 1
    return tried


@pytest.fixture
def matrix_users(persona, outsider) -> dict[str, User | None]:
    return {"anonymous": None, "leader": persona("leader"), "other department": persona("sthj_officer"),
            "other county": outsider}


def test_anonymous_callers_and_the_read_only_leader_are_refused_every_write(api, matrix_users, records):
    assert _refused(api, matrix_users, records, "anonymous", {401}) == len(WRITES)
    assert _refused(api, matrix_users, records, "leader", {403}) == len(WRITES)


def test_anonymous_callers_are_refused_the_own_account_writes(api):
    for (method, path), write in OWN_ACCOUNT.items():
        before = _row_counts()
        response = api(None).generic(method, re.sub(r"\{[^}]+\}", "1", path), json.dumps(write.body),
                                     content_type="application/json")
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated", (method, path)
        assert _row_counts() == before


def test_an_officer_of_another_department_is_refused_every_write_on_others_records(api, matrix_users, records):
    """The city 生态环境局's officer reads the whole city's entities (the object library is scoped by region) and may
    open records of their own department about them; every write on the 市场监管局's records, and every write of
    another role, is refused."""
    tried = _refused(api, matrix_users, records, "other department", {403, 404}, skip_own_creation=True)
    assert tried == sum(1 for w in WRITES.values() if not w.own_creation)


def test_an_officer_of_another_county_is_refused_every_write(api, matrix_users, records):
    """嘉鱼县's officer: the 咸安区 entity, the city's records and inspection lie outside their jurisdiction; a
    creation naming them is refused like an unknown entity (400 naming the field), anything else 403 or 404."""
    assert not MarketEntity.objects.visible_to(matrix_users["other county"]).filter(uscc=records["entity"]).exists()
    assert _refused(api, matrix_users, records, "other county", {403, 404},
                    creation_allowed={400, 403, 404}) == len(WRITES)


# Writes by page only, with a valid form, tried by each persona who must be refused -----------------------------

def _policy_form() -> dict[str, str]:
    from django.utils import timezone

    from jianguan.spotchecks.policy import DEFAULT_RULES

    return {"effective_from": timezone.localdate().isoformat(), "control_share": "0.01", "lookback_days": "365",
            "note": "试行", **{f"{n}_{k}": v for n, rule in DEFAULT_RULES.items() for k, v in rule.items()}}


def _redaction_rule_form() -> dict[str, str]:
    return {"code": "plate", "pattern": "鄂L\\d{5}", "kind": "other", "description": "机动车号牌", "active": "on"}


PAGE_WRITES = {"/spotchecks/policy/": _policy_form, "/redaction/rules/": _redaction_rule_form,
               "/leaders/refresh/": dict}  # the leaders' dashboard counted again (a background task)


def test_page_only_writes_refuse_every_persona_but_their_roles(client, signed_in, matrix_users, persona):
    """The supervision policy is written by data and system administrators only: the anonymous caller goes to the
    sign-in page; the leader, the other department's and county's officers and the city's head are refused."""
    for path, form in PAGE_WRITES.items():
        client.logout()  # the previous path ended signed in as the administrator
        before = _row_counts()
        assert client.post(path, form()).status_code == 302
        for user in [*(u for u in matrix_users.values() if u), persona("scjg_head")]:
            assert signed_in(user).post(path, form()).status_code == 403, (path, user.username)
        assert _row_counts() == before, path
        assert signed_in(persona("admin")).post(path, form()).status_code == 302
        assert _row_counts() != before, path


def test_the_repair_entry_page_refuses_other_departments_counties_and_the_leader(client, signed_in, persona,
                                                                                 matrix_users):
    """信用修复 applications received on paper (page only, `/credit/repairs/new/`) are entered by the people of the
    department that decided the penalty: the anonymous caller goes to the sign-in page; the leader (403), the other
    department's and the other county's officers (the penalty is not theirs: 403 or 404) are refused and nothing is
    written; the 市场监管局's officer enters it."""
    from jianguan.credit.models import RepairApplication
    from tests.credit.world import entities, repairable_penalty

    made = repairable_penalty(entities(1, offset=75)[0], day=timezone.localdate() - dt.timedelta(days=300))

    def form() -> dict:
        return {"uscc": made.party_code, "decision_number": made.decision_number, "applicant_name": "王经理",
                "applicant_phone": "13800000000", "correction": "已缴清罚款",
                "commitment": SimpleUploadedFile("承诺书.pdf", b"%PDF-1.4 c", content_type="application/pdf"),
                "proof": SimpleUploadedFile("整改.png", b"\x89PNG\r\n\x1a\n p", content_type="image/png")}

    before = _row_counts()
    assert client.post("/credit/repairs/new/", form()).status_code == 302
    for who in ("leader", "other department", "other county"):
        answer = signed_in(matrix_users[who]).post("/credit/repairs/new/", form())
        assert answer.status_code in (403, 404), who
        assert _row_counts() == before, who
    entered = signed_in(persona("scjg_officer")).post("/credit/repairs/new/", form())
    assert entered.status_code == 302 and RepairApplication.objects.get().channel == "officer"


def test_the_point_registration_page_refuses_the_leader_other_departments_and_counties(client, signed_in, persona,
                                                                                    matrix_users, small_catalog,
                                                                                    xianan_entity):
    """监测点登记 (page only, `/remote/points/new/`): a point belongs to the registrar's own department and supports
    a row it claims, for an entity of its jurisdiction. The anonymous caller goes to the sign-in page; the leader is
    refused (403); the other department's officer names a row that is not theirs and the other county's officer an
    entity outside their jurisdiction — both refused with the rule named — and nothing is written; the 市场监管局's
    officer registers it."""
    from jianguan.catalog.models import Implementation
    from jianguan.remote.models import MonitoredPoint
    from tests.catalog_fixtures import FOOD

    row = Implementation.objects.get(item__code=FOOD, body=persona("scjg_officer").department).code
    form = {"kind": "pollution", "code": "MN-MATRIX", "name": "总排口", "object_kind": "uscc",
            "object_ref": xianan_entity.uscc, "implementation_code": row, "interval_seconds": "3600"}
    before = _row_counts()
    assert client.post("/remote/points/new/", form).status_code == 302
    for who in ("leader", "other department", "other county"):
        answer = signed_in(matrix_users[who]).post("/remote/points/new/", form)
        assert answer.status_code in (400, 403), who
        assert _row_counts() == before, who
    assert signed_in(persona("scjg_officer")).post("/remote/points/new/", form).status_code == 302
    assert MonitoredPoint.objects.get().code == "MN-MATRIX"


def test_the_abnormal_list_pages_refuse_other_departments_counties_and_the_leader(signed_in, persona, matrix_users):
    """经营异常名录 (pages only): a proposal names an entity of the proposer's jurisdiction and needs a 市场监督管理
    officer; every step on an entry is refused to anyone outside its department — the other department's officer,
    the other county's and the leader (403 or 404) — and nothing is written."""
    from jianguan.credit import abnormal

    officer = persona("scjg_officer")
    entity = MarketEntity.objects.visible_to(officer).filter(established_on__lt="2026-01-01").order_by("pk").first()
    entry = abnormal.abnormal_propose(actor=officer, uscc=entity.uscc, reason="unreachable", facts="实地核查无法联系",
                                      found_on="2026-11-20")
    for who in ("leader", "other department", "other county"):
        client = signed_in(matrix_users[who])
        before = _row_counts()
        proposal = client.post("/credit/abnormal/propose/", {"uscc": entity.uscc, "reason": "annual_report",
                                                             "facts": "未报送年度报告", "found_on": "2026-11-20"})
        assert proposal.status_code in (302, 403), who  # refused on the page with the rule named, or 403
        for action in ("approve", "reject", "decide"):
            answer = client.post(f"/credit/abnormal/{entry.pk}/act/", {"action": action, "note": "同意"})
            assert answer.status_code in (403, 404), (who, action)
        assert _row_counts() == before, who


# Articles (监管动态, 曝光台): page-only writes ---------------------------------------------------------------------

def _article_posts(article_id: int, case_number: str) -> list[tuple[str, dict]]:
    from tests.articles.world import png

    return [("/articles/new/", {"kind": "news", "title": "标题", "body": "正文"}),
            ("/articles/exposure/", {"case_number": case_number}),
            (f"/articles/{article_id}/edit/", {"title": "改", "body": "改"}),
            (f"/articles/{article_id}/act/", {"action": "submit"}),
            (f"/articles/{article_id}/act/", {"action": "publish"}),
            (f"/articles/{article_id}/images/", {"alt": "图", "image": SimpleUploadedFile("a.png", png())})]


def test_article_writes_refuse_every_persona_but_the_departments_authors_and_publishers(client, signed_in, world,
                                                                                          matrix_users, persona):
    """A draft of the city 市场监管局 and a closed case with a published decision: the anonymous caller goes to the
    sign-in page; the leader, the other department's and county's officers are refused (403, or 404 for a record out
    of their scope); the department's publisher writes no article and cannot publish a draft; nothing is written."""
    from jianguan.articles.services import article_create
    from tests.articles.world import TEXTS, exposed_case

    article = article_create(actor=world.officer, values=TEXTS)
    case = exposed_case(world, persona("scjg_publisher"))
    for path, form in _article_posts(article.pk, case.number):
        before = _row_counts()
        assert client.post(path, form).status_code == 302, path
        for user in [*(u for u in matrix_users.values() if u), persona("scjg_publisher")]:
            officer = user.has_role(Role.OFFICER)
            if officer and path == "/articles/new/":
                continue  # officers of any department write drafts of their own department
            response = signed_in(user).post(path, form)
            # Refused by the role (403), the scope (404), or — for a case out of scope or a step the workflow
            # refuses — by the service, whose message on the page names the rule.
            expected = (302, 403, 404) if (officer and path.endswith("/exposure/")) or (
                user.username == "scjg_publisher" and path.endswith("/act/")) else (403, 404)
            assert response.status_code in expected, (path, user.username, response.status_code)
            assert _row_counts() == before, (path, user.username)
        client.logout()


def test_the_disclosure_steps_refuse_other_departments_counties_and_the_leader(signed_in, persona, matrix_users):
    """执法公示 (pages only): every step on an item — prepare, publish, withhold, withdraw, confirm — is refused to
    anyone outside its department (the other department's officer, the other county's, the leader: 403 or 404), and
    nothing is written."""
    from jianguan.disclosure import sweep
    from jianguan.disclosure.models import DisclosureItem
    from tests.credit.world import penalty

    made = penalty(MarketEntity.objects.visible_to(persona("scjg_officer")).order_by("pk")[210],
                   day=timezone.localdate() - dt.timedelta(days=2))
    sweep.items_make()
    item = DisclosureItem.objects.get(source_kind="penalty", source_id=made.pk)
    for who in ("leader", "other department", "other county"):
        client = signed_in(matrix_users[who])
        before = _row_counts()
        for action in ("prepare", "publish", "withhold", "withdraw", "confirm"):
            answer = client.post(f"/disclosure/{item.pk}/act/", {"action": action, "reason": "x", "rule": "secrets"})
            assert answer.status_code in (403, 404), (who, action)
        assert _row_counts() == before, who
