"""Who may act: approvals by the head (负责人) of the acting body only, the proposer (提出人) never the approver,
jurisdiction on writes, and the roles each write names (the read-only 领导 writes nothing). The write matrix over
every endpoint is tests/test_write_matrix.py; coercion's approvals are in tests/coercion/test_services.py."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.accounts import services as accounts
from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.accounts.seed import PERSONAS
from jianguan.complaints.models import Complaint
from jianguan.core.errors import AccessDenied, NotFound
from jianguan.core.roles import Role, is_head_of
from jianguan.enforcement.models import Approval, Case, CaseEvent, CaseStatus
from jianguan.spotchecks import drawing
from jianguan.spotchecks.models import Draw, DrawStatus
from jianguan.subjects.models import MarketEntity
from tests.enforcement_fixtures import FILING, act, make_user, register, world_fixture  # noqa: F401
from tests.library_fixtures import SYSTEM
from tests.spotcheck_fixtures import _drawn

pytestmark = pytest.mark.django_db
VALID = (dt.date(2024, 1, 1), dt.date(2029, 12, 31))


# Roles: the approving head and the read-only leader are two roles ------------------------------------------------

def test_the_head_persona_heads_its_department_and_reads_like_its_officers(persona):
    head, leader = persona("scjg_head"), persona("leader")
    assert head.roles == {Role.HEAD} and leader.roles == {Role.LEADER}
    assert head.scope.department_ids is not None and head.scope.department_ids == persona("scjg_officer") \
        .scope.department_ids
    assert leader.scope.department_ids is None  # the leader reads every department, and approves nothing
    assert is_head_of(head, head.department_id) and not is_head_of(head, persona("sthj_officer").department_id)
    assert not is_head_of(leader, leader.department_id) and not is_head_of(leader, head.department_id)


def test_every_persona_is_seeded_from_the_one_table(persona):
    assert "scjg_head" in {p.username for p in PERSONAS}
    for entry in PERSONAS:
        user = persona(entry.username)
        assert user.roles == {entry.role} and user.full_name == entry.full_name, entry.username


# 1. Penalty cases: the head of the case's own department ---------------------------------------------------------

def test_a_head_of_another_department_does_not_approve_a_filing(world, persona):
    """《行政处罚法》第五十四条: 立案 is approved by the 负责人 of the body that acts, not of another body."""
    case = register(world)
    act(world, case, "propose_filing", world.officer, FILING)
    sthj = Department.objects.get(kind=DepartmentKind.STHJ, region_id="421200")
    county = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421202")
    for who in (make_user("sthj_head", "生态局长", sthj, ["head"]), make_user("xa_head", "咸安局长", county, ["head"]),
                persona("leader")):
        with pytest.raises((AccessDenied, NotFound)):
            act(world, case, "approve_filing", who)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FILING_REVIEW
    assert act(world, case, "approve_filing", world.head).status == CaseStatus.INVESTIGATING


# 2. Separation of duties: the proposer is recorded and never approves ---------------------------------------------

def test_the_proposer_of_a_filing_never_approves_it(world):
    """An officer who also holds the head role proposes filing with two colleagues as the case's officers: they are
    not among the handlers, yet they proposed the step, so another head approves it."""
    both = make_user("scjg_head_officer", "孙副局长", world.city, ["officer", "head"], VALID)
    case = register(world)
    case = act(world, case, "propose_filing", both, FILING)
    assert case.proposed_by == both
    event = CaseEvent.objects.filter(case=case, verb="propose_filing").get()
    assert event.data["proposed_by"] == both.pk
    with pytest.raises(AccessDenied) as refused:
        act(world, case, "approve_filing", both)
    assert refused.value.code == "same_person" and refused.value.message == "提出人与批准人不得为同一人"
    assert refused.value.status == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FILING_REVIEW
    case = act(world, case, "approve_filing", world.head, {"opinion": "同意立案"})
    approval = Approval.objects.get(case=case, step="approve_filing")
    assert (approval.approver, approval.proposed_by, approval.role) == (world.head, both, Role.HEAD)


def test_a_void_of_a_draw_is_approved_by_the_head_or_reviewer_of_the_lead_department(food_task, persona):
    """The second approver of a void (spot-checks §5) is the head or the legal reviewer of the department leading the
    task, checked in the service; the read-only leader, another body's head, and the requester are refused."""
    draw = _drawn(food_task, persona)
    drawing.draw_void_request(actor=persona("scjg_admin"), draw_id=draw.pk, reason="名录缺少新设立主体")
    sthj = Department.objects.get(kind=DepartmentKind.STHJ, region_id="421200")
    for who in (persona("leader"), make_user("sthj_head", "生态局长", sthj, ["head"]), persona("scjg_officer")):
        with pytest.raises(AccessDenied) as refused:
            drawing.draw_void_approve(actor=who, draw_id=draw.pk)
        assert refused.value.code == "void_second_approver", who.username
    assert Draw.objects.get(pk=draw.pk).status != DrawStatus.VOID
    drawing.draw_void_approve(actor=persona("legal_reviewer"), draw_id=draw.pk)
    assert Draw.objects.get(pk=draw.pk).status == DrawStatus.VOID


def test_the_requester_of_a_void_never_approves_it_whatever_their_roles(food_task, persona):
    admin = persona("scjg_admin")
    admin.role_grants.create(role=Role.HEAD)
    admin = User.objects.get(pk=admin.pk)
    draw = _drawn(food_task, persona)
    drawing.draw_void_request(actor=admin, draw_id=draw.pk, reason="名录缺少新设立主体")
    with pytest.raises(AccessDenied) as refused:
        drawing.draw_void_approve(actor=admin, draw_id=draw.pk)
    assert refused.value.code == "same_person"
    assert Draw.objects.get(pk=draw.pk).status != DrawStatus.VOID
    drawing.draw_void_approve(actor=persona("scjg_head"), draw_id=draw.pk)
    assert Draw.objects.get(pk=draw.pk).void_approved_by == persona("scjg_head")


# 3. Jurisdiction on writes ---------------------------------------------------------------------------------------

def _other_county_entity(user: User) -> MarketEntity:
    return MarketEntity.objects.exclude(pk__in=MarketEntity.objects.visible_to(user)).order_by("uscc").first()


def test_a_county_officer_cannot_open_a_case_on_another_countys_entity(api, county_officer):
    outside = _other_county_entity(county_officer)
    cases = Case.objects.count()
    response = api(county_officer).post("/api/v1/enforcement/cases", {
        "party": {"uscc": outside.uscc}, "summary": "举报销售过期食品", "source": "report",
        "source_ref": "JB-OUT-1", "received_on": "2026-10-12"}, content_type="application/json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "entity_unknown" and body["field"] == "party.uscc"
    assert outside.name not in response.content.decode()  # nothing of the entity shown
    assert Case.objects.count() == cases
    inside = MarketEntity.objects.visible_to(county_officer).order_by("uscc").first()
    created = api(county_officer).post("/api/v1/enforcement/cases", {
        "party": {"uscc": inside.uscc}, "summary": "举报销售过期食品", "source": "report",
        "source_ref": "JB-IN-1", "received_on": "2026-10-12"}, content_type="application/json")
    assert created.status_code == 201 and Case.objects.get(party_code=inside.uscc).entity == inside


def test_an_officer_records_complaints_only_about_entities_of_their_jurisdiction(api, county_officer):
    outside = _other_county_entity(county_officer)
    before = Complaint.objects.count()
    response = api(county_officer).post("/api/v1/complaints", {
        "category": "food", "subject_uscc": outside.uscc, "content": "电话反映该店销售过期食品"},
        content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "subject_uscc"
    assert outside.name not in response.content.decode() and Complaint.objects.count() == before


def test_a_department_system_imports_credit_records_only_within_its_jurisdiction(persona, xianan_entity):
    from django.test import Client

    from jianguan.credit.models import CreditRecord

    county = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421221")  # 嘉鱼县
    client = accounts.api_client_create(actor=SYSTEM, name="嘉鱼县信用系统", department=county,
                                        scopes=["credit:write"])
    system = Client(headers={"X-API-Key": accounts.api_key_issue(actor=SYSTEM, client=client)})
    body = {"kind": "dishonest_debtor", "source": "法院名单", "records": [
        {"uscc": xianan_entity.uscc, "date": "2025-03-04", "title": "未履行生效判决", "source_ref": "(2025)执1号",
         "authority": "法院"}]}
    response = system.post("/api/v1/credit/records", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["extra"]["problems"][0]["code"] == "entity_unknown"
    assert not CreditRecord.objects.filter(entity=xianan_entity).exists()


# 4. Write permissions by role ------------------------------------------------------------------------------------

def test_the_read_only_leader_writes_no_business_record(api, persona, xianan_entity):
    leader = api(persona("leader"))
    before = Complaint.objects.count()
    response = leader.post("/api/v1/complaints", {"category": "food", "subject_uscc": xianan_entity.uscc,
                                                   "content": "领导转来的群众反映"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    imported = leader.post("/api/v1/complaints/imports", {"file": _hotline_file()})
    assert imported.status_code == 403
    assert Complaint.objects.count() == before


def test_an_officer_still_records_a_complaint(api, county_officer, xianan_entity):
    response = api(county_officer).post("/api/v1/complaints", {
        "category": "food", "subject_uscc": xianan_entity.uscc, "content": "电话反映该店销售过期食品"},
        content_type="application/json")
    assert response.status_code == 201 and response.json()["department_name"] == "咸安区市场监督管理局"


def _hotline_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "工单编号,受理时间,诉求内容\n12345-L1,2026-10-10 09:00,反映某店销售过期食品\n"
    return SimpleUploadedFile("hotline.csv", text.encode(), content_type="text/csv")



def test_an_administrator_grants_the_head_role_to_an_existing_user(persona):
    """The role split grants nothing by itself (ADR 0022): a deployment's heads are granted `head` afterwards."""
    from django.core.management import call_command

    from jianguan.audit.models import AuditEvent

    user = make_user("old_leader_head", "周局长", persona("scjg_officer").department, ["leader"])
    assert not is_head_of(user, user.department_id)
    call_command("user", "grant", "old_leader_head", "--role", "head", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(pk=user.pk)
    assert is_head_of(user, user.department_id) and user.roles == {Role.LEADER, Role.HEAD}
    assert AuditEvent.objects.filter(verb="accounts.role_granted", target_id=str(user.pk)).exists()
    with pytest.raises(AccessDenied):
        accounts.role_grant(actor=persona("sthj_officer"), user=user, role=Role.HEAD)
