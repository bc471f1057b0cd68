"""The object, behaviour, credit and complaints libraries: what they accept, what they refuse and why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.accounts.models import Department, DepartmentKind
from jianguan.audit.models import AuditEvent
from jianguan.behaviour import services as behaviour
from jianguan.behaviour.models import Inspection, Penalty
from jianguan.catalog.contracts import OutsideTheList
from jianguan.catalog.models import Implementation
from jianguan.complaints import services as complaints
from jianguan.complaints.models import Complaint, ComplaintStatus
from jianguan.core.errors import AccessDenied, InvalidTransition, ValidationFailed
from jianguan.core.protect import unseal
from jianguan.core.tabular import ImportRefused
from jianguan.credit import services as credit
from jianguan.credit.models import CreditRecord
from jianguan.enforcement.registration import clue_from_complaint
from jianguan.subjects import services as subject_services
from jianguan.subjects.models import Person
from tests.catalog_fixtures import FOOD
from tests.core.test_tabular import xlsx
from tests.library_fixtures import PENALTY, SYSTEM, inspect

pytestmark = pytest.mark.django_db


def test_person_id_is_sealed_masked_and_found_by_hash():
    person = subject_services.person_register(actor=SYSTEM, name="王小明", id_number="11010519491231002x",
                                       region_code="421202001")
    assert person.id_masked == "1101**********002X" and "11010519491231002X" not in person.id_sealed
    assert unseal(Person.objects.get(pk=person.pk).id_sealed) == "11010519491231002X"
    again = subject_services.person_register(actor=SYSTEM, name="王小明", id_number="11010519491231002X",
                                      region_code="421202001")
    assert again.pk == person.pk
    for bad, code in (("110105194902300021", "id_birth_date"), ("440524188001010015", "id_check_char")):
        with pytest.raises(ValidationFailed) as caught:
            subject_services.person_register(actor=SYSTEM, name="某", id_number=bad, region_code="421202001")
        assert (caught.value.code, caught.value.field) == (code, "id_number")


def test_inspection_rests_on_the_list(small_catalog, xianan_entity):
    inspection = inspect(xianan_entity)
    assert (inspection.catalog_code, inspection.party_code, inspection.region_id) == (
        FOOD, xianan_entity.uscc, xianan_entity.region_id)
    with pytest.raises(OutsideTheList) as caught:  # before the row took effect
        inspect(xianan_entity, number="JC-0", day=dt.date(2024, 12, 31))
    assert caught.value.code == "implementation_not_yet_in_force"


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"inspectors": ["张伟"], "credential_numbers": []}, "inspectors", "inspectors_too_few"),
    ({"party": {"entity_code": "91421200MA40002230"}}, "party_code", "entity_unknown"),
    ({"party": {"entity_code": "91421200MA40002231"}}, "party_code", "uscc_check_char"),
    ({"party": {}}, "party_code", "party_required"),
    ({"date": dt.date(2099, 1, 1)}, "date", "date_in_future"),
])
def test_bad_inspections_are_refused_with_the_rule(small_catalog, xianan_entity, change, field, code):
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    arguments = {"actor": SYSTEM, "department": city, "number": "JC-X", "name": "检查", "date": dt.date(2025, 6, 3),
                 "implementation_code": Implementation.objects.get(item__code=FOOD, body=city).code,
                 "form": "日常检查", "category": "1", "result": "未发现问题", "inspectors": ["张伟", "李强"],
                 "credential_numbers": ["1", "2"], "party": {"entity_code": xianan_entity.uscc}, **change}
    with pytest.raises(ValidationFailed) as caught:
        behaviour.inspection_record(**arguments)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert not Inspection.objects.filter(number="JC-X").exists()


def test_number_is_unique(small_catalog, xianan_entity):
    inspect(xianan_entity)
    with pytest.raises(ValidationFailed) as caught:
        inspect(xianan_entity)
    assert caught.value.code == "number_duplicate"


def test_penalty_needs_a_penalty_item_and_its_inspection(enforcement_items, xianan_entity):
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    inspection = inspect(xianan_entity)
    common = {"actor": SYSTEM, "department": city, "number": "CF-1", "name": "案", "decided_on": dt.date(2025, 7, 1),
              "decision_number": "咸市监处罚〔2025〕9号", "facts": "事实", "basis": "依据", "procedure": "02",
              "penalty_kinds": ["02"], "result": "罚款", "case_source": "监督检查", "fine": "1000"}
    with pytest.raises(OutsideTheList) as caught:
        behaviour.penalty_record(catalog_code=FOOD, inspection_number=inspection.number, **common)
    assert caught.value.code == "catalog_item_wrong_type"
    with pytest.raises(ValidationFailed) as caught:
        behaviour.penalty_record(catalog_code=PENALTY, inspection_number="JC-NONE", **common)
    assert caught.value.code == "inspection_unknown"
    with pytest.raises(ValidationFailed) as caught:
        behaviour.penalty_record(catalog_code=PENALTY, inspection_number=inspection.number,
                                 **{**common, "penalty_kinds": ["99"]})
    assert caught.value.code == "penalty_kind_invalid"
    penalty = behaviour.penalty_record(catalog_code=PENALTY, inspection_number=inspection.number, **common)
    assert penalty.entity_id == xianan_entity.pk and str(Penalty.objects.get(pk=penalty.pk).fine) == "1000.00"


def _credit_file(rows):
    return xlsx([["统一社会信用代码", "日期", "事由", "来源编号", "作出机关"], *rows])


def test_credit_import_whole_or_nothing(xianan_entity):
    good = _credit_file([[xianan_entity.uscc, "2025-01-02", "列入经营异常名录", "A-1", "咸安区市场监督管理局"]])
    batch = credit.credit_import_file(actor=SYSTEM, kind="abnormal", source="国家企业信用信息公示系统",
                                      file_name="abnormal.xlsx", data=good)
    assert batch.rows == 1 and bytes(batch.raw) == good
    bad = _credit_file([[xianan_entity.uscc, "2025-01-02", "事由", "A-2", ""],
                        ["91421200MA40002230", "2025-01-02", "事由", "A-3", ""],
                        [xianan_entity.uscc[:-1] + "0", "2025-01-02", "事由", "A-4", ""],
                        [xianan_entity.uscc, "2099-01-01", "事由", "A-5", ""],
                        [xianan_entity.uscc, "不是日期", "事由", "A-6", ""]])
    with pytest.raises(ImportRefused) as caught:
        credit.credit_import_file(actor=SYSTEM, kind="abnormal", source="公示系统", file_name="bad.xlsx", data=bad)
    problems = [(p["row"], p["code"]) for p in caught.value.extra["problems"]]
    wrong_check = "uscc_check_char" if xianan_entity.uscc[-1] != "0" else "entity_unknown"
    assert problems == [(3, "entity_unknown"), (4, wrong_check), (5, "date_in_future"), (6, "date_invalid")]
    assert CreditRecord.objects.count() == 1  # the good row of the bad file was not stored either
    with pytest.raises(ImportRefused):  # the same source record twice
        credit.credit_import_file(actor=SYSTEM, kind="abnormal", source="国家企业信用信息公示系统",
                                  file_name="again.xlsx", data=good)


def test_complaint_is_assigned_by_jurisdiction_and_subject(xianan_entity):
    food = complaints.complaint_receive(actor=SYSTEM, channel="portal", values={
        "category": "food", "subject_uscc": xianan_entity.uscc, "content": "餐馆卫生条件差，有老鼠"})
    assert food.department == Department.objects.get(kind=DepartmentKind.SCJG, region_id="421202")
    air = complaints.complaint_receive(actor=SYSTEM, channel="portal", values={
        "category": "environment", "subject_name": "某工厂", "region": "421281101", "content": "夜间排放刺鼻气体",
        "kind": "report"})
    assert air.department.name == "咸宁市生态环境局赤壁分局" and air.handle_due and air.accept_due is None
    with pytest.raises(ValidationFailed) as caught:
        complaints.complaint_receive(actor=SYSTEM, channel="portal", values={"category": "food", "content": "短"})
    assert caught.value.field == "content"


def test_complaint_clock_counts_working_days_over_national_day(xianan_entity):
    complaint = complaints.complaint_receive(
        actor=SYSTEM, channel="portal", values={"category": "price", "subject_uscc": xianan_entity.uscc,
                                                 "content": "国庆期间乱收费"},
        received_at=timezone.make_aware(dt.datetime(2025, 9, 30, 16, 0)))
    # 7 working days after 30 September 2025: 9, 10, 11 (调休), 13, 14, 15, 16 October.
    assert complaint.accept_due == dt.date(2025, 10, 16)


def test_accepting_a_complaint_starts_the_45_working_day_mediation_clock(xianan_entity, persona):
    from jianguan.core.calendar import is_working_day

    complaint = complaints.complaint_receive(actor=SYSTEM, channel="portal", values={
        "category": "price", "subject_uscc": xianan_entity.uscc, "content": "结账时多收停车费"})
    accepted = complaints.complaint_decide(actor=persona("xa_scjg_officer"), complaint_id=complaint.pk, accept=True)
    today = timezone.localdate()
    days = [today + dt.timedelta(days=n) for n in range(1, (accepted.handle_due - today).days + 1)]
    assert sum(is_working_day(day) for day in days) == 45 and is_working_day(accepted.handle_due)


def test_complaint_handling_and_conversion_to_a_clue(xianan_entity, persona):
    complaint = complaints.complaint_receive(actor=SYSTEM, channel="api", values={
        "kind": "report", "category": "drug", "subject_uscc": xianan_entity.uscc, "content": "无证销售处方药",
        "complainant_name": "李四", "complainant_phone": "13800000000"})
    with pytest.raises(AccessDenied):  # the city officer is not the handling department
        complaints.complaint_decide(actor=persona("scjg_officer"), complaint_id=complaint.pk, accept=True)
    officer = persona("xa_scjg_officer")
    clue = clue_from_complaint(actor=officer, complaint_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CONVERTED and clue.source == "report"
    assert clue.check_due == complaint.handle_due  # both 15 working days from receipt
    with pytest.raises(InvalidTransition):
        complaints.complaint_conclude(actor=officer, complaint_id=complaint.pk, outcome="已办结")


def test_hotline_import_reports_by_row_and_stores_all_or_nothing(xianan_entity, persona):
    header = ["工单编号", "受理时间", "诉求类型", "事项类别", "被反映对象", "统一社会信用代码", "区划代码", "诉求内容"]
    good = xlsx([header,
                 ["12345-1", "2025-11-03 09:30", "投诉", "价格收费", "", xianan_entity.uscc, "", "停车收费不明码标价"],
                 ["12345-2", "2025-11-04 10:00", "举报", "生态环境", "某砂场", "", "421223100", "河道非法采砂"]])
    text = "\n".join(",".join(row) for row in [header, ["12345-3", "2025-11-05 08:00", "投诉", "食品安全", "某店", "",
                                                         "421224100", "出售变质食品"]]).encode("gbk")
    batch = complaints.complaint_import(actor=persona("dataadmin"), file_name="12345.xlsx", data=good)
    assert batch.rows == 2 and Complaint.objects.filter(imported=batch).count() == 2
    assert complaints.complaint_import(actor=persona("dataadmin"), file_name="12345.csv", data=text).rows == 1
    bad = xlsx([header, ["12345-1", "2025-11-03 09:30", "投诉", "价格收费", "", xianan_entity.uscc, "", "重复的工单"],
                ["12345-9", "下午", "投诉", "价格收费", "某店", "", "421202001", "时间不对"],
                ["12345-10", "2025-11-03 09:30", "投诉", "价格收费", "", "", "", "没有写明被反映的对象"]])
    with pytest.raises(ImportRefused) as caught:
        complaints.complaint_import(actor=persona("dataadmin"), file_name="bad.xlsx", data=bad)
    assert [(p["row"], p["column"], p["code"]) for p in caught.value.extra["problems"]] == [
        (2, "工单编号", "duplicate"), (3, "受理时间", "date_invalid"), (4, "被反映对象", "subject_required")]
    assert not Complaint.objects.filter(external_ref__in=["12345-9", "12345-10"]).exists()


def _penalty(entity, number: str = "CF-A1", filed_on: dt.date = dt.date(2025, 6, 20)) -> Penalty:
    city = Department.objects.get(kind=DepartmentKind.SCJG, region_id="421200")
    inspection = inspect(entity, number=f"JC-{number}")
    return behaviour.penalty_record(
        actor=SYSTEM, department=city, catalog_code=PENALTY, inspection_number=inspection.number, number=number,
        name="案", decided_on=dt.date(2025, 7, 1), decision_number=f"咸市监处罚〔2025〕{number}号", facts="事实",
        basis="依据", procedure="02", penalty_kinds=["02"], result="罚款", case_source="监督检查", fine="1000",
        filed_on=filed_on)


def test_record_amend_replaces_the_fields_as_the_next_version(enforcement_items, xianan_entity):
    penalty = _penalty(xianan_entity)
    before = Penalty.objects.get(pk=penalty.pk)
    amended = behaviour.record_amend(actor=SYSTEM, model=Penalty, number="CF-A1", reason="结案", changes={
        "closed_on": dt.date(2025, 8, 1), "execution_method": "自觉履行", "execution_result": "全部履行",
        "paid": "1000"})
    row = Penalty.objects.get(pk=penalty.pk)
    assert (row.version, row.record_id, row.number) == (2, before.record_id, "CF-A1")
    assert row.closed_on == dt.date(2025, 8, 1) and str(row.paid) == "1000.00" and row.execution_result == "全部履行"
    assert row.fine == before.fine and amended.version == 2
    assert AuditEvent.objects.filter(verb="behaviour.penalty_amended").latest("seq").payload["fields"] == [
        "closed_on", "execution_method", "execution_result", "paid"]
    again = behaviour.record_amend(actor=SYSTEM, model=Penalty, number="CF-A1", reason="重复结案",
                                   changes={"closed_on": dt.date(2025, 8, 1)})
    assert again.version == 2 and Penalty.objects.get(pk=penalty.pk).version == 2  # nothing new, no new version


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"colour": "红"}, "colour", "field_not_amendable"),
    ({"party_code": "91421200MA4F000000"}, "party_code", "field_not_amendable"),
    ({"closed_on": dt.date(2025, 6, 19)}, "closed_on", "date_order"),
    ({"closed_on": timezone.localdate() + dt.timedelta(days=1)}, "closed_on", "date_in_future"),
    ({"paid": "-1"}, "paid", "amount_invalid"),
])
def test_record_amend_refuses_what_the_record_cannot_take(enforcement_items, xianan_entity, changes, field, code):
    penalty = _penalty(xianan_entity)
    with pytest.raises(ValidationFailed) as caught:
        behaviour.record_amend(actor=SYSTEM, model=Penalty, number=penalty.number, changes=changes, reason="更正")
    assert (caught.value.code, caught.value.field) == (code, field)
    assert Penalty.objects.get(pk=penalty.pk).version == 1


def test_record_amend_refuses_a_closing_before_the_decision_and_an_unknown_number(enforcement_items, xianan_entity):
    _penalty(xianan_entity, filed_on=None)
    with pytest.raises(ValidationFailed) as caught:
        behaviour.record_amend(actor=SYSTEM, model=Penalty, number="CF-A1", reason="结案",
                               changes={"closed_on": dt.date(2025, 6, 30)})
    assert caught.value.code == "date_order"
    with pytest.raises(ValidationFailed) as caught:
        behaviour.record_amend(actor=SYSTEM, model=Penalty, number="CF-NONE", reason="结案",
                               changes={"closed_on": dt.date(2025, 8, 1)})
    assert caught.value.code == "record_unknown"
    with pytest.raises(ValidationFailed) as caught:
        behaviour.record_amend(actor=SYSTEM, model=Penalty, number="CF-A1", reason=" ",
                               changes={"closed_on": dt.date(2025, 8, 1)})
    assert caught.value.code == "reason_required"
