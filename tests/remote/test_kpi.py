"""The figures of non-on-site supervision on a small constructed world: two points, two alarms of one point (one
turned into a remote check after 2 hours, the other found a false alarm after 10), one on-site check beside the
remote one; each figure's value, the department evaluation's measure, the board and the API, and an outsider who
sees nothing of it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from jianguan.behaviour.models import Inspection
from jianguan.core.registry import evaluation_measures
from jianguan.remote import alarms, disposal, kpi
from jianguan.remote.models import AlarmState, AlarmStep, Disposal
from tests.remote.world import NOW, hourly, put, register

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world(point, xianan_entity, persona):
    register(xianan_entity, code="COLD-1", kind="cold_chain")
    put(point.code, hourly([150, 150, 150]))
    alarms.evaluate_point(point_id=point.pk, as_of=NOW)
    over = AlarmState.objects.get(point=point, rule="cod_over_limit")
    repeated = AlarmState.objects.get(point=point, rule="cod_repeated")
    disposal.alarm_transition(actor=persona("scjg_officer"), alarm_id=over.pk, action="remote_check",
                              data={"result": "发现问题", "colleague": "scjg_421200_01"})
    disposal.alarm_transition(actor=persona("scjg_head"), alarm_id=repeated.pk, action="dismiss",
                              data={"note": "设备校准期间的数据"})
    opened = timezone.now() - dt.timedelta(hours=12)
    AlarmStep.objects.filter(action="opened").update(at=opened)
    Disposal.objects.filter(alarm=over).update(at=opened + dt.timedelta(hours=2))
    Disposal.objects.filter(alarm=repeated).update(at=opened + dt.timedelta(hours=10))
    onsite = Inspection.objects.get(method="非现场")
    onsite.pk, onsite.number, onsite.record_id = None, onsite.number + "-1", str(uuid.uuid4())
    onsite.category, onsite.method = "1", "现场"
    onsite.save(force_insert=True)
    return point


def test_each_figure_on_a_constructed_world(world, officer):
    assert set(AlarmState.objects.filter(level__gt=0).values_list("rule", flat=True)) == {
        "cod_over_limit", "cod_repeated"}
    figures = kpi.figures(reader=officer, first=TODAY - dt.timedelta(days=1), last=TODAY)
    assert (figures.checks, figures.remote_checks, figures.remote_share) == (2, 1, 0.5)
    assert (figures.points, figures.alarms, figures.alarms_per_point) == (2, 2, 1.0)
    assert (figures.disposed, figures.false_alarms, figures.false_alarm_rate) == (2, 1, 0.5)
    assert figures.hours == (2.0, 10.0) and figures.hours_median == 6.0 and figures.hours_p90 == 10.0


def test_a_span_before_the_records_counts_nothing(world, officer):
    long_ago = TODAY - dt.timedelta(days=100)
    figures = kpi.figures(reader=officer, first=long_ago, last=long_ago + dt.timedelta(days=10))
    assert (figures.checks, figures.alarms, figures.disposed, figures.points) == (0, 0, 0, 0)
    assert figures.remote_share is None and figures.hours_median is None


def test_the_evaluation_counts_remote_checks_of_all_checks_per_department(world, officer):
    counted = evaluation_measures()["remote_checks_share"].count(TODAY, TODAY)
    assert counted[officer.department_id] == (1, 2)


def test_an_outsider_sees_nothing_of_another_departments_figures(world, outsider, api):
    figures = kpi.figures(reader=outsider, first=TODAY - dt.timedelta(days=1), last=TODAY)
    assert (figures.checks, figures.points, figures.alarms, figures.disposed) == (0, 0, 0, 0)
    body = api(outsider).get("/api/v1/remote/metrics").json()
    assert (body["checks"], body["points"], body["alarms"], body["disposed"]) == (0, 0, 0, 0)
    assert body["remote_share"] is None


def test_the_api_and_the_board_show_the_figures(world, officer, api, signed_in):
    body = api(officer).get("/api/v1/remote/metrics").json()
    assert (body["remote_share"], body["alarms_per_point"], body["false_alarm_rate"]) == (0.5, 1.0, 0.5)
    assert (body["disposal_hours_median"], body["disposal_hours_p90"]) == (6.0, 10.0)
    page = signed_in(officer).get("/remote/").content.decode()
    assert "非现场检查占比" in page and "50%（1/2）" in page and "中位数 6.0" in page


@pytest.mark.parametrize(("query", "code"), [("first=2026-12-08&last=2026-12-01", "date_order"),
                                             ("first=2024-01-01&last=2026-01-01", "span_too_long"),
                                             ("first=someday", "date_from_datetime_parsing")])
def test_a_bad_span_is_refused_naming_the_field(officer, api, query, code):
    answer = api(officer).get(f"/api/v1/remote/metrics?{query}")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == code and body["field"] == "first" and "日" in body["message"]
