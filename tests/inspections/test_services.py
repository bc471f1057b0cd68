"""行政检查 through the services (the API and the pages in test_api.py and test_pages.py): the checklist from the
row's 检查内容, two officers with 执法证 valid that day, submission (behaviour record, 现场检查笔录 PDF,
责令改正通知书, clue), the idempotent sync with its conflicts, evidence checks, and who may see what."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind, User
from jianguan.audit.models import AuditEvent
from jianguan.behaviour.models import Inspection
from jianguan.catalog.contracts import OutsideTheList
from jianguan.catalog.models import Implementation
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.seeding import SeedContext
from jianguan.documents import contracts as documents
from jianguan.enforcement.models import Clue, ClueSource
from jianguan.inspections import checklist, opening, submission
from jianguan.inspections.models import FieldInspection, Status
from jianguan.inspections.seed import seed_inspections
from jianguan.subjects import services as subjects
from jianguan.subjects.models import MarketEntity
from tests.catalog_fixtures import FOOD
from tests.inspections.world import ITEMS, answers, completed, opened, pdf_text, png
from tests.library_fixtures import SYSTEM

pytestmark = pytest.mark.django_db





















# Checklist --------------------------------------------------------------------------------------------------------

def test_checklist_items_are_read_from_the_content_text():
    assert checklist.items_of("1.生产环境；2、进货查验\n（三）出厂检验，进货查验。") == ITEMS
    assert checklist.items_of("") == []


def test_the_checklist_comes_from_the_rows_content_routine_or_special(world):
    routine = opened(world)
    assert [row["item"] for row in routine.checklist] == ITEMS
    assert all(row["answer"] == "" for row in routine.checklist)
    assert routine.checklist_kind == "routine" and routine.catalog_code == FOOD
    # A 专项检查 uses the 专项 content; this row lists none, so the 日常 content stands in.
    special = opened(world, origin_kind="special")
    assert special.checklist_kind == "special" and [row["item"] for row in special.checklist] == ITEMS


def test_an_inspection_rests_on_a_row_of_the_acting_body_in_force(world):
    with pytest.raises(OutsideTheList) as unknown:
        opened(world, implementation_code="no-such-row")
    assert unknown.value.code == "implementation_unknown"
    county_row = Implementation.objects.exclude(body=world["city"]).get(item__code=FOOD).code
    with pytest.raises(OutsideTheList) as other:
        opened(world, implementation_code=county_row)
    assert other.value.code == "implementation_other_body"


def test_an_unknown_checklist_item_or_answer_is_refused(world):
    inspection = opened(world)
    with pytest.raises(ValidationFailed) as caught:
        completed(world, inspection, checklist=[{"item": "消防设施", "answer": "pass"}])
    assert caught.value.code == "checklist_item_unknown"
    with pytest.raises(ValidationFailed) as caught:
        completed(world, inspection, checklist=[{"item": ITEMS[0], "answer": "good"}])
    assert caught.value.code == "checklist_answer_invalid"


# Officers and their 执法证 ----------------------------------------------------------------------------------------

def test_submission_needs_two_officers_each_with_a_credential_valid_that_day(world):
    alone = completed(world, opened(world), officers=[world["officer"].username])
    with pytest.raises(ValidationFailed) as caught:
        submission.inspection_submit(actor=world["officer"], inspection_id=alone.pk)
    assert caught.value.code == "officers_too_few"

    expired = completed(world, opened(world), officers=[world["officer"].username, world["expired"].username])
    with pytest.raises(ValidationFailed) as caught:
        submission.inspection_submit(actor=world["officer"], inspection_id=expired.pk)
    assert caught.value.code == "credential_invalid"
    assert "赵敏" in caught.value.message and "insp_expired" in caught.value.message
    assert FieldInspection.objects.get(pk=expired.pk).status == Status.DRAFT
    assert not Inspection.objects.exists()


def test_officers_must_belong_to_the_acting_department(world, outsider):
    with pytest.raises(ValidationFailed) as caught:
        opened(world, officers=[world["officer"].username, outsider.username])
    assert caught.value.code == "officer_unknown" and outsider.username in caught.value.message


def test_only_an_officer_of_the_inspection_submits_it(world, persona):
    inspection = completed(world, opened(world))
    admin = persona("scjg_admin")  # same department: reads it, but was not there
    with pytest.raises(AccessDenied):
        submission.inspection_submit(actor=admin, inspection_id=inspection.pk)


# Submission -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "code"), [
    ({"signature_png": ""}, "signature_required"),
    ({"signature_png": "", "signature_refused": True}, "witness_required"),
    ({"checklist": [{"item": ITEMS[0], "answer": ""}]}, "checklist_incomplete"),
    ({"checklist": answers(failed=ITEMS[1])}, "outcome_contradicts_checklist"),
    ({"outcome": "rectify", "findings": "进货查验记录缺失"}, "rectify_due_required"),
    ({"outcome": "clue"}, "findings_required"),
    ({"place": ""}, "place_required"),
])
def test_an_incomplete_record_is_not_submitted(world, values, code):
    inspection = completed(world, opened(world), **values)
    with pytest.raises(ValidationFailed) as caught:
        submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    assert caught.value.code == code


def test_submission_records_the_behaviour_and_issues_the_onsite_record(world):
    inspection = completed(world, opened(world))
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    assert submitted.status == Status.SUBMITTED and submitted.version == inspection.version + 1
    record = Inspection.objects.get(number=submitted.number)
    assert record.implementation_code == world["code"] and record.catalog_code == FOOD
    assert record.inspectors == ["张伟", "李强"] and record.category == "1" and record.form == "日常检查"
    assert record.credential_numbers[1] == "42120088800001" and len(record.credential_numbers[0]) > 5
    assert record.party_code == world["entity"].uscc and record.result == "未发现问题"
    assert record.date == timezone.localdate(submitted.started_at)
    assert [d["kind"] for d in submitted.documents] == ["onsite_record"]
    flat = pdf_text(documents.pdf(submitted.documents[0]["id"]))
    assert "现场检查笔录" in flat
    assert world["entity"].uscc in flat and "进货查验：合格" in flat and "42120088800001" in flat
    assert "当事人已在执法终端上签名确认" in flat
    event = AuditEvent.objects.filter(verb="inspections.inspection_submitted").get()
    assert event.payload["number"] == submitted.number
    assert event.payload["signature_sha256"] == hashlib.sha256(png()).hexdigest()


def test_a_refused_signature_is_noted_with_its_witness(world):
    inspection = completed(world, opened(world), signature_png="", signature_refused=True,
                           refusal_note="负责人不在场", witness="网格员王芳")
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    flat = pdf_text(documents.pdf(submitted.documents[0]["id"]))
    assert "当事人拒绝签名（负责人不在场），见证人：网格员王芳" in flat


def test_an_order_to_correct_issues_the_rectification_order(world):
    due = timezone.localdate() + dt.timedelta(days=10)
    inspection = completed(world, opened(world), outcome="rectify", findings="进货查验记录不全",
                           checklist=answers(failed=ITEMS[1], note="缺少供货者资质"),
                           rectify_due=due, rectify_requirement="补齐进货查验记录")
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    assert [d["kind"] for d in submitted.documents] == ["onsite_record", "rectification_order"]
    flat = pdf_text(documents.pdf(submitted.documents[1]["id"]))
    assert "责令改正通知书" in flat and "补齐进货查验记录" in flat and "缺少供货者资质" in flat
    assert f"{due.year}年{due.month}月{due.day}日" in flat
    assert Inspection.objects.get(number=submitted.number).result == "发现问题已责令改正"


def test_a_finding_becomes_a_clue_in_the_same_step(world):
    inspection = completed(world, opened(world), outcome="clue", findings="销售超过保质期的食品",
                           checklist=answers(failed=ITEMS[1]))
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    clue = Clue.objects.get(source=ClueSource.INSPECTION, source_ref=submitted.number)
    assert submitted.clue_number == clue.number and clue.summary == "销售超过保质期的食品"
    assert clue.department == world["city"] and clue.entity == world["entity"]


def test_a_person_as_party_is_stored_masked(world):
    person = subjects.person_register(actor=SYSTEM, name="王小明", id_number="11010519491231002X",
                                      region_code=world["entity"].region_id)
    inspection = completed(world, opened(world, party={"kind": "person", "id_number": "11010519491231002X"}))
    assert inspection.person == person and inspection.party_code == person.id_masked
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=inspection.pk)
    assert Inspection.objects.get(number=submitted.number).party_code == person.id_masked


def test_a_party_outside_the_departments_jurisdiction_is_refused(world):
    county = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421202")
    county_officer = User.objects.get(username="xa_scjg_officer")
    other = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421221")
    elsewhere = MarketEntity.objects.filter(region__path__startswith=other.region.path).first()
    code = Implementation.objects.get(item__code=FOOD, body=county).code
    with pytest.raises(ValidationFailed) as caught:
        opening.inspection_open(actor=county_officer, origin_kind="routine", implementation_code=code,
                                 party={"kind": "entity", "uscc": elsewhere.uscc}, officers=[])
    assert caught.value.code == "party_out_of_jurisdiction"


# Tasks from other apps -------------------------------------------------------------------------------------------



# Sync -------------------------------------------------------------------------------------------------------------















# Evidence ---------------------------------------------------------------------------------------------------------







# Who sees what ----------------------------------------------------------------------------------------------------







# Pages ------------------------------------------------------------------------------------------------------------







def test_the_demo_seed_makes_submitted_and_waiting_inspections(world):
    seed_inspections(SeedContext(scale="demo", seed=7, stdout=io.StringIO(), progress_enabled=False))
    inspections = FieldInspection.objects.order_by("pk")
    assert [i.status for i in inspections] == [Status.SUBMITTED, Status.SUBMITTED, Status.DRAFT]
    assert [len(i.documents) for i in inspections] == [1, 2, 0]
    assert Inspection.objects.filter(number__in=[i.number for i in inspections]).count() == 2
