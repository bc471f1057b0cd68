"""部门考核: schemes checked whole and stored once per version, each measure counted on both sides of its due day,
scores weighed and ranked with a measure that had nothing due left out, the run refused to wrong personas with
nothing written, and the ranking scoped on the page, in the PDF, the workbook and the API."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jianguan.audit.models import AuditEvent
from jianguan.complaints.models import Complaint
from jianguan.complaints.services import complaint_receive
from jianguan.core.actors import SystemActor
from jianguan.core.errors import AccessDenied, ValidationFailed
from jianguan.core.months import previous_month
from jianguan.core.registry import evaluation_measures
from jianguan.evaluation import runs, scheme, scoring
from jianguan.evaluation.models import Evaluation, Level, Scheme, Score
from jianguan.subjects.models import MarketEntity

pytestmark = pytest.mark.django_db

VALID = {"version": "t.1", "title": "测试方案", "effective_from": "2020-01-01", "total": 100,
         "weights": [{"measure": "complaints_on_time", "weight": 60}, {"measure": "cases_on_time", "weight": 40}]}


@pytest.fixture
def loaded(persona):
    scheme.schemes_load(actor=persona("dataadmin"))


@pytest.mark.parametrize(("change", "code"), [
    ({"total": 90}, "weights_sum_mismatch"),
    ({"weights": [{"measure": "no_such", "weight": 100}]}, "measure_unknown"),
    ({"colour": "red"}, "scheme_unknown_field"),
    ({"weights": [{"measure": "cases_on_time", "weight": 50}] * 2}, "measure_repeated"),
    ({"weights": [{"measure": "cases_on_time", "weight": -100}], "total": 100}, "weight_invalid"),
    ({"effective_from": "2020-13-01"}, "date_invalid"),
])
def test_a_scheme_breaking_a_rule_is_refused_naming_it_and_nothing_is_stored(persona, change, code):
    with pytest.raises(ValidationFailed) as refused:
        scheme.scheme_store(data={**VALID, **change}, actor=persona("dataadmin"))
    assert refused.value.code == code and not Scheme.objects.filter(version="t.1").exists()


def test_a_version_is_stored_once_and_never_rewritten(persona):
    admin = persona("dataadmin")
    assert scheme.scheme_store(data=VALID, actor=admin)[1] is True
    assert scheme.scheme_store(data=VALID, actor=admin)[1] is False
    with pytest.raises(ValidationFailed) as refused:
        scheme.scheme_store(data={**VALID, "title": "改过的方案"}, actor=admin)
    assert refused.value.code == "scheme_version_changed"
    assert Scheme.objects.get(version="t.1").title == "测试方案"


def test_the_shipped_schemes_weigh_only_registered_measures():
    assert {"complaints_on_time", "cases_on_time", "alerts_on_time", "spot_checks_on_time",
            "disclosure_on_time", "repairs_on_time", "joint_share"} <= set(evaluation_measures())
    for path in scheme.SCHEMES.glob("*.json"):
        scheme.checked(json.loads(path.read_text("utf-8")))


def test_scores_leave_out_a_measure_with_nothing_due_and_rank_ties_alike():
    value, shown = scoring.score([scoring.Input("a", "甲", 60, 3, 4), scoring.Input("b", "乙", 40, 0, 0)], 100)
    assert value == 75.0 and shown[1]["points"] is None and shown[0]["points"] == 75.0
    assert scoring.score([scoring.Input("a", "甲", 60, 0, 0)], 100)[0] is None
    assert scoring.ranks({"x": 90.0, "y": 95.0, "z": 90.0, "w": None}) == {"y": 1, "x": 2, "z": 2}


def _complaints(due: dt.date, concluded: list[dt.datetime | None]) -> int:
    """Complaints handled by one department, due on `due`, concluded at the given times; the department."""
    entity = MarketEntity.objects.order_by("pk").first()
    made = [complaint_receive(actor=SystemActor("test"), channel="portal", values={
        "category": "food", "subject_uscc": entity.uscc, "content": f"该店销售过期食品请处理（{due}，第 {n} 件）"})
        for n in range(len(concluded))]
    department = made[0].department_id
    for complaint, at in zip(made, concluded, strict=True):
        Complaint.objects.filter(pk=complaint.pk).update(department_id=department, handle_due=due, concluded_at=at)
    return department


def test_a_complaint_concluded_on_its_due_day_counts_in_time_and_the_day_after_does_not():
    due = dt.date(2026, 3, 10)
    late_evening = timezone.make_aware(dt.datetime(2026, 3, 10, 23, 30))  # local time: still the due day
    Complaint.objects.filter(handle_due__range=(dt.date(2026, 3, 1), dt.date(2026, 4, 30))).delete()
    department = _complaints(due, [late_evening, late_evening + dt.timedelta(hours=1), None])
    _complaints(dt.date(2026, 4, 1), [None])  # due next month: not counted in March
    counted = evaluation_measures()["complaints_on_time"].count(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert counted[department] == (1, 3)


def test_a_month_is_computed_with_its_inputs_ranks_and_an_audit_event(persona, loaded):
    month = previous_month(timezone.localdate())
    found = runs.evaluation_run(actor=persona("dataadmin"), month=month)
    rows = Score.objects.filter(evaluation=found, level=Level.DEPARTMENT)
    assert rows.count() == found.departments > 0
    scored = rows.exclude(score=None).order_by("rank")
    for row in scored:
        assert [i["measure"] for i in row.inputs] == [w["measure"] for w in found.scheme.weights]
        assert row.score == round(sum(i["points"] or 0 for i in row.inputs), 1)
    assert list(scored.values_list("score", flat=True)) == sorted(scored.values_list("score", flat=True),
                                                                   reverse=True)
    assert AuditEvent.objects.filter(verb="evaluation.computed", target_id=str(found.pk)).exists()


@pytest.mark.parametrize("username", ["scjg_officer", "scjg_head", "leader", "scjg_admin"])
def test_only_data_or_system_administrators_compute_and_nothing_is_written_otherwise(persona, loaded, username):
    counts = (Evaluation.objects.count(), Score.objects.count(), AuditEvent.objects.count())
    with pytest.raises(AccessDenied):
        runs.evaluation_run(actor=persona(username), month=previous_month(timezone.localdate()))
    assert counts == (Evaluation.objects.count(), Score.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize(("month", "code"), [("2026-13", "month_invalid"), ("2999-01", "month_future")])
def test_a_bad_month_is_refused_naming_the_field(persona, loaded, month, code):
    before = Evaluation.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        runs.evaluation_run(actor=persona("dataadmin"), month=month)
    assert refused.value.code == code and refused.value.field == "month" and Evaluation.objects.count() == before


@pytest.fixture
def computed(persona, loaded):
    return runs.evaluation_run(actor=persona("dataadmin"), month=previous_month(timezone.localdate()))


def test_the_page_shows_an_officer_the_departments_of_their_scope_and_the_leader_all(signed_in, persona, computed):
    officer = persona("xa_scjg_officer")
    shown = signed_in(officer).get("/evaluation/").content.decode()
    rows = list(Score.objects.filter(evaluation=computed, level=Level.DEPARTMENT).select_related("department"))
    visible = officer.scope.department_ids
    assert officer.department.name in shown and len(visible) < len(rows)
    for row in rows:
        assert (f"<td>{row.department.name}</td>" in shown) == (row.department_id in visible), row.department.name
    everything = signed_in(persona("leader")).get("/evaluation/").content.decode()
    assert all(f"<td>{row.department.name}</td>" in everything for row in rows)


def test_the_pdf_and_the_workbook_hold_the_ranking(signed_in, persona, computed):
    client = signed_in(persona("leader"))
    assert client.get("/evaluation/pdf/").content.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(client.get("/evaluation/xlsx/").content)).active
    assert sheet.cell(1, 3).value == "得分" and sheet.max_row == 1 + Score.objects.filter(evaluation=computed).count()


def test_only_administrators_may_post_a_computation(signed_in, persona, loaded):
    month = previous_month(timezone.localdate())
    before = Evaluation.objects.filter(month=month).count()
    assert signed_in(persona("scjg_head")).post("/evaluation/", {"month": month}).status_code == 403
    assert Evaluation.objects.filter(month=month).count() == before
    signed_in(persona("dataadmin")).post("/evaluation/", {"month": month})
    assert Evaluation.objects.filter(month=month).count() == before + 1


def test_the_api_serves_the_month_scoped_and_names_a_missing_or_bad_month(api, persona, computed):
    officer = persona("xa_scjg_officer")
    body = api(officer).get(f"/api/v1/evaluation/{computed.month}").json()
    assert {row["department"] for row in body["scores"]} <= set(officer.scope.department_ids)
    assert officer.department_id in {row["department"] for row in body["scores"]}
    assert len(api(persona("leader")).get(f"/api/v1/evaluation/{computed.month}").json()["scores"]) > 1
    missing = api(officer).get("/api/v1/evaluation/2001-01")
    assert missing.status_code == 404 and missing.json()["code"] == "evaluation_not_found"
    assert api(officer).get("/api/v1/evaluation/2001-1").status_code == 400


def test_a_repair_fixed_on_its_due_day_counts_in_time_the_day_after_does_not_and_each_department_apart():
    from jianguan.accounts.models import Department
    from jianguan.exchange.kpi import REPAIR_DAYS
    from jianguan.exchange.models import RepairItem, RepairStatus

    one, other = Department.objects.order_by("pk")[:2]
    found = timezone.make_aware(dt.datetime(2026, 3, 3, 9, 0))  # due 2026-03-10
    due_evening = timezone.make_aware(dt.datetime(2026, 3, 3 + REPAIR_DAYS, 23, 30))
    RepairItem.objects.filter(created_at__date__range=(dt.date(2026, 2, 1), dt.date(2026, 4, 30))).delete()

    def item(department: Department, created: dt.datetime, fixed: dt.datetime | None,
             status: str = RepairStatus.FIXED) -> None:
        RepairItem.objects.create(department=department, region_id=department.region_id, standard="t",
                                  origin="check", status=status, created_at=created, fixed_at=fixed)

    item(one, found, due_evening)
    item(one, found, due_evening + dt.timedelta(hours=1))  # local day after the due day: late
    item(one, found, None, RepairStatus.OPEN)
    item(one, found, None, RepairStatus.DISMISSED)  # dismissed: not counted
    item(one, timezone.make_aware(dt.datetime(2026, 3, 28, 9, 0)), None, RepairStatus.OPEN)  # due in April
    item(other, found, found + dt.timedelta(days=1))
    counted = evaluation_measures()["repairs_on_time"].count(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert counted[one.pk] == (1, 3) and counted[other.pk] == (1, 1)


def test_the_joint_share_counts_a_departments_joint_inspections_of_the_month_and_leaves_out_withdrawn_ones():
    from jianguan.accounts.models import Department
    from jianguan.behaviour.models import Inspection
    from jianguan.joint.kpi import JOINT_FORM

    one, other = Department.objects.order_by("pk")[:2]
    Inspection.objects.filter(date__range=(dt.date(2026, 2, 1), dt.date(2026, 4, 30))).delete()

    def inspection(department: Department, day: dt.date, form: str, withdrawn: bool = False) -> None:
        Inspection.objects.create(
            number=f"t-{department.pk}-{Inspection.objects.count()}", name="检查", department=department,
            region_id=department.region_id, catalog_code="t", object_name="某店", party_name="某店",
            party_nature="organisation", party_id_type="001", party_code="t", date=day, implementation_code="t",
            form=form, category="1", result="未发现问题", withdrawn_at=timezone.now() if withdrawn else None)

    inspection(one, dt.date(2026, 3, 31), JOINT_FORM)  # the month's last day: counted
    inspection(one, dt.date(2026, 3, 1), "现场检查")
    inspection(one, dt.date(2026, 3, 15), "现场检查")
    inspection(one, dt.date(2026, 3, 15), JOINT_FORM, withdrawn=True)  # withdrawn: not counted
    inspection(one, dt.date(2026, 4, 1), JOINT_FORM)  # the day after: April's
    inspection(other, dt.date(2026, 3, 10), JOINT_FORM)
    counted = evaluation_measures()["joint_share"].count(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert counted[one.pk] == (1, 3) and counted[other.pk] == (1, 1)
