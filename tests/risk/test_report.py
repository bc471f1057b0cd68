"""The measures (precision from decided alerts, recall from the control sample) and the monthly report: its
figures from hand-made alerts, each boundary from both sides; the page within the reader's scope; the PDF and the
workbook."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import subprocess

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jianguan.risk import report
from jianguan.risk.measures import measure_list, measures
from jianguan.risk.models import Alert, ControlSample, Observation

pytestmark = pytest.mark.django_db

MONTH = "2026-11"
DUE = dt.date(2026, 11, 20)
_serial = itertools.count(1)


def row(status: str, *, control: bool = False, version: str = "v1", observations: int = 1,
        model: str = "medical_ad") -> dict:
    return {"model": model, "model_version": version, "status": status, "control": control,
            "observation_count": observations}


def test_precision_is_confirmed_over_decided_alerts():
    rows = [row("minor"), row("case"), row("transferred", observations=3), row("unfounded"), row("pending"),
            row("verifying")]
    [measure] = measures(rows, {})
    assert (measure.decided, measure.confirmed, measure.unfounded) == (4, 3, 1)
    assert measure.precision == 0.75 and measure.true_positives == 5
    assert measure.sample_short and measure.recall is None and measure.estimated_misses is None


def test_recall_scales_the_misses_of_the_decided_control_items_by_the_sample():
    rows = [row("case", observations=5), row("unfounded"),
            row("minor", control=True), row("unfounded", control=True), row("pending", control=True),
            row("verifying", control=True)]
    [measure] = measures(rows, {"medical_ad": {"population": 100, "sampled": 4}})
    assert (measure.control_items, measure.control_decided, measure.control_misses) == (4, 2, 1)
    assert measure.estimated_misses == 50  # 1 miss × 100/4 drawn × 4 in view / 2 decided
    assert measure.recall == pytest.approx(5 / 55) and not measure.sample_short


def test_a_control_sample_without_misses_gives_full_recall_and_versions_are_kept_apart():
    rows = [row("case"), row("unfounded", control=True), row("case", version="v2"), row("pending", control=True,
                                                                                          version="v2")]
    first, second = measures(rows, {"medical_ad": {"population": 10, "sampled": 2}})
    assert (first.version, first.recall, first.estimated_misses) == ("v1", 1.0, 0)
    assert (second.version, second.recall, second.precision) == ("v2", None, 1.0) and second.sample_short


def test_a_month_whose_sample_found_nothing_unalerted_has_nothing_missed():
    [measure] = measures([row("case"), row("case")], {"medical_ad": {"population": 0, "sampled": 0}})
    assert (measure.estimated_misses, measure.recall, measure.sample_short) == (0, 1.0, False)
    [unsampled] = measures([row("case")], {})
    assert unsampled.sample_short and unsampled.recall is None


@pytest.fixture
def departments(persona):
    return persona("scjg_officer").department, persona("xa_scjg_officer").department


def made(department, *, status: str = "pending", model: str = "medical_ad", control: bool = False,
         due: dt.date = DUE, decided: dt.datetime | None = None, subject: str = "某诊所", score: float = 55.0,
         band: str = "橙", observations: int = 1, window: str = MONTH) -> Alert:
    alert = Alert.objects.create(
        subject_key=f"{subject}-{next(_serial)}" if control else subject, subject_name=subject, model=model,
        window=window, region=department.region, department=department, score=score, band="" if control else band,
        model_version="2026.12.1", status=status, verify_started=due - dt.timedelta(days=21), verify_due=due,
        decided_at=decided, control=control)
    for _ in range(observations):
        n = next(_serial)
        alert.observations.add(Observation.objects.create(
            sender="t", sender_label="t", sender_id=f"O{n}", payload={}, payload_hash="0" * 64, model=model,
            kind="ad", fields={}, captured_at=timezone.make_aware(dt.datetime(2026, 11, 5)), snapshot_hash="0" * 64,
            region=department.region, department=department))
    return alert


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def figures(departments):
    """Hand-made alerts of November 2026 of the city 市场监管局 and of 咸安区's, and control items."""
    city, county = departments
    made(city, status="case", decided=at(DUE, 23), subject="咸宁某医院", score=90, band="红", observations=2)
    made(city, status="minor", decided=at(DUE + dt.timedelta(days=1), 0), subject="咸宁某医院", model="drug_sales")
    made(city, status="unfounded", decided=at(DUE, 9), subject="某药店", band="黄", score=35)
    made(city, status="verifying", due=dt.date(2026, 12, 6), subject="某药房")
    made(city, status="verifying", due=dt.date(2026, 12, 7), subject="某诊所")
    made(city, status="pending", subject="十月的店", window="2026-10")
    made(county, status="transferred", decided=at(DUE, 10), subject="咸安某理财", model="fundraising")
    made(city, status="minor", control=True, decided=at(DUE, 10), subject="漏报的店")
    made(city, status="unfounded", control=True, decided=at(DUE, 10), subject="合规的店")
    ControlSample.objects.create(month=MONTH, rate="0.01", seed="0" * 64, method="sha256-rank-v1",
                                 strata={"medical_ad": {"population": 200, "sampled": 2}}, drawn_by="t")
    return city, county


def test_the_city_report_counts_the_months_alerts_and_leaves_control_items_out(persona, figures):
    built = report.risk_report(reader=persona("leader"), month=MONTH, today=dt.date(2026, 12, 7))
    assert built.total == 6 and built.department is None
    assert dict(built.by_model) == {"虚假医疗广告": 4, "非法集资": 1, "非法销售药品": 1,
                                    "非法销售处方药品": 0, "非法销售医疗器械": 0}
    assert built.by_band == [("红", 1), ("橙", 4), ("黄", 1)]
    assert built.by_region == [("咸宁市", 5), ("咸安区", 1)]
    assert dict(built.outcomes) == {"待分派": 0, "核查中": 2, "不属实": 1, "轻微不予立案": 1, "立案": 1, "移送": 1}
    assert built.controls == report.Controls(drawn=2, decided=2, misses=1)
    assert built.top[0] == report.TopSubject(name="咸宁某医院", uscc="", alerts=2, score=90,
                                             models=("虚假医疗广告", "非法销售药品"))


def test_decided_on_the_due_day_is_in_time_and_the_day_after_is_late(persona, figures):
    built = report.risk_report(reader=persona("leader"), month=MONTH, today=dt.date(2026, 12, 7))
    # decided on the due day at 23:00, 09:00 and 10:00: in time; at 00:00 the day after: late
    assert (built.timeliness.decided_in_time, built.timeliness.decided_late) == (3, 1)
    # open: due yesterday is overdue, due today is not
    assert (built.timeliness.open_overdue, built.timeliness.open_in_time) == (1, 1)


def test_the_measures_of_the_month_within_scope(persona, figures):
    [ad, fundraising, drugs] = measure_list(alerts=Alert.objects.visible_to(persona("leader")), month=MONTH)
    assert (ad.model, ad.decided, ad.confirmed, ad.true_positives) == ("medical_ad", 2, 1, 2)
    assert ad.estimated_misses == 100 and ad.recall == pytest.approx(2 / 102)
    assert (fundraising.model, fundraising.precision, fundraising.sample_short) == ("fundraising", 1.0, True)
    assert drugs.model == "drug_sales"
    county_only = measure_list(alerts=Alert.objects.visible_to(persona("xa_scjg_officer")), month=MONTH)
    assert [(m.model, m.decided) for m in county_only] == [("fundraising", 1)]


def test_a_department_sees_its_own_and_the_departments_it_guides(persona, figures):
    county = figures[1]
    county_report = report.risk_report(reader=persona("xa_scjg_officer"), month=MONTH)
    assert county_report.total == 1 and dict(county_report.by_model)["非法集资"] == 1
    city_report = report.risk_report(reader=persona("scjg_officer"), month=MONTH)
    assert city_report.total == 6
    only_county = report.risk_report(reader=persona("scjg_officer"), month=MONTH, department=county)
    assert only_county.total == 1 and only_county.scope_label == county.name


def test_the_page_refuses_a_department_outside_the_readers_scope(signed_in, persona, figures):
    city = figures[0]
    other = signed_in(persona("sthj_officer"))
    assert other.get(f"/risk/report/?month={MONTH}&department={city.pk}").status_code == 404
    page = other.get(f"/risk/report/?month={MONTH}").content.decode()
    assert "咸宁某医院" not in page
    county_officer = signed_in(persona("xa_scjg_officer"))
    assert county_officer.get(f"/risk/report/?month={MONTH}&department={city.pk}").status_code == 404
    assert county_officer.get(f"/risk/report/pdf/?month={MONTH}&department={city.pk}").status_code == 404
    assert county_officer.get("/risk/report/?department=999999999999999999").status_code == 404  # none such
    for query, code in (("month=2026-13", "month_invalid"), ("month=2999-01", "month_future"),
                        ("department=x", "department_invalid"), ("department=%C2%B2", "department_invalid"),
                        ("department=99999999999999999999", "department_invalid")):
        refused = county_officer.get(f"/risk/report/?{query}")
        assert refused.status_code == 400 and f"<code>{code}</code>" in refused.content.decode(), query


def test_the_page_shows_the_figures_charts_and_measures(signed_in, persona, figures, django_assert_max_num_queries):
    client = signed_in(persona("leader"))
    with django_assert_max_num_queries(20):
        page = client.get(f"/risk/report/?month={MONTH}")
    text = page.content.decode()
    assert page.status_code == 200 and text.count("<svg") == 5
    assert "咸宁某医院" in text and "样本不足" in text and "2.0%" in text  # recall 2 / 102
    assert 'href="/risk/report/pdf/?month=2026-11"' in text


def pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def test_the_pdf_is_the_same_report_on_a4(signed_in, persona, figures):
    response = signed_in(persona("leader")).get(f"/risk/report/pdf/?month={MONTH}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for shown in ("风险预警月报：2026-11", "本辖区全部部门", "咸宁某医院", "虚假医疗广告", "逾期未处置", "样本不足"):
        assert shown in text, shown
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True).stdout
    assert b"595.276 x 841.89 pts (A4)" in info


def test_the_workbook_holds_the_tables(signed_in, persona, figures):
    response = signed_in(persona("scjg_officer")).get(f"/risk/report/xlsx/?month={MONTH}&department={figures[1].pk}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert ("按模型", "非法集资", 1) in [v[:3] for v in values]
    assert ("预警最多的对象", "咸安某理财", 1) in [v[:3] for v in values]
